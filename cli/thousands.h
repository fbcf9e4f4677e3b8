// Counts and sizes as the commands print them: integers with thousands separators (parameter
// and token counts) and byte sizes in binary units.
#pragma once

#include <cstdint>
#include <string>

namespace tinyseek::cli {

// 1234567 -> "1,234,567": large counts are easier to compare with separators.
std::string grouped(std::int64_t n);

// 70272 -> "68.6 KiB".
std::string human_bytes(double bytes);

// 0.000123 -> "1.23e-04": errors spanning many orders of magnitude.
std::string scientific(double v);

// (0.8512, 3) -> "0.851": accuracies and ratios in tables.
std::string fixed(double v, int digits);

}  // namespace tinyseek::cli
