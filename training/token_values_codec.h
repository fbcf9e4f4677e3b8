// The stored form of TokenValues (training/step_report.h), the `rollouts.token_values` blob:
//
//   byte 0       format, 1
//   bytes 1..4   n_ids, uint32 little-endian
//   bytes 5..8   n_values (<= n_ids), uint32 little-endian
//   then         n_ids token ids as uint16, n_values log-probs, n_values entropies
//
// Log-probs and entropies are kept as BF16 (core/bf16.h): three significant digits are plenty
// to colour a token, and 6 bytes a token keep every completion of a default GRPO run well under
// the budget of 50 MB per 1,000 steps (training/SCHEMA.md "rollouts").
#pragma once

#include <string>
#include <string_view>

#include "training/step_report.h"

namespace tinyseek {

// Throws StoreError(invalid_argument) when an id does not fit 16 bits or the value arrays
// differ in length or outnumber the ids.
std::string encode_token_values(const TokenValues& values);

// Throws StoreError(corrupt) naming what is wrong when `bytes` is not a blob of this format.
TokenValues decode_token_values(std::string_view bytes);

}  // namespace tinyseek
