#include "imports/tf_event_reader.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "imports/crc32c.h"
#include "imports/metric_names.h"
#include "imports/protobuf_wire.h"

namespace tinyseek::imports {

namespace {

using Kind = ImportIssue::Kind;

// Field numbers of the messages read here.
namespace event_field {
constexpr std::uint32_t wall_time = 1, step = 2, summary = 5;
}
namespace value_field {
constexpr std::uint32_t tag = 1, simple_value = 2, tensor = 8, metadata = 9;
}
namespace tensor_field {
constexpr std::uint32_t dtype = 1, content = 4, float_val = 5, double_val = 6, int_val = 7,
                        string_val = 8, int64_val = 10, half_val = 13;
}
// tensorflow DataType values.
enum DType { dt_float = 1, dt_double = 2, dt_int32 = 3, dt_string = 7, dt_int64 = 9, dt_half = 19 };

std::uint32_t read_le32(std::string_view b) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[i]);
    return v;
}

std::uint64_t read_le64(std::string_view b) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[i]);
    return v;
}

float half_to_float(std::uint32_t h) {
    const std::uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    float magnitude;
    if (exponent == 0)
        magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    else if (exponent == 31)
        magnitude = mantissa ? NAN : INFINITY;
    else
        magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
    return sign ? -magnitude : magnitude;
}

// A TensorProto's values: the numbers of a numeric tensor, the strings of a string tensor.
struct TensorValues {
    int dtype = 0;
    std::vector<double> numbers;
    std::vector<std::string_view> strings;
};

// Appends the numbers of a repeated numeric field, packed or not.
void read_repeated(const WireField& f, std::vector<double>& out) {
    if (f.type != WireType::bytes) {
        if (f.type == WireType::fixed32)
            out.push_back(f.as_float());
        else if (f.type == WireType::fixed64)
            out.push_back(f.as_double());
        else
            out.push_back(static_cast<double>(static_cast<std::int64_t>(f.value)));
        return;
    }
    std::string_view packed = f.bytes;
    while (!packed.empty()) {
        WireField one;
        if (f.number == tensor_field::float_val) {
            if (packed.size() < 4) throw WireError("a packed float array is cut short");
            one.value = read_le32(packed);
            packed.remove_prefix(4);
            out.push_back(one.as_float());
        } else if (f.number == tensor_field::double_val) {
            if (packed.size() < 8) throw WireError("a packed double array is cut short");
            one.value = read_le64(packed);
            packed.remove_prefix(8);
            out.push_back(one.as_double());
        } else {
            const std::uint64_t v = WireReader::read_varint(packed);
            out.push_back(f.number == tensor_field::half_val
                              ? half_to_float(static_cast<std::uint32_t>(v))
                              : static_cast<double>(static_cast<std::int64_t>(v)));
        }
    }
}

// tensor_content: the raw little-endian array of a numeric dtype.
void read_content(std::string_view content, int dtype, std::vector<double>& out) {
    const std::size_t width = dtype == dt_double || dtype == dt_int64 ? 8
                              : dtype == dt_half                      ? 2
                                                                      : 4;
    if (content.size() % width) throw WireError("tensor_content is not a whole number of values");
    for (std::size_t at = 0; at < content.size(); at += width) {
        const std::string_view b = content.substr(at, width);
        WireField v;
        if (dtype == dt_float) {
            v.value = read_le32(b);
            out.push_back(v.as_float());
        } else if (dtype == dt_double) {
            v.value = read_le64(b);
            out.push_back(v.as_double());
        } else if (dtype == dt_int32) {
            out.push_back(static_cast<std::int32_t>(read_le32(b)));
        } else if (dtype == dt_int64) {
            out.push_back(static_cast<double>(static_cast<std::int64_t>(read_le64(b))));
        } else {
            const auto lo = static_cast<unsigned char>(b[0]), hi = static_cast<unsigned char>(b[1]);
            out.push_back(half_to_float(lo | (hi << 8)));
        }
    }
}

TensorValues read_tensor(std::string_view message) {
    TensorValues t;
    std::string_view content;
    WireReader r(message);
    for (WireField f; r.next(f);) {
        switch (f.number) {
            case tensor_field::dtype:
                t.dtype = static_cast<int>(f.value);
                break;
            case tensor_field::content:
                content = f.bytes;
                break;
            case tensor_field::string_val:
                t.strings.push_back(f.bytes);
                break;
            case tensor_field::float_val:
            case tensor_field::double_val:
            case tensor_field::int_val:
            case tensor_field::int64_val:
            case tensor_field::half_val:
                read_repeated(f, t.numbers);
                break;
            default:
                break;
        }
    }
    const bool numeric = t.dtype == dt_float || t.dtype == dt_double || t.dtype == dt_int32 ||
                         t.dtype == dt_int64 || t.dtype == dt_half;
    if (!content.empty() && numeric) read_content(content, t.dtype, t.numbers);
    return t;
}

