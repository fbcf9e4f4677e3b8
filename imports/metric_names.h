// One table from the metric names other programs log to the workbench's own (TRL's names,
// training/step_report.h), so an imported run's charts line up with local runs. A key the
// table does not know keeps its own name. The table is documented in docs/ARCHITECTURE.md
// "Imported runs" and printed by `tinyseek import --names`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tinyseek::imports {

struct NameMapping {
    const char* source_key;  // as the source logs it (after the prefix rules below)
    const char* workbench_key;
    const char* writer;  // who logs it: "verl", "TRL", "OpenRLHF"
};

// The renames, in table order.
const std::vector<NameMapping>& name_mappings();

// The workbench name of `source_key`. Prefix rules first: "train/" is dropped (transformers'
// TensorBoard and W&B callbacks and OpenRLHF put it on every training key) and "eval_"
// becomes "eval/" (transformers' evaluation keys in trainer_state.json); then the table.
std::string workbench_name(std::string_view source_key);

}  // namespace tinyseek::imports
