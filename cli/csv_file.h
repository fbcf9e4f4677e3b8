// CSV as the exports write it (RFC 4180): numbers in their shortest exact form (NaN as "nan"),
// fields quoted only when they hold a comma, quote or line break, and a write error reported
// when the file is closed, so a full disk never passes as a finished export.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tinyseek::cli {

// Shortest text that reads back as the same double (std::to_chars); NaN as "nan".
std::string csv_number(double v);
// The field as written: quoted, quotes doubled, when it needs to be.
std::string csv_field(const std::string& s);

class CsvFile {
  public:
    // Creates the file and writes the header line; throws Error when it cannot.
    CsvFile(const std::filesystem::path& path, const std::string& header);
    // Fields are written as given: pass them through csv_field / csv_number.
    void row(const std::vector<std::string>& fields);
    // Returns the path; throws Error when a write failed.
    std::string close();

  private:
    std::filesystem::path path_;
    std::ofstream out_;
};

}  // namespace tinyseek::cli
