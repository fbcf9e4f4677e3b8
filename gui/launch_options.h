// Options of the window path of the command line (`tinyseek [--screenshot OUT.png]
// [--page NAME] [--db FILE] [--run ID] [--compare ID,...] [--x-axis step|time] [--metrics
// FILTER] [--group KEY] [--lang en|zh_CN] [--theme system|light|dark] [--from-step N]
// [--text STR] [--import PATH | --follow PATH] [--measure-latency SECONDS [--preset NAME]]`).
// Parsed
// before any QApplication exists, so a bad value is refused without touching the display.
#pragma once

#include <string>
#include <vector>

namespace tinyseek::gui {

struct LaunchOptions {
    std::string screenshot;  // empty: open the window normally
    std::string page;        // a page id from pageIds() (a title given is turned into its id);
                             // empty: Training (or the saved layout)
    std::string section;     // the part of the page --page named, e.g. "kv-cache"; empty: none
    std::string db;          // database to open; empty: the last one
    std::string run;         // run id to show on every page; empty: the remembered or newest
    std::string compare;     // comma-separated run ids overlaid on the Training page (with --run)
    // Training page x axis: "step" or "time" (wall time, which lines up runs of equal training
    // time, e.g. a GRPO stage and its control arm); empty: the page's stored choice.
    std::string xAxis;
    // Training page metric filter (its filter box: text of a key or title, alternatives split
    // by '|'); empty: the page's own.
    std::string metrics;
    // Training page: draw the shown runs that differ only in this config key (e.g. "seed") as
    // one curve with a band per group; empty: each run apart.
    std::string group;
    std::string fromStep;  // Rollouts page: the first step listed; empty: from the start
    // Explore page: the text inspected once a model is open; empty: a held-out problem.
    std::string exploreText;
    // Another program's logs to read into the database at start (a file or a folder), once
    // (--import) or followed while the window is open (--follow); empty: none.
    std::string importPath;
    std::string followPath;
    std::string lang;   // "en" / "zh_CN"; empty: the stored choice or the system locale
    std::string theme;  // "system" / "light" / "dark"; empty: the stored choice
    // Seconds: start a full-speed run, print the GUI event-loop latency as JSON, exit.
    std::string measureLatency;
    // The model preset of that run (tiny, small, medium); empty: the New Run dialog's default.
    std::string preset;
};

// The run ids of `--compare`, in order (empty when the option is absent or malformed).
std::vector<long long> compareRunIds(const LaunchOptions& options);

// Parses argv[1..]; returns an empty string on success, otherwise the message for stderr
// (naming the bad option or value and the valid ones).
std::string parseLaunchOptions(int argc, char** argv, LaunchOptions& options);
// The checks of parseLaunchOptions() once the values are read; turns a page title given into
// its id and section.
std::string checkLaunchOptions(LaunchOptions& options);

// True when the environment names a display (DISPLAY, WAYLAND_DISPLAY) or a Qt platform
// (QT_QPA_PLATFORM), i.e. when creating a QApplication will not abort for lack of one.
bool environmentHasDisplay();

}  // namespace tinyseek::gui
