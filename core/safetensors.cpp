#include "core/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/param_store.h"

namespace tinyseek {

// F32 data is stored little-endian; the buffer is copied byte for byte into floats.
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes little-endian");

namespace {

constexpr uint64_t kMaxHeaderLength = 100'000'000;  // the spec's limit (100 MB)
constexpr const char* kMetadataKey = "__metadata__";

[[noreturn]] void fail(const std::string& source, const std::string& what) {
    throw CheckpointError(source + ": " + what);
}

bool checked_numel(const std::vector<int64_t>& shape, uint64_t& numel) {
    numel = 1;
    for (int64_t d : shape) {
        if (d < 0) return false;
        if (__builtin_mul_overflow(numel, static_cast<uint64_t>(d), &numel)) return false;
    }
    return true;
}

uint64_t numel_of(const std::vector<int64_t>& shape) {
    uint64_t n = 1;
    for (int64_t d : shape) n *= static_cast<uint64_t>(d);
    return n;
}

// A non-negative JSON integer, else false (floats, negatives and strings are refused).
bool read_index(const nlohmann::json& v, uint64_t& out) {
    if (v.is_number_unsigned()) {
        out = v.get<uint64_t>();
        return true;
    }
    if (v.is_number_integer()) {
        const int64_t s = v.get<int64_t>();
        if (s < 0) return false;
        out = static_cast<uint64_t>(s);
        return true;
    }
    return false;
}

// The JSON header for `tensors` (in order), padded with spaces so 8 + its length is a
// multiple of 8 and the byte buffer starts aligned.
std::string build_header(std::span<const TensorRef> tensors, const Metadata& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) {
        nlohmann::ordered_json meta = nlohmann::ordered_json::object();
        for (const auto& [k, v] : metadata) meta[k] = v;
        header[kMetadataKey] = std::move(meta);
    }
    uint64_t offset = 0;
    for (const TensorRef& t : tensors) {
        if (t.name == kMetadataKey || header.contains(t.name))
            throw CheckpointError("cannot write tensor '" + t.name +
                                  "': the name is reserved or used twice");
        uint64_t numel = 0;
        if (!checked_numel(t.shape, numel) || numel > (uint64_t{1} << 60))
            throw CheckpointError("cannot write tensor '" + t.name + "': invalid shape " +
                                  shape_to_string(t.shape));
        if (numel > 0 && t.data == nullptr)
            throw CheckpointError("cannot write tensor '" + t.name + "': no data");
        const uint64_t bytes = numel * sizeof(float);
        header[t.name] = {
            {"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

std::string length_prefix(uint64_t n) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out;
}

// N of the 8-byte prefix, checked against the limit and the bytes that follow it.
uint64_t read_header_length(const std::string& bytes, const std::string& source) {
    const uint64_t size = bytes.size();
    if (size < 8)
        fail(source, "file is " + std::to_string(size) +
                         " bytes, too short for the 8-byte header length (truncated?)");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(bytes[i]);
    if (n > kMaxHeaderLength)
        fail(source, "header length " + std::to_string(n) + " exceeds the limit of " +
                         std::to_string(kMaxHeaderLength) + " bytes (corrupt file?)");
    if (n > size - 8)
        fail(source, "header length " + std::to_string(n) + " is longer than the " +
                         std::to_string(size - 8) +
                         " bytes that follow it in the file (truncated?)");
    if (n == 0 || bytes[8] != '{') fail(source, "header does not start with '{'");
    return n;
}

// The header's JSON object of `n` bytes at `text`.
nlohmann::json parse_header(const char* text, uint64_t n, const std::string& source) {
    // Callback: reject duplicate top-level names (nlohmann would keep the last silently)
    // and any nesting deeper than the format has, so hostile input stays small.
    std::set<std::string> names;
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(
            text, text + n,
            [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                using E = nlohmann::json::parse_event_t;
                if ((event == E::object_start || event == E::array_start) && depth >= 3)
                    fail(source, "header nests deeper than the safetensors format allows");
                if (event == E::key && depth == 1 &&
                    !names.insert(parsed.get<std::string>()).second)
                    fail(source, "header names '" + parsed.get<std::string>() + "' twice");
                return true;
            });
    } catch (const nlohmann::json::exception& e) {
        fail(source, std::string("header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object()) fail(source, "header is not a JSON object");
    return header;
}

void read_metadata(const nlohmann::json& value, const std::string& source, Metadata& out) {
    if (!value.is_object()) fail(source, "__metadata__ must be an object of strings");
    for (auto& [k, v] : value.items()) {
        if (!v.is_string())
            fail(source, "__metadata__ value of '" + k + "' must be a string, got " + v.dump());
        out[k] = v.get<std::string>();
    }
}

std::vector<int64_t> read_shape(const nlohmann::json& shape, const std::string& source,
                                const std::string& what) {
    std::vector<int64_t> dims;
    for (const auto& d : shape) {
        uint64_t dim = 0;
        if (!read_index(d, dim) || dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(source, what + ": shape " + shape.dump() + " must hold non-negative integers");
        dims.push_back(static_cast<int64_t>(dim));
    }
    return dims;
}

// Offsets inside the buffer that span exactly the bytes of the entry's shape.
void check_extent(const SafetensorsEntry& e, uint64_t buffer_size, const std::string& source,
                  const std::string& what) {
    if (e.begin > e.end)
        fail(source, what + ": data_offsets [" + std::to_string(e.begin) + "," +
                         std::to_string(e.end) + "] end before they begin");
    if (e.end > buffer_size)
        fail(source, what + ": data_offsets [" + std::to_string(e.begin) + "," +
                         std::to_string(e.end) + "] go past the end of the " +
                         std::to_string(buffer_size) + "-byte data buffer (truncated?)");
    uint64_t numel = 0;
    if (!checked_numel(e.shape, numel) || numel > std::numeric_limits<uint64_t>::max() / 4)
        fail(source, what + ": shape " + shape_to_string(e.shape) + " is too large");
    if (e.end - e.begin != numel * 4)
        fail(source, what + ": shape " + shape_to_string(e.shape) + " needs " +
                         std::to_string(numel * 4) + " bytes but data_offsets [" +
                         std::to_string(e.begin) + "," + std::to_string(e.end) + "] span " +
                         std::to_string(e.end - e.begin));
}

SafetensorsEntry read_entry(const std::string& name, const nlohmann::json& value,
                            uint64_t buffer_size, const std::string& source) {
    const std::string what = "tensor '" + name + "'";
    if (!value.is_object()) fail(source, what + ": header entry is not an object");
    const auto dtype = value.find("dtype");
    const auto shape = value.find("shape");
    const auto offsets = value.find("data_offsets");
    if (dtype == value.end() || !dtype->is_string())
        fail(source, what + ": missing or non-string 'dtype'");
    if (*dtype != "F32")
        fail(source, what + " has dtype " + dtype->get<std::string>() + ", only F32 is supported");
    if (shape == value.end() || !shape->is_array())
        fail(source, what + ": missing or non-list 'shape'");
    SafetensorsEntry e;
    e.name = name;
    e.dtype = "F32";
    e.shape = read_shape(*shape, source, what);
    if (offsets == value.end() || !offsets->is_array() || offsets->size() != 2 ||
        !read_index((*offsets)[0], e.begin) || !read_index((*offsets)[1], e.end))
        fail(source, what + ": 'data_offsets' must be two non-negative integers, got " +
                         (offsets == value.end() ? std::string("nothing") : offsets->dump()));
    check_extent(e, buffer_size, source, what);
    return e;
}

// Sorts the entries by offset; their ranges must tile [0, buffer_size) exactly.
void check_tiling(std::vector<SafetensorsEntry>& entries, uint64_t buffer_size,
                  const std::string& source) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t pos = 0;
    const SafetensorsEntry* prev = nullptr;
    for (const SafetensorsEntry& e : entries) {
        if (e.begin < pos)
            fail(source, "tensor '" + e.name + "' data_offsets [" + std::to_string(e.begin) + "," +
                             std::to_string(e.end) + "] overlap tensor '" + prev->name + "' [" +
                             std::to_string(prev->begin) + "," + std::to_string(prev->end) + "]");
        if (e.begin > pos)
            fail(source, "bytes [" + std::to_string(pos) + "," + std::to_string(e.begin) +
                             ") of the data buffer belong to no tensor");
        pos = e.end;
        prev = &e;
    }
    if (pos != buffer_size)
        fail(source, std::to_string(buffer_size - pos) +
                         " bytes after the last tensor belong to no tensor");
}

}  // namespace

std::string shape_to_string(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) s += ',';
        s += std::to_string(shape[i]);
    }
    s += ']';
    return s;
}

std::string serialize_safetensors(std::span<const TensorRef> tensors, const Metadata& metadata) {
    const std::string header = build_header(tensors, metadata);
    std::string out = length_prefix(header.size()) + header;
    for (const TensorRef& t : tensors)
        out.append(reinterpret_cast<const char*>(t.data), numel_of(t.shape) * sizeof(float));
    return out;
}

void write_safetensors(const std::string& path, std::span<const TensorRef> tensors,
                       const Metadata& metadata) {
    std::string header;
    try {
        header = build_header(tensors, metadata);
    } catch (const CheckpointError& e) {
        throw CheckpointError(path + ": " + e.what());
    }
    AtomicFileWriter out(path);
    out.write(length_prefix(header.size()));
    out.write(header);
    for (const TensorRef& t : tensors) out.write(t.data, numel_of(t.shape) * sizeof(float));
    out.commit();
}

SafetensorsFile SafetensorsFile::parse(std::span<const uint8_t> bytes, const std::string& source) {
    return parse(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), source);
}

SafetensorsFile SafetensorsFile::parse(std::string bytes, const std::string& source) {
    SafetensorsFile f;
    f.source_ = source;
    f.bytes_ = std::move(bytes);
    const uint64_t n = read_header_length(f.bytes_, source);
    f.header_length_ = n;
    f.data_start_ = 8 + n;
    const uint64_t buffer_size = f.bytes_.size() - f.data_start_;
    const nlohmann::json header = parse_header(f.bytes_.data() + 8, n, source);
    for (auto& [name, value] : header.items()) {
        if (name == kMetadataKey)
            read_metadata(value, source, f.metadata_);
        else
            f.entries_.push_back(read_entry(name, value, buffer_size, source));
    }
    check_tiling(f.entries_, buffer_size, source);
    for (size_t i = 0; i < f.entries_.size(); ++i) f.index_.emplace(f.entries_[i].name, i);
    return f;
}

SafetensorsFile SafetensorsFile::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CheckpointError(path + ": cannot open file");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw CheckpointError(path + ": read error");
    return parse(std::move(bytes), path);
}

const SafetensorsEntry* SafetensorsFile::find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? nullptr : &entries_[it->second];
}

