// JSON as Python's json module writes it: one value per line, and NaN, Infinity and -Infinity
// as bare words (json.dumps allows them by default; strict JSON does not).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tinyseek::imports {

// Parses one value; the bare words come back as the strings "NaN", "Infinity", "-Infinity".
// Throws nlohmann::json::parse_error.
nlohmann::json parse_python_json(std::string_view text);

// The number a logged value stands for: numbers, booleans (0/1), the three bare words, and
// null as NaN (verl's orjson writer and TRL write NaN as null); nullopt for anything else
// (strings, lists, objects).
std::optional<double> number_of(const nlohmann::json& value);

// Splits complete lines off the front of a growing buffer: `next` hands out each line whose
// newline has arrived (without it) and counts lines from 1; what follows the last newline
// waits for more bytes.
class LineSplitter {
  public:
    bool next(std::string_view bytes, std::string_view& line);
    std::size_t consumed() const { return consumed_; }  // bytes of the lines handed out
    std::int64_t line_number() const { return line_; }  // of the last line handed out
    void restart() { consumed_ = 0; }  // a new buffer (the caller dropped consumed bytes)

  private:
    std::size_t consumed_ = 0;
    std::int64_t line_ = 0;
};

}  // namespace tinyseek::imports
