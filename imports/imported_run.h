// What a reader makes of another program's training log: steps with named scalars and sampled
// completions, the source's own configuration, and the problems it met on the way. Readers
// fill one ImportedLog; run_import.h writes it into the run store.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/step_report.h"

namespace tinyseek::imports {

// One problem in the input. Lines and records are counted from 1; 0 means the whole file.
struct ImportIssue {
    enum class Kind { malformed, bad_checksum, not_a_number, non_finite, repeated, out_of_order };
    Kind kind = Kind::malformed;
    std::string file;
    std::int64_t line = 0;  // line (text formats) or record (event files)
    std::string what;
};
const char* to_string(ImportIssue::Kind kind);

struct ImportedStep {
    static constexpr double kUnknownTime = std::numeric_limits<double>::quiet_NaN();
    double wall_time = kUnknownTime;  // seconds since the source's first step, when it says
    std::map<std::string, double> scalars;  // workbench names (metric_names.h)
    std::vector<RolloutSample> rollouts;
};

// Everything read from one source so far (or, while following, since the last read).
struct ImportedLog {
    std::map<std::int64_t, ImportedStep> steps;
    nlohmann::json config = nlohmann::json::object();  // the source's own configuration
    std::vector<ImportIssue> issues;
    std::int64_t points = 0;  // scalar values read (after mapping), for the summary
    std::int64_t samples = 0;  // completions read
    std::int64_t unsupported = 0;  // values of kinds not imported (histograms, images, …)
    // Set when a followed file was replaced or truncated: the run is read again from the start.
    bool restarted = false;

    // Records one scalar; returns false when the step already held a value for `key`, which
    // this one replaces (StepOrder reports such a step as `repeated`).
    bool add_scalar(std::int64_t step, const std::string& key, double value);
    void add_issue(ImportIssue::Kind kind, const std::string& file, std::int64_t line,
                   std::string what);
    // Adds `more` (read later) to this log; steps present in both are combined.
    void absorb(ImportedLog&& more);
    bool empty() const { return steps.empty() && issues.empty(); }
};

// "12 problems: 5 malformed lines (a.jsonl: 3, 9, 14, …), 7 repeated steps (…)": one message
// for every issue, at most `max_lines` line numbers each kind. Empty when there are none.
// Which steps of a stream (one key, or a whole line of keys) came in order: the readers report
// what the writers are not supposed to do (a resumed run that logs its steps again).
class StepOrder {
  public:
    // Reports `step` as repeated when it equals the highest step seen under `key` and as
    // out_of_order when it is below it.
    void check(std::int64_t step, const std::string& key, ImportedLog& log, const std::string& file,
               std::int64_t line);

  private:
    std::map<std::string, std::int64_t> highest_;
};

// One value as a source logged it: named by metric_names.h, checked for order (StepOrder, under
// its workbench name) and for being finite. NaN is kept (stored
// as a gap, as for local runs); an infinite value is left out. Both are reported.
// `order` may be null for a reader that checks the order of whole lines itself.
void add_value(ImportedLog& log, StepOrder* order, std::int64_t step, const std::string& source_key,
               double value, const std::string& file, std::int64_t line);

// The length of a completion whose tokenizer is unknown: its Unicode code points.
int count_characters(std::string_view utf8);

std::string summarize_issues(const std::vector<ImportIssue>& issues, int max_lines = 8);

}  // namespace tinyseek::imports
