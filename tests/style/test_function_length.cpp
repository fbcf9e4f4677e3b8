// Every function of the project's code fits on a screen: at most kMaxLines lines from its
// signature to its closing brace, in core/, training/, cli/, viz/ and gui/ (docs/ARCHITECTURE.md
// "Conventions"). A function that is a data table (a list of entries with nothing else in
// it) may be longer; the line above its signature then says `// function-length: data table`.
//
// The sources are clang-formatted (the clang_format test), so a function at namespace scope
// starts at column 0 and its body ends with a `}` alone at column 0; that is all this scan
// needs. Functions defined inside a class body are counted with the class skipped, so keep
// them short by hand (they are one-liners here).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr int kMaxLines = 80;
constexpr std::string_view kTableMarker = "// function-length: data table";

struct FunctionSpan {
    std::string file;
    int first_line = 0;  // 1-based, the signature's first line
    int lines = 0;
    std::string signature;
    bool table = false;
};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// A column-0 line that may begin a function definition (not a scope, comment or directive).
bool may_start_function(const std::string& line) {
    if (line.empty() || line[0] == ' ' || line[0] == '}' || line[0] == '#' || line[0] == '/')
        return false;
    for (std::string_view skip : {"namespace", "class ", "struct ", "enum ", "union ", "extern ",
                                  "using ", "typedef ", "template <", "Q_", "QT_", "static_assert"})
        if (starts_with(line, skip)) return false;
    // A variable with an initialiser (e.g. a lambda or table assigned at namespace scope).
    const auto paren = line.find('(');
    return line.find('=') == std::string::npos || line.find('=') > paren;
}

std::vector<FunctionSpan> scan(const fs::path& path, const std::string& shown) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::vector<FunctionSpan> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!may_start_function(lines[i])) continue;
        // The signature runs to the first line ending in '{' (a definition) or ';' (not one).
        std::size_t open = i;
        while (open < lines.size() && !lines[open].ends_with("{") && !lines[open].ends_with(";"))
            ++open;
        if (open >= lines.size() || lines[open].ends_with(";")) {
            i = open;
            continue;
        }
        std::size_t close = open + 1;
        while (close < lines.size() && lines[close] != "}" && lines[close] != "};") ++close;
        FunctionSpan f;
        f.file = shown;
        f.first_line = static_cast<int>(i) + 1;
        f.lines = static_cast<int>(close - i) + 1;
        f.signature = lines[i];
        f.table = i > 0 && starts_with(lines[i - 1], kTableMarker);
        out.push_back(f);
        i = close;
    }
    return out;
}

std::vector<FunctionSpan> project_functions() {
    const fs::path root = TINYSEEK_SOURCE_DIR;
    std::vector<FunctionSpan> all;
    for (const char* dir : {"core", "training", "cli", "viz", "gui"}) {
        if (!fs::exists(root / dir)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
            const std::string shown = fs::relative(entry.path(), root).string();
            for (FunctionSpan& f : scan(entry.path(), shown)) all.push_back(std::move(f));
        }
    }
    return all;
}

}  // namespace

TEST(FunctionLength, ScanFindsFunctionsItShould) {
    // The scan must see the project's functions at all, or the check below proves nothing:
    // a few known definitions, with multi-line signatures among them.
    const std::vector<FunctionSpan> all = project_functions();
    EXPECT_GT(all.size(), 500u);
    auto found = [&](std::string_view file, std::string_view part) {
        for (const FunctionSpan& f : all)
            if (f.file == file && f.signature.find(part) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(found("core/generator.cpp", "Generator::generate("));
    EXPECT_TRUE(found("training/grpo_trainer.cpp", "GrpoTrainer::step("));
    EXPECT_TRUE(found("cli/command.cpp", "parse_args("));
}

TEST(FunctionLength, NoFunctionOverEightyLinesButTables) {
    std::ostringstream long_ones;
    int n = 0;
    for (const FunctionSpan& f : project_functions()) {
        if (f.lines <= kMaxLines || f.table) continue;
        long_ones << "  " << f.file << ":" << f.first_line << "  " << f.lines << " lines  "
                  << f.signature << "\n";
        ++n;
    }
    EXPECT_EQ(n, 0) << "functions over " << kMaxLines << " lines (split them into named "
                    << "phases, or mark a pure data table):\n"
                    << long_ones.str();
}
