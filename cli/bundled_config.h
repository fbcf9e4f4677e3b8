// The model the workbench ships with: assets/configs/tiny.json, compiled into the program
// (cli/bundled_config.cpp.in) so a headless build needs no resource files at run time.
#pragma once

namespace tinyseek::cli {

// The text of assets/configs/tiny.json as it was when the program was built.
const char* bundled_tiny_config_json();

// Its name in messages: where the bundled text came from.
inline constexpr const char* kBundledTinyConfigName = "assets/configs/tiny.json, built in";

}  // namespace tinyseek::cli
