#include "imports/log_source.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>

#include "imports/import_error.h"
#include "imports/tail_file.h"
#include "imports/tf_event_reader.h"
#include "imports/trl_reader.h"
#include "imports/verl_reader.h"

namespace tinyseek::imports {

namespace fs = std::filesystem;

std::string LogSource::display_name() const {
    const fs::path p(path_);
    std::string name = p.filename().string();
    if (name.empty()) name = p.parent_path().filename().string();
    if (p.has_extension() && format_ == "verl") name = p.stem().string();
    return format_ + ": " + name;
}

namespace {

bool is_event_file(const fs::path& p) {
    return p.filename().string().starts_with("events.out.tfevents");
}

// The first line of a file (at most 1 MB of it).
std::string first_line(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string line;
    std::getline(in, line);
    if (line.size() > (1u << 20)) line.resize(1u << 20);
    return line;
}

// <step>.jsonl: the name of a generation dump.
bool is_dump_name(const fs::path& p) {
    const std::string stem = p.stem().string();
    return p.extension() == ".jsonl" && !stem.empty() &&
           std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    return entries;
}

class VerlSource final : public LogSource {
  public:
    VerlSource(std::string path, fs::path metrics, std::vector<fs::path> dump_dirs)
        : LogSource(std::move(path), "verl"), metrics_(metrics), dump_dirs_(std::move(dump_dirs)),
          parser_(metrics.filename().string()) {}

    ImportedLog poll() override {
        ImportedLog log;
        if (!metrics_.path().empty()) {
            if (metrics_.poll()) {
                parser_ = VerlMetricsParser(metrics_.path().filename().string());
                dump_stamps_.clear();
                log.restarted = true;
            }
            metrics_.consume(parser_.parse(metrics_.pending(), log));
        }
        for (const fs::path& dir : dump_dirs_) read_dumps(dir, log);
        return log;
    }

  private:
    // The dump files that are new or changed; one still being written (no final newline)
    // waits for the next poll.
    void read_dumps(const fs::path& dir, ImportedLog& log) {
        const bool held_out = dir.filename().string().find("val") != std::string::npos;
        for (const fs::path& file : sorted_entries(dir)) {
            if (!is_dump_name(file)) continue;
            const FileStamp stamp = stamp_of(file);
            auto& known = dump_stamps_[file.string()];
            if (stamp == known) continue;
            const std::string text = read_whole_file(file);
            if (text.empty() || text.back() != '\n') continue;
            known = stamp;
            const std::string label = dir.filename().string() + "/" + file.filename().string();
            read_verl_dump(text, label, held_out ? RolloutSource::eval : RolloutSource::train, log);
        }
    }

    TailFile metrics_;
    std::vector<fs::path> dump_dirs_;
    VerlMetricsParser parser_;
    std::map<std::string, FileStamp> dump_stamps_;
};

class TrlSource final : public LogSource {
  public:
    explicit TrlSource(const fs::path& path) : LogSource(path.string(), "trl") {}

    ImportedLog poll() override {
        ImportedLog log;
        const fs::path state = newest_state();
        const FileStamp stamp = stamp_of(state);
        if (!stamp.exists || (state == read_ && stamp == stamp_)) return log;
        read_ = state;
        stamp_ = stamp;
        const std::string label = fs::relative(state, fs::path(path()).parent_path()).string();
        try {
            read_trainer_state(read_whole_file(state), label, log);
        } catch (const nlohmann::json::exception& e) {
            log.add_issue(ImportIssue::Kind::malformed, label, 0,
                          "it is not JSON (" + std::string(e.what()) + ")");
            return log;
        }
        log.config["trainer_state_file"] = label;
        log.restarted = true;  // the file holds the whole history again
        return log;
    }

  private:
    // trainer_state.json of the checkpoint-N/ with the highest N, or of the folder itself
    // when there is none or the folder's is newer (Trainer.save_state() after training).
    fs::path newest_state() const {
        const fs::path root(path());
        if (fs::is_regular_file(root)) return root;
        fs::path best;
        long long best_n = -1;
        for (const fs::path& entry : sorted_entries(root)) {
            const std::string name = entry.filename().string();
            if (!name.starts_with("checkpoint-") || !fs::exists(entry / "trainer_state.json")) {
                continue;
            }
            const long long n = std::atoll(name.c_str() + 11);
            if (n > best_n) {
                best_n = n;
                best = entry / "trainer_state.json";
            }
        }
        const FileStamp top = stamp_of(root / "trainer_state.json");
        if (top.exists && (best.empty() || top.modified_ns > stamp_of(best).modified_ns)) {
            return root / "trainer_state.json";
        }
        return best;
    }

    fs::path read_;
    FileStamp stamp_;
};

class TensorBoardSource final : public LogSource {
  public:
    explicit TensorBoardSource(const fs::path& path) : LogSource(path.string(), "tensorboard") {}

