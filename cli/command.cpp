#include "cli/command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <sstream>
#include <utility>

namespace tinyseek::cli {

std::string Args::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

long long Args::get_int(const std::string& name, long long fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    try {
        size_t used = 0;
        long long v = std::stoll(it->second, &used);
        if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError("option --" + name + " expects an integer, got '" + it->second + "'");
}

double Args::get_double(const std::string& name, double fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    try {
        size_t used = 0;
        double v = std::stod(it->second, &used);
        if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError("option --" + name + " expects a number, got '" + it->second + "'");
}

std::vector<std::string> Args::get_list(const std::string& name,
                                        const std::vector<std::string>& fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::vector<std::string> out;
    std::stringstream ss(it->second);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty())
            throw UsageError("option --" + name + " has an empty item in '" + it->second + "'");
        out.push_back(item);
    }
    if (out.empty()) throw UsageError("option --" + name + " expects a comma-separated list");
    return out;
}

std::vector<long long> Args::get_int_list(const std::string& name,
                                          const std::vector<long long>& fallback) const {
    if (!has(name)) return fallback;
    std::vector<long long> out;
    for (const std::string& item : get_list(name, {})) {
        try {
            size_t used = 0;
            long long v = std::stoll(item, &used);
            if (used != item.size()) throw std::invalid_argument(item);
            out.push_back(v);
        } catch (const std::exception&) {
            throw UsageError("option --" + name + " expects integers, got '" + item + "'");
        }
    }
    return out;
}

const Command* find_command(int argc, char** argv, int first, int& words) {
    if (first >= argc) return nullptr;
    const std::string one = argv[first];
    const std::string two = first + 1 < argc ? one + " " + argv[first + 1] : std::string();
    for (const Command& c : all_commands()) {
        if (!two.empty() && c.name == two) {
            words = 2;
            return &c;
        }
    }
    for (const Command& c : all_commands()) {
        if (c.name == one) {
            words = 1;
            return &c;
        }
    }
    return nullptr;
}

Args parse_args(const Command& command, int argc, char** argv, int first) {
    Args args;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            args.add_positional(a);
            continue;
        }
        std::string name = a.substr(2);
        std::string value;
        bool inline_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        const OptionSpec* spec = nullptr;
        for (const OptionSpec& o : command.options)
            if (!o.name.empty() && o.name == name) spec = &o;
        if (!spec)
            throw UsageError("unknown option --" + name + " for '" + command.name +
                             "' (see: tinyseek " + command.name + " --help)");
        if (spec->value_name.empty()) {
            if (inline_value) throw UsageError("option --" + name + " takes no value");
            args.set(name, "1");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argc)
                throw UsageError("option --" + name + " needs a value (" + spec->value_name + ")");
            value = argv[++i];
        }
        args.set(name, value);
    }
    return args;
}

std::string usage(const Command& c) {
    std::ostringstream out;
    std::string operands;
    for (const OptionSpec& o : c.options) {
        if (o.name.empty()) operands += " " + o.value_name;
    }
    const bool has_options = std::any_of(c.options.begin(), c.options.end(),
                                         [](const OptionSpec& o) { return !o.name.empty(); });
    out << "Usage: tinyseek " << c.name << operands << (has_options ? " [options]" : "") << "\n\n"
        << c.summary << "\n";
    if (!c.options.empty())
        out << (operands.empty() ? "\nOptions:\n" : "\nArguments and options:\n");
    for (const OptionSpec& o : c.options) {
        std::string left = o.name.empty()
                               ? "  " + o.value_name
                               : "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
        out << left;
        if (left.size() < 28)
            out << std::string(28 - left.size(), ' ');
        else
            out << "\n" << std::string(28, ' ');
        out << o.help << "\n";
    }
    return out.str();
}

namespace {

std::string& window_usage() {
    static std::string lines =
        "  (this build has no workbench window: it was configured with "
        "-DTINYSEEK_BUILD_GUI=OFF)\n";
    return lines;
}

}  // namespace

void set_window_usage(std::string lines) {
    window_usage() = std::move(lines);
}

std::string program_help() {
    std::ostringstream out;
    out << "TinySeek Workbench " << TINYSEEK_VERSION
        << " - train and look inside a tiny DeepSeek-style model on the CPU\n\n"
        << "Usage:\n"
        << window_usage()
        << "  tinyseek <command> [options]       run a command without a display\n"
        << "  tinyseek <command> --help          options of one command\n"
        << "  tinyseek --version | --help\n\nCommands:\n";
    for (const Command& c : all_commands()) {
        std::string left = "  " + c.name;
        out << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') << c.summary
            << "\n";
    }
    return out.str();
}

std::vector<const Command*> group_commands(const std::string& group) {
    std::vector<const Command*> members;
    for (const Command& c : all_commands())
        if (c.name.size() > group.size() + 1 &&
            c.name.compare(0, group.size() + 1, group + " ") == 0)
            members.push_back(&c);
    return members;
}

std::string group_usage(const std::string& group) {
    std::ostringstream out;
    out << "Usage: tinyseek " << group << " <command> [options]\n\nCommands:\n";
    for (const Command* c : group_commands(group)) {
        const std::string left = "  " + c->name;
        out << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') << c->summary
            << "\n";
    }
    out << "\nOptions of one command: tinyseek " << group << " <command> --help\n";
    return out.str();
}

namespace {

// `tinyseek GROUP [--help | WORD ...]` without a command of the group: its usage, on stdout
// with exit code 0 for --help, else on stderr (naming the unknown word) with 2.
int run_group_without_command(const std::string& group, int argc, char** argv) {
    const std::string next = argc > 2 ? argv[2] : "";
    if (next == "--help" || next == "-h" || next == "help") {
        std::cout << group_usage(group);
        return 0;
    }
    if (next.empty() || next.rfind("-", 0) == 0)
        std::cerr << "tinyseek " << group << ": a command is missing\n\n";
    else
        std::cerr << "tinyseek: unknown command '" << group << " " << next << "'\n\n";
    std::cerr << group_usage(group);
    return 2;
}

}  // namespace

int run_command_line(int argc, char** argv) {
    if (argc < 2) return -1;
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        std::cout << program_help();
        return 0;
    }
    if (first == "--version" || first == "-v") {
        std::cout << "tinyseek " << TINYSEEK_VERSION << "\n";
        return 0;
    }
    if (first.rfind("-", 0) == 0) return -1;  // window options such as --screenshot
    int words = 0;
    const Command* command = find_command(argc, argv, 1, words);
    if (!command) {
        if (!group_commands(first).empty()) return run_group_without_command(first, argc, argv);
        std::cerr << "tinyseek: unknown command '" << first << "' (see: tinyseek --help)\n";
        return 2;
    }
    for (int i = 1 + words; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << usage(*command);
            return 0;
        }
    }
    try {
        Args args = parse_args(*command, argc, argv, 1 + words);
        return command->run(args);
    } catch (const UsageError& e) {
        std::cerr << "tinyseek " << command->name << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "tinyseek " << command->name << ": error: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace tinyseek::cli
