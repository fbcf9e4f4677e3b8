#include "cli/csv_file.h"

#include <charconv>
#include <cmath>

#include "core/errors.h"

namespace tinyseek::cli {

std::string csv_number(double v) {
    if (std::isnan(v)) return "nan";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

CsvFile::CsvFile(const std::filesystem::path& path, const std::string& header)
    : path_(path), out_(path) {
    if (!out_) throw Error(path.string() + ": cannot create the file");
    out_ << header << "\n";
}

void CsvFile::row(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) out_ << (i ? "," : "") << fields[i];
    out_ << "\n";
}

std::string CsvFile::close() {
    out_.close();
    if (!out_) throw Error(path_.string() + ": write failed (disk full?)");
    return path_.string();
}

}  // namespace tinyseek::cli