// SummaryMetadata.plugin_data.plugin_name.
std::string plugin_name(std::string_view metadata) {
    WireReader r(metadata);
    for (WireField f; r.next(f);) {
        if (f.number != 1 || f.type != WireType::bytes) continue;
        WireReader plugin(f.bytes);
        for (WireField p; plugin.next(p);) {
            if (p.number == 1 && p.type == WireType::bytes) return std::string(p.bytes);
        }
    }
    return {};
}

// A text summary as a sample: the tag says what it is; eval/val tags are held-out samples.
RolloutSample text_sample(const std::string& tag, std::string_view text, int index) {
    RolloutSample s;
    s.prompt = tag;
    s.completion = std::string(text);
    s.reward = {RolloutSample::kNoValue, RolloutSample::kNoValue, RolloutSample::kNoValue, false};
    s.advantage = RolloutSample::kNoValue;
    s.length = count_characters(s.completion);
    s.group = index;  // each text is a group of its own
    s.member = 0;
    const bool held_out = tag.find("val") != std::string::npos;
    s.source = held_out ? RolloutSource::eval : RolloutSource::train;
    return s;
}

}  // namespace

EventFileParser::EventFileParser(std::string file, double* time_origin)
    : file_(std::move(file)), time_origin_(time_origin) {}

std::size_t EventFileParser::parse(std::string_view bytes, ImportedLog& log) {
    std::size_t used = 0;
    while (!stopped_) {
        const std::string_view rest = bytes.substr(used);
        if (rest.size() < 12) break;
        const std::string_view length_bytes = rest.substr(0, 8);
        if (masked_crc32c(length_bytes) != read_le32(rest.substr(8, 4))) {
            log.add_issue(Kind::bad_checksum, file_, record_ + 1,
                          "the length of record " + std::to_string(record_ + 1) +
                              " fails its checksum; the rest of the file cannot be read");
            stopped_ = true;
            return bytes.size();
        }
        const std::uint64_t length = read_le64(length_bytes);
        if (length > rest.size() - 16 || rest.size() < 16) break;  // still being written
        const std::string_view data = rest.substr(12, length);
        ++record_;
        used += 16 + length;
        if (masked_crc32c(data) != read_le32(rest.substr(12 + length, 4))) {
            log.add_issue(Kind::bad_checksum, file_, record_,
                          "record " + std::to_string(record_) + " fails its checksum (skipped)");
            continue;
        }
        try {
            read_event(data, log);
        } catch (const WireError& e) {
            log.add_issue(Kind::malformed, file_, record_,
                          "record " + std::to_string(record_) + " is not an Event: " + e.what());
        }
    }
    return used;
}

void EventFileParser::read_event(std::string_view event, ImportedLog& log) {
    double wall_time = NAN;
    std::int64_t step = 0;
    std::string_view summary;
    WireReader r(event);
    for (WireField f; r.next(f);) {
        if (f.number == event_field::wall_time && f.type == WireType::fixed64)
            wall_time = f.as_double();
        else if (f.number == event_field::step && f.type == WireType::varint)
            step = static_cast<std::int64_t>(f.value);
        else if (f.number == event_field::summary && f.type == WireType::bytes)
            summary = f.bytes;
    }
    // The run's clock starts at its first event (the writer's file_version event).
    if (std::isfinite(wall_time) && std::isnan(*time_origin_)) *time_origin_ = wall_time;
    if (summary.empty()) return;  // file_version, graphs, session logs: nothing to chart
    read_summary(summary, step, log);
    if (std::isfinite(wall_time)) {
        auto it = log.steps.find(step);
        if (it != log.steps.end()) it->second.wall_time = wall_time - *time_origin_;
    }
}

void EventFileParser::read_summary(std::string_view summary, std::int64_t step, ImportedLog& log) {
    WireReader r(summary);
    for (WireField f; r.next(f);) {
        if (f.number != 1 || f.type != WireType::bytes) continue;
        std::string tag, plugin;
        std::optional<double> simple;
        std::string_view tensor;
        WireReader value(f.bytes);
        for (WireField v; value.next(v);) {
            if (v.number == value_field::tag && v.type == WireType::bytes)
                tag = std::string(v.bytes);
            else if (v.number == value_field::simple_value && v.type == WireType::fixed32)
                simple = v.as_float();
            else if (v.number == value_field::tensor && v.type == WireType::bytes)
                tensor = v.bytes;
            else if (v.number == value_field::metadata && v.type == WireType::bytes)
                plugin = plugin_name(v.bytes);
        }
        if (simple) {
            add_value(log, &order_, step, tag, *simple, file_, record_);
            continue;
        }
        if (tensor.empty()) {
            ++log.unsupported;  // images, audio, histograms
            continue;
        }
        const TensorValues t = read_tensor(tensor);
        if (t.dtype == dt_string && plugin == "text") {
            auto& rollouts = log.steps[step].rollouts;
            for (std::string_view text : t.strings) {
                rollouts.push_back(text_sample(tag, text, static_cast<int>(rollouts.size())));
                ++log.samples;
            }
        } else if (t.numbers.size() == 1 && (plugin.empty() || plugin == "scalars")) {
            add_value(log, &order_, step, tag, t.numbers.front(), file_, record_);
        } else {
            ++log.unsupported;  // histograms, images, PR curves kept as tensors
        }
    }
}

}  // namespace tinyseek::imports
