// verl's logs (volcengine/verl, read at v0.6.0 and at main of 2026-01): the file logger's
// metrics (verl/utils/tracking.py, FileLogger, v0.6.0 on: one line per step, {"step": N, "data":
// {key: value}}, NaN as a bare word from json.dumps or as null from orjson; a step-0 line when
// validation runs before training) and
// the trainer's generation dumps (verl/trainer/ppo/ray_trainer.py, _dump_generations, written
// whole: <dir>/<step>.jsonl, one completion per line with "input", "output", "score", "step",
// the ground truth "gts" and the reward function's extra fields such as "acc").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "imports/imported_run.h"
#include "imports/json_lines.h"

namespace tinyseek::imports {

// True when `line` is a metrics line of the file logger.
bool is_verl_metrics_line(std::string_view line);
// True when `line` is a line of a generation dump.
bool is_verl_dump_line(std::string_view line);

class VerlMetricsParser {
  public:
    explicit VerlMetricsParser(std::string file) : file_(std::move(file)) {}
    // Reads the complete lines at the front of `bytes`; returns the bytes they took (a last
    // line without its newline waits for the next call).
    std::size_t parse(std::string_view bytes, ImportedLog& log);

  private:
    void read_line(std::string_view line, std::int64_t number, ImportedLog& log);
    void read_data(const nlohmann::json& data, std::int64_t step, std::int64_t number,
                   ImportedLog& log);

    std::string file_;
    LineSplitter lines_;
    StepOrder order_;
    double clock_ = 0.0;  // the sum of timing_s/step: training seconds up to the step
};

// Reads one whole dump file: the completions of one step, `source` train (rollout_data_dir)
// or eval (validation_data_dir). Consecutive lines with the same input form a group (verl
// repeats each prompt n times in a row).
void read_verl_dump(std::string_view text, const std::string& file, RolloutSource source,
                    ImportedLog& log);

}  // namespace tinyseek::imports
