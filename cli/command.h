// The command-line framework: `tinyseek <command> [options]` runs headless, with or without
// Qt in the build. Each command
// declares its options, so unknown options and malformed values are refused with a message
// that names them, before the command runs. Plain C++: no QApplication is created for a
// command unless the command itself needs one (and then with the offscreen platform).
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tinyseek::cli {

// Wrong usage (unknown option, missing or malformed value). Exit code 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    std::string name;        // without the leading "--"; empty for an operand (PATH)
    std::string value_name;  // e.g. "FILE"; empty for a flag that takes no value
    std::string help;
};

class Args {
  public:
    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    // Parsed values; throw UsageError naming the option and the bad value.
    long long get_int(const std::string& name, long long fallback) const;
    double get_double(const std::string& name, double fallback) const;
    std::vector<long long> get_int_list(const std::string& name,
                                        const std::vector<long long>& fallback) const;
    std::vector<std::string> get_list(const std::string& name,
                                      const std::vector<std::string>& fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }

    void set(const std::string& name, const std::string& value) { values_[name] = value; }
    void add_positional(const std::string& value) { positional_.push_back(value); }

  private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
};

struct Command {
    std::string name;  // one or two words: "model-info", "runs list"
    std::string summary;
    std::vector<OptionSpec> options;
    std::function<int(const Args&)> run;  // returns the exit code
};

// Every command of the program, in the order `--help` lists them (cli/command_table.cpp).
const std::vector<Command>& all_commands();

// The lines of --help that describe the window, set by the Qt side when the workbench is
// built (gui/figures/render_commands.cpp, with the image formats of export) before
// run_command_line(); without them --help says this build has no window.
void set_window_usage(std::string lines);

// Finds the command named by argv[first] (and argv[first+1] for two-word names);
// sets `words` to the number of argv entries the name used. nullptr when none matches.
const Command* find_command(int argc, char** argv, int first, int& words);

// Parses the arguments after the command name against its option list.
Args parse_args(const Command& command, int argc, char** argv, int first);

std::string usage(const Command& command);
std::string program_help();

// The commands of a group, "grm" for "grm train" and "grm scale" (empty when `group` names
// none), and the usage text that lists them.
std::vector<const Command*> group_commands(const std::string& group);
std::string group_usage(const std::string& group);

// Entry for main(): runs a command and returns its exit code, catching every error at this
// boundary (message on stderr, non-zero exit). Returns -1 when argv names no command (the
// caller then opens the window, or says that this build has none). Handles --help and
// --version too.
int run_command_line(int argc, char** argv);

}  // namespace tinyseek::cli
