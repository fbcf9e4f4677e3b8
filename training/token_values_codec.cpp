#include "training/token_values_codec.h"

#include <bit>
#include <cstdint>

#include "core/bf16.h"
#include "training/run_store_error.h"

namespace tinyseek {

namespace {

constexpr unsigned char kFormat = 1;
constexpr std::size_t kHeaderBytes = 9;
using K = StoreError::Kind;

void put_u16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>(v & 0xffu));
    out.push_back(static_cast<char>((v >> 8) & 0xffu));
}

void put_u32(std::string& out, std::uint32_t v) {
    put_u16(out, v & 0xffffu);
    put_u16(out, v >> 16);
}

std::uint32_t get_u16(std::string_view in, std::size_t at) {
    return static_cast<unsigned char>(in[at]) | static_cast<unsigned char>(in[at + 1]) << 8;
}

std::uint32_t get_u32(std::string_view in, std::size_t at) {
    return get_u16(in, at) | get_u16(in, at + 2) << 16;
}

// The upper half of the float's bits after rounding to BF16.
std::uint32_t bf16_bits(float x) {
    return std::bit_cast<std::uint32_t>(round_to_bf16(x)) >> 16;
}

float from_bf16_bits(std::uint32_t bits) {
    return std::bit_cast<float>(bits << 16);
}

}  // namespace

std::string encode_token_values(const TokenValues& v) {
    if (v.logprob.size() != v.entropy.size() || v.logprob.size() > v.ids.size())
        throw StoreError(K::invalid_argument,
                         "token values: " + std::to_string(v.ids.size()) + " ids, " +
                             std::to_string(v.logprob.size()) + " log-probs and " +
                             std::to_string(v.entropy.size()) +
                             " entropies (expected equal value counts, at most one per id)");
    std::string out;
    out.reserve(kHeaderBytes + 2 * v.ids.size() + 4 * v.logprob.size());
    out.push_back(static_cast<char>(kFormat));
    put_u32(out, static_cast<std::uint32_t>(v.ids.size()));
    put_u32(out, static_cast<std::uint32_t>(v.logprob.size()));
    for (int id : v.ids) {
        if (id < 0 || id > 0xffff)
            throw StoreError(K::invalid_argument, "token values: token id " + std::to_string(id) +
                                                      " does not fit 16 bits");
        put_u16(out, static_cast<std::uint32_t>(id));
    }
    for (float x : v.logprob) put_u16(out, bf16_bits(x));
    for (float x : v.entropy) put_u16(out, bf16_bits(x));
    return out;
}

TokenValues decode_token_values(std::string_view in) {
    const auto corrupt = [&](const std::string& what) {
        return StoreError(K::corrupt, "stored token values are damaged (" + what + ", " +
                                          std::to_string(in.size()) + " bytes)");
    };
    if (in.size() < kHeaderBytes) throw corrupt("shorter than the header");
    if (static_cast<unsigned char>(in[0]) != kFormat)
        throw corrupt("unknown format " + std::to_string(static_cast<unsigned char>(in[0])));
    const std::uint64_t n_ids = get_u32(in, 1), n_values = get_u32(in, 5);
    if (n_values > n_ids) throw corrupt("more values than tokens");
    if (in.size() != kHeaderBytes + 2 * n_ids + 4 * n_values)
        throw corrupt("expected " + std::to_string(n_ids) + " tokens and " +
                      std::to_string(n_values) + " values");
    TokenValues v;
    v.ids.resize(n_ids);
    v.logprob.resize(n_values);
    v.entropy.resize(n_values);
    std::size_t at = kHeaderBytes;
    for (auto& id : v.ids) id = static_cast<int>(get_u16(in, (at += 2) - 2));
    for (auto& x : v.logprob) x = from_bf16_bits(get_u16(in, (at += 2) - 2));
    for (auto& x : v.entropy) x = from_bf16_bits(get_u16(in, (at += 2) - 2));
    return v;
}

}  // namespace tinyseek