    ImportedLog poll() override {
        ImportedLog log;
        discover();
        for (auto& [name, file] : files_) {
            if (file.tail.poll()) {  // replaced or truncated: read the whole run again
                files_.clear();
                time_origin_ = NAN;
                ImportedLog again = poll();
                again.restarted = true;
                return again;
            }
            const std::size_t used = file.parser.parse(file.tail.pending(), log);
            file.tail.consume(file.parser.stopped() ? file.tail.pending().size() : used);
        }
        return log;
    }

  private:
    struct EventFile {
        TailFile tail;
        EventFileParser parser;
    };

    void discover() {
        const fs::path root(path());
        const std::vector<fs::path> candidates =
            fs::is_directory(root) ? sorted_entries(root) : std::vector<fs::path>{root};
        for (const fs::path& p : candidates) {
            if (!is_event_file(p) || files_.count(p.filename().string())) continue;
            files_.emplace(p.filename().string(),
                           EventFile{TailFile(p), EventFileParser(p.filename().string(),
                                                                  &time_origin_)});
        }
    }

    std::map<std::string, EventFile> files_;  // by name: the writers' names sort by time
    double time_origin_ = NAN;
};

// What one directory walk found.
struct Found {
    std::vector<std::unique_ptr<LogSource>> sources;
    std::vector<fs::path> verl_metrics;
    std::vector<fs::path> dump_dirs;
};

void search(const fs::path& dir, int depth, Found& found) {
    const std::vector<fs::path> entries = sorted_entries(dir);
    bool events = false, trl = false, dumps = false;
    for (const fs::path& p : entries) {
        const std::string name = p.filename().string();
        if (fs::is_directory(p)) {
            trl = trl || (name.starts_with("checkpoint-") && fs::exists(p / "trainer_state.json"));
            continue;
        }
        events = events || is_event_file(p);
        trl = trl || name == "trainer_state.json";
        if (p.extension() != ".jsonl") continue;
        const std::string line = first_line(p);
        if (is_verl_metrics_line(line))
            found.verl_metrics.push_back(p);
        else if (is_dump_name(p) && is_verl_dump_line(line))
            dumps = true;
    }
    if (events) found.sources.push_back(std::make_unique<TensorBoardSource>(dir));
    if (trl) found.sources.push_back(std::make_unique<TrlSource>(dir));
    if (dumps) found.dump_dirs.push_back(dir);
    if (depth == 0) return;
    for (const fs::path& p : entries) {
        const std::string name = p.filename().string();
        if (fs::is_directory(p) && !name.starts_with(".") && !name.starts_with("checkpoint-")) {
            search(p, depth - 1, found);
        }
    }
}

// One verl metrics file takes the dumps found with it; with several, the dumps are a run of
// their own (which metrics file they belong to is not written anywhere).
void add_verl_sources(const fs::path& root, Found& found) {
    if (found.verl_metrics.size() == 1) {
        const fs::path& m = found.verl_metrics.front();
        found.sources.push_back(std::make_unique<VerlSource>(m.string(), m, found.dump_dirs));
        return;
    }
    for (const fs::path& m : found.verl_metrics) {
        found.sources.push_back(std::make_unique<VerlSource>(m.string(), m, std::vector<fs::path>{}));
    }
    if (!found.dump_dirs.empty()) {
        found.sources.push_back(std::make_unique<VerlSource>(root.string(), fs::path(),
                                                             found.dump_dirs));
    }
}

std::unique_ptr<LogSource> source_of_file(const fs::path& p) {
    if (is_event_file(p)) return std::make_unique<TensorBoardSource>(p);
    const std::string line = first_line(p);
    if (is_verl_metrics_line(line)) {
        return std::make_unique<VerlSource>(p.string(), p, std::vector<fs::path>{});
    }
    if (p.filename() == "trainer_state.json" || is_trainer_state(read_whole_file(p))) {
        return std::make_unique<TrlSource>(p);
    }
    return nullptr;
}

constexpr const char* kLookedFor =
    "a verl metrics JSONL ({\"step\": N, \"data\": {...}} lines) with its generation dumps, a "
    "transformers/TRL trainer_state.json (or an output folder with checkpoint-N/), or "
    "TensorBoard event files (events.out.tfevents.*)";

}  // namespace

std::vector<std::unique_ptr<LogSource>> find_sources(const fs::path& given) {
    std::error_code ec;
    const fs::path path = fs::absolute(given, ec).lexically_normal();
    if (!fs::exists(path)) {
        throw ImportError(ImportError::Kind::io, "'" + given.string() + "' does not exist");
    }
    std::vector<std::unique_ptr<LogSource>> sources;
    if (!fs::is_directory(path)) {
        if (auto s = source_of_file(path)) sources.push_back(std::move(s));
    } else {
        Found found;
        search(path, 4, found);
        add_verl_sources(path, found);
        sources = std::move(found.sources);
    }
    if (sources.empty()) {
        throw ImportError(ImportError::Kind::not_recognised,
                          "nothing at '" + given.string() + "' is a training log this program "
                          "reads; it looks for " + kLookedFor);
    }
    std::sort(sources.begin(), sources.end(),
              [](const auto& a, const auto& b) { return a->path() < b->path(); });
    return sources;
}

}  // namespace tinyseek::imports
