#include "imports/json_lines.h"

#include <cmath>
#include <limits>

namespace tinyseek::imports {

namespace {

// Quotes the bare words NaN, Infinity and -Infinity outside strings.
std::string quote_bare_words(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < text.size())
                out += text[++i];
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        bool quoted = false;
        for (std::string_view word : {"NaN", "Infinity", "-Infinity"}) {
            if (text.substr(i, word.size()) == word) {
                out += '"';
                out += word;
                out += '"';
                i += word.size() - 1;
                quoted = true;
                break;
            }
        }
        if (!quoted) out += c;
    }
    return out;
}

}  // namespace

nlohmann::json parse_python_json(std::string_view text) {
    if (text.find("NaN") == std::string_view::npos &&
        text.find("Infinity") == std::string_view::npos) {
        return nlohmann::json::parse(text);
    }
    return nlohmann::json::parse(quote_bare_words(text));
}

std::optional<double> number_of(const nlohmann::json& value) {
    if (value.is_number()) return value.get<double>();
    if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    }
    return std::nullopt;
}

bool LineSplitter::next(std::string_view bytes, std::string_view& line) {
    const std::size_t end = bytes.find('\n', consumed_);
    if (end == std::string_view::npos) return false;
    line = bytes.substr(consumed_, end - consumed_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    consumed_ = end + 1;
    ++line_;
    return true;
}

}  // namespace tinyseek::imports
