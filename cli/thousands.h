// Integers with thousands separators, as the commands print parameter and token counts.
#pragma once

#include <cstdint>
#include <string>

namespace tinyseek::cli {

// 1234567 -> "1,234,567": large counts are easier to compare with separators.
std::string grouped(std::int64_t n);

}  // namespace tinyseek::cli
