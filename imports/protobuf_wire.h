// The protobuf wire format, read field by field: enough to take scalars and text out of
// TensorBoard's Event messages without generated code. Every length is checked against the
// bytes that are there; a malformed message throws WireError, never reads past its end.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace tinyseek::imports {

struct WireError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class WireType { varint = 0, fixed64 = 1, bytes = 2, fixed32 = 5 };

struct WireField {
    std::uint32_t number = 0;
    WireType type = WireType::varint;
    std::uint64_t value = 0;  // varint, fixed64 or fixed32 (raw bits)
    std::string_view bytes;   // length-delimited: a string, sub-message or packed array

    double as_double() const;  // fixed64 holding an IEEE double
    float as_float() const;    // fixed32 holding an IEEE float
};

class WireReader {
  public:
    explicit WireReader(std::string_view message) : rest_(message) {}
    // The next field, or false at the end of the message. Groups (wire types 3 and 4, unused
    // since proto2) are refused.
    bool next(WireField& field);
    // Reads one varint from the front of `bytes` and advances it.
    static std::uint64_t read_varint(std::string_view& bytes);

  private:
    std::string_view rest_;
};

}  // namespace tinyseek::imports
