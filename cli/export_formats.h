// The formats of `tinyseek export`: each one writes files about one run into the output
// directory. A headless format is one more entry in export_formats() (cli/cmd_export.cpp)
// with its handler in its own file; the image formats need Qt and are added from the Qt side
// with add_export_format() (gui/figures/render_commands.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "training/run_store.h"

namespace tinyseek::cli {

struct ExportJob {
    const RunStore& store;
    RunInfo run;
    std::filesystem::path out_dir;  // exists when a handler runs
    // Image formats: also time generation on this machine (--measure-throughput) for the
    // Inference page's throughput figures, which are a measurement of the machine, not of
    // the run, and so are not drawn otherwise.
    bool measure_throughput = false;
};

struct ExportFormat {
    std::string name;         // as given to --formats, e.g. "csv"
    std::string description;  // one line for --help and error messages
    // Writes the files and returns their paths; throws on failure (the command reports it).
    std::function<std::vector<std::string>(const ExportJob&)> write;
    // Called once when the export command ends, after every format has written (may be
    // empty): frees what the handler kept between formats while the process is fully alive.
    std::function<void()> finish;
};

// Every supported format of this build, in the order --formats lists them.
const std::vector<ExportFormat>& export_formats();
void add_export_format(ExportFormat format);

// CSV (cli/export_csv.cpp): metrics.csv (long format: step,wall_time,key,value), one
// metrics/<key>.csv per metric (step,wall_time,value; "/" in a key becomes "_"),
// expert_load.csv (step,layer,expert,load,gate_weight,bias), rollouts.csv (id,step,prompt,
// completion,accuracy,format,reward,advantage,length,malformed) and run.json (the run row
// with its configuration). Numbers are written in their shortest exact form, NaN as "nan",
// values a step did not record as empty fields.
std::vector<std::string> export_csv(const ExportJob& job);

}  // namespace tinyseek::cli
