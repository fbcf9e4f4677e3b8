// Fresh, empty places for a test's files under the build's scratch folder (TINYSEEK_TEST_TMP).
#pragma once

#include <filesystem>
#include <string>

namespace tinyseek::testing {

// TINYSEEK_TEST_TMP/<group>/<name>, emptied and created. Write permission is restored first,
// in case an earlier run of a test left the directory read-only.
inline std::filesystem::path fresh_dir(const std::string& group, const std::string& name) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / group / name;
    if (fs::exists(dir)) fs::permissions(dir, fs::perms::all, fs::perm_options::add);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// "<fresh_dir(group, name)>/runs.db", a run store that does not exist yet.
inline std::string fresh_db(const std::string& group, const std::string& name) {
    return (fresh_dir(group, name) / "runs.db").string();
}

}  // namespace tinyseek::testing
