// Safetensors reader and writer (the format of huggingface/safetensors):
//
//   [8 bytes]  N, unsigned little-endian 64-bit: length of the header
//   [N bytes]  UTF-8 JSON object, starting with '{', padded at the end with spaces:
//              {"__metadata__": {"key": "value", ...},          (optional, strings only)
//               "<tensor name>": {"dtype": "F32", "shape": [d0, d1],
//                                 "data_offsets": [begin, end]}, ...}
//   [rest]     the byte buffer; offsets are relative to its start, end exclusive.
//
// Writer: F32 only, row-major, tensors in the caller's order (ParamLayout order), header
// padded with spaces so the buffer starts at a multiple of 8 bytes, written atomically.
//
// Reader: the whole file is read into memory and every field is checked before any value
// is used: header length against the file size (and <= 100 MB, the spec's limit), JSON
// syntax, duplicate names, each entry's dtype (F32 only), shape (non-negative integers,
// overflow-checked), data_offsets (two integers, begin <= end, end <= buffer size,
// end - begin == numel * 4), and the ranges together must tile the buffer exactly: no
// overlap, no gap, no trailing bytes (as the reference implementation requires). Any
// violation throws CheckpointError naming the source and the tensor; no input crashes.
//
// Matching against a model (load_into): every expected tensor must be present with the
// expected shape, and an unexpected extra tensor is an error too (a checkpoint with more
// tensors than the config describes was written for a different config). Nothing is copied
// unless everything matches.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tinyseek {

class ParamStore;

using Metadata = std::map<std::string, std::string>;

// One tensor to write: `data` points at numel(shape) floats.
struct TensorRef {
    std::string name;
    std::vector<int64_t> shape;
    const float* data = nullptr;
};

// One tensor to read into: the file must hold `name` with exactly `shape`.
struct TensorSlot {
    std::string name;
    std::vector<int64_t> shape;
    float* data = nullptr;
};

// One entry of a parsed header. Offsets are relative to the start of the byte buffer.
struct SafetensorsEntry {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

// "[8,128]" — the notation of error messages.
std::string shape_to_string(const std::vector<int64_t>& shape);

// The serialised file (header + buffer) as bytes; used by the writer and by tests.
std::string serialize_safetensors(std::span<const TensorRef> tensors, const Metadata& metadata);

// Atomic write (temp file in the same directory, fsync, rename). Throws CheckpointError.
void write_safetensors(const std::string& path, std::span<const TensorRef> tensors,
                       const Metadata& metadata = {});

// A parsed and fully validated file held in memory.
class SafetensorsFile {
  public:
    // `source` names the file in error messages. Throws CheckpointError.
    static SafetensorsFile parse(std::string bytes, const std::string& source);
    static SafetensorsFile parse(std::span<const uint8_t> bytes, const std::string& source);
    static SafetensorsFile read(const std::string& path);

    const std::string& source() const { return source_; }
    const Metadata& metadata() const { return metadata_; }
    // Sorted by data offset, i.e. in the order the buffer holds them.
    const std::vector<SafetensorsEntry>& entries() const { return entries_; }
    const SafetensorsEntry* find(std::string_view name) const;
    uint64_t header_length() const { return header_length_; }

    // Copies one entry's floats (numel(shape) of them) to `out`.
    void copy_to(const SafetensorsEntry& entry, float* out) const;
    // Checks the file holds exactly the tensors of `slots` (names and shapes, nothing more);
    // `data` is not used, so callers can check before they allocate.
    void check_matches(std::span<const TensorSlot> slots) const;
    // check_matches, then copies every tensor into its slot.
    void load_into(std::span<const TensorSlot> slots) const;

  private:
    std::string source_;
    std::string bytes_;  // the whole file
    uint64_t header_length_ = 0;
    uint64_t data_start_ = 0;  // 8 + header_length_
    Metadata metadata_;
    std::vector<SafetensorsEntry> entries_;
    std::unordered_map<std::string, size_t> index_;  // name -> position in entries_
};

// Every tensor of the layout, named and shaped as the layout says.
std::vector<TensorRef> tensor_refs(const ParamStore& params);
std::vector<TensorSlot> tensor_slots(ParamStore& params);

// ParamStore <-> model.safetensors.
void save_params(const std::string& path, const ParamStore& params, const Metadata& metadata = {});
// Fills `params` (whose layout says what is expected); returns the file's __metadata__.
Metadata load_params(const std::string& path, ParamStore& params);

}  // namespace tinyseek
