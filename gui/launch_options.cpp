#include "gui/launch_options.h"

#include <filesystem>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "gui/app_settings.h"
#include "gui/pages/page_registry.h"
#include "gui/theme.h"

namespace tinyseek::gui {

namespace {

std::string joined(const QStringList& items) {
    return items.join(QStringLiteral(", ")).toStdString();
}

bool isSet(const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
}

}  // namespace

std::string parseLaunchOptions(int argc, char** argv, LaunchOptions& options) {
    struct Spec {
        const char* name;
        std::string* value;
    };
    const std::vector<Spec> specs = {{"screenshot", &options.screenshot},
                                     {"page", &options.page},
                                     {"db", &options.db},
                                     {"run", &options.run},
                                     {"compare", &options.compare},
                                     {"x-axis", &options.xAxis},
                                     {"metrics", &options.metrics},
                                     {"group", &options.group},
                                     {"from-step", &options.fromStep},
                                     {"text", &options.exploreText},
                                     {"import", &options.importPath},
                                     {"follow", &options.followPath},
                                     {"lang", &options.lang},
                                     {"theme", &options.theme},
                                     {"measure-latency", &options.measureLatency},
                                     {"preset", &options.preset}};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0)
            return "unexpected argument '" + arg + "' (see: tinyseek --help)";
        std::string name = arg.substr(2);
        std::string value;
        bool inlineValue = false;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inlineValue = true;
        }
        const Spec* spec = nullptr;
        for (const Spec& s : specs)
            if (name == s.name) spec = &s;
        if (!spec) return "unknown option '--" + name + "' (see: tinyseek --help)";
        if (!inlineValue) {
            if (i + 1 >= argc) return "option --" + name + " needs a value";
            value = argv[++i];
        }
        if (value.empty()) return "option --" + name + " needs a non-empty value";
        *spec->value = value;
    }
    return checkLaunchOptions(options);
}

std::string checkLaunchOptions(LaunchOptions& options) {
    if (!options.page.empty()) {
        const QString id = pageIdForName(QString::fromStdString(options.page));
        if (id.isEmpty())
            return "unknown page '" + options.page + "' (valid pages: " + joined(pageIds()) +
                   ", or their titles as the window shows them, e.g. \"Reward Model\"; "
                   "kv-cache opens the Inference page's KV cache tab)";
        options.section = pageSectionForName(QString::fromStdString(options.page)).toStdString();
        options.page = id.toStdString();
    }
    if (!options.lang.empty() &&
        !supportedLanguages().contains(QString::fromStdString(options.lang)))
        return "unknown language '" + options.lang +
               "' (valid languages: " + joined(supportedLanguages()) + ")";
    if (!options.measureLatency.empty()) {
        char* end = nullptr;
        const double seconds = std::strtod(options.measureLatency.c_str(), &end);
        if (*end != '\0' || !(seconds > 0.0) || seconds > 3600.0)
            return "option --measure-latency: '" + options.measureLatency +
                   "' is not a number of seconds in (0, 3600]";
    }
    if (!options.preset.empty()) {
        if (options.measureLatency.empty())
            return "option --preset names the model of --measure-latency's run (add it)";
        const std::vector<std::string> trainable = {"tiny", "small", "medium"};
        if (std::find(trainable.begin(), trainable.end(), options.preset) == trainable.end())
            return "option --preset: '" + options.preset + "' (expected tiny, small or medium)";
    }
    if (!options.run.empty()) {
        char* end = nullptr;
        const long long id = std::strtoll(options.run.c_str(), &end, 10);
        if (*end != '\0' || id < 1)
            return "option --run: '" + options.run + "' is not a run id (a positive integer)";
        if (options.db.empty()) return "option --run needs --db FILE (the database of the run)";
    }
    if (!options.compare.empty()) {
        if (options.run.empty())
            return "option --compare needs --run ID (the run the others are compared with)";
        if (compareRunIds(options).empty())
            return "option --compare: '" + options.compare +
                   "' is not a comma-separated list of run ids (positive integers)";
    }
    if (!options.fromStep.empty()) {
        char* end = nullptr;
        const long long step = std::strtoll(options.fromStep.c_str(), &end, 10);
        if (*end != '\0' || step < 0)
            return "option --from-step: '" + options.fromStep + "' is not a step (an integer >= 0)";
    }
    if (!options.importPath.empty() && !options.followPath.empty())
        return "give --import PATH (read once) or --follow PATH (keep reading), not both";
    for (const std::string* path : {&options.importPath, &options.followPath}) {
        std::error_code ec;
        if (!path->empty() && !std::filesystem::exists(*path, ec))
            return "option --" + std::string(path == &options.importPath ? "import" : "follow") +
                   ": no such file or folder: " + *path;
    }
    if (!options.xAxis.empty() && options.xAxis != "step" && options.xAxis != "time")
        return "unknown x axis '" + options.xAxis + "' (valid: step, time)";
    Theme theme;
    if (!options.theme.empty() && !themeFromKey(QString::fromStdString(options.theme), theme))
        return "unknown theme '" + options.theme + "' (valid themes: system, light, dark)";
    return {};
}

std::vector<long long> compareRunIds(const LaunchOptions& options) {
    std::vector<long long> ids;
    std::size_t start = 0;
    while (start <= options.compare.size()) {
        const std::size_t comma =
            std::min(options.compare.find(',', start), options.compare.size());
        const std::string item = options.compare.substr(start, comma - start);
        char* end = nullptr;
        const long long id = std::strtoll(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || id < 1) return {};
        ids.push_back(id);
        start = comma + 1;
    }
    return ids;
}

bool environmentHasDisplay() {
    return isSet("DISPLAY") || isSet("WAYLAND_DISPLAY") || isSet("QT_QPA_PLATFORM");
}

}  // namespace tinyseek::gui
