#include "imports/protobuf_wire.h"

#include <cstring>

namespace tinyseek::imports {

namespace {

std::uint64_t read_fixed(std::string_view& bytes, int size) {
    if (bytes.size() < static_cast<std::size_t>(size)) {
        throw WireError("a fixed-width field runs past the end of the message");
    }
    std::uint64_t v = 0;
    for (int i = size - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    bytes.remove_prefix(size);
    return v;
}

}  // namespace

double WireField::as_double() const {
    double d;
    std::memcpy(&d, &value, sizeof d);
    return d;
}

float WireField::as_float() const {
    const auto bits = static_cast<std::uint32_t>(value);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

std::uint64_t WireReader::read_varint(std::string_view& bytes) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (bytes.empty()) throw WireError("a varint runs past the end of the message");
        const auto b = static_cast<unsigned char>(bytes.front());
        bytes.remove_prefix(1);
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) return v;
    }
    throw WireError("a varint is longer than 10 bytes");
}

bool WireReader::next(WireField& field) {
    if (rest_.empty()) return false;
    const std::uint64_t key = read_varint(rest_);
    field.number = static_cast<std::uint32_t>(key >> 3);
    if (field.number == 0 || key >> 3 > 0x1FFFFFFF) throw WireError("a field number is invalid");
    field.bytes = {};
    field.value = 0;
    switch (key & 7) {
        case 0:
            field.type = WireType::varint;
            field.value = read_varint(rest_);
            return true;
        case 1:
            field.type = WireType::fixed64;
            field.value = read_fixed(rest_, 8);
            return true;
        case 2: {
            field.type = WireType::bytes;
            const std::uint64_t size = read_varint(rest_);
            if (size > rest_.size()) throw WireError("a length-delimited field runs past the end");
            field.bytes = rest_.substr(0, size);
            rest_.remove_prefix(size);
            return true;
        }
        case 5:
            field.type = WireType::fixed32;
            field.value = read_fixed(rest_, 4);
            return true;
        default:
            throw WireError("wire type " + std::to_string(key & 7) + " is not supported");
    }
}

}  // namespace tinyseek::imports
