// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the masked form TFRecord framing
// stores (TensorBoard event files): checksums that locate damage in a record stream.
#pragma once

#include <cstdint>
#include <string_view>

namespace tinyseek::imports {

std::uint32_t crc32c(std::string_view bytes);
// TFRecord's mask: rotate right by 15 bits and add 0xa282ead8 (so a CRC of data that holds
// CRCs does not degenerate).
std::uint32_t masked_crc32c(std::string_view bytes);

}  // namespace tinyseek::imports