void SafetensorsFile::copy_to(const SafetensorsEntry& entry, float* out) const {
    // parse() proved data_start_ + end <= bytes_.size() and end - begin == numel * 4.
    if (entry.end > entry.begin)
        std::memcpy(out, bytes_.data() + data_start_ + entry.begin, entry.end - entry.begin);
}

void SafetensorsFile::check_matches(std::span<const TensorSlot> slots) const {
    std::unordered_map<std::string_view, const SafetensorsEntry*> by_name;
    by_name.reserve(entries_.size());
    for (const SafetensorsEntry& e : entries_) by_name.emplace(e.name, &e);

    std::vector<std::string> missing;
    for (size_t i = 0; i < slots.size(); ++i) {
        auto it = by_name.find(slots[i].name);
        if (it == by_name.end()) {
            missing.push_back(slots[i].name);
            continue;
        }
        if (it->second->shape != slots[i].shape)
            fail(source_, "tensor '" + slots[i].name + "' has shape " +
                              shape_to_string(it->second->shape) + ", expected " +
                              shape_to_string(slots[i].shape));
        by_name.erase(it);
    }
    if (!missing.empty())
        fail(source_,
             "missing tensor '" + missing.front() + "'" +
                 (missing.size() > 1 ? " (and " + std::to_string(missing.size() - 1) + " more)"
                                     : std::string()));
    if (!by_name.empty()) {
        // Report the first extra in file order, so the message is deterministic.
        const SafetensorsEntry* first = nullptr;
        for (const SafetensorsEntry& e : entries_)
            if (by_name.count(e.name)) {
                first = &e;
                break;
            }
        fail(source_,
             "unexpected tensor '" + first->name + "'" +
                 (by_name.size() > 1 ? " (and " + std::to_string(by_name.size() - 1) + " more)"
                                     : std::string()) +
                 ": the file was written for a different model config");
    }
}

void SafetensorsFile::load_into(std::span<const TensorSlot> slots) const {
    check_matches(slots);
    for (const TensorSlot& slot : slots) copy_to(*find(slot.name), slot.data);
}

std::vector<TensorRef> tensor_refs(const ParamStore& params) {
    std::vector<TensorRef> refs;
    refs.reserve(params.layout().tensors().size());
    for (const TensorSpec& t : params.layout().tensors())
        refs.push_back({t.name, t.shape, params.data().data() + t.offset});
    return refs;
}

std::vector<TensorSlot> tensor_slots(ParamStore& params) {
    std::vector<TensorSlot> slots;
    slots.reserve(params.layout().tensors().size());
    for (const TensorSpec& t : params.layout().tensors())
        slots.push_back({t.name, t.shape, params.data().data() + t.offset});
    return slots;
}

void save_params(const std::string& path, const ParamStore& params, const Metadata& metadata) {
    write_safetensors(path, tensor_refs(params), metadata);
}

Metadata load_params(const std::string& path, ParamStore& params) {
    const SafetensorsFile file = SafetensorsFile::read(path);
    file.load_into(tensor_slots(params));
    return file.metadata();
}

}  // namespace tinyseek
