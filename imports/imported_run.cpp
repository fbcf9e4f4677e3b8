#include "imports/imported_run.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "imports/metric_names.h"

namespace tinyseek::imports {

const char* to_string(ImportIssue::Kind kind) {
    switch (kind) {
        case ImportIssue::Kind::malformed:
            return "malformed";
        case ImportIssue::Kind::bad_checksum:
            return "bad checksum";
        case ImportIssue::Kind::not_a_number:
            return "not a number";
        case ImportIssue::Kind::non_finite:
            return "NaN or infinite";
        case ImportIssue::Kind::repeated:
            return "repeated step";
        case ImportIssue::Kind::out_of_order:
            return "step out of order";
    }
    return "malformed";
}

bool ImportedLog::add_scalar(std::int64_t step, const std::string& key, double value) {
    auto [it, inserted] = steps[step].scalars.insert_or_assign(key, value);
    ++points;
    return inserted;
}

void ImportedLog::add_issue(ImportIssue::Kind kind, const std::string& file, std::int64_t line,
                            std::string what) {
    issues.push_back({kind, file, line, std::move(what)});
}

void ImportedLog::absorb(ImportedLog&& more) {
    for (auto& [step, in] : more.steps) {
        ImportedStep& out = steps[step];
        if (!std::isnan(in.wall_time)) out.wall_time = in.wall_time;
        for (auto& [key, value] : in.scalars) out.scalars.insert_or_assign(key, value);
        for (RolloutSample& s : in.rollouts) out.rollouts.push_back(std::move(s));
    }
    for (auto& [key, value] : more.config.items()) config[key] = std::move(value);
    for (ImportIssue& issue : more.issues) issues.push_back(std::move(issue));
    points += more.points;
    samples += more.samples;
    restarted = restarted || more.restarted;
}

void StepOrder::check(std::int64_t step, const std::string& key, ImportedLog& log,
                      const std::string& file, std::int64_t line) {
    auto [it, first] = highest_.try_emplace(key, step);
    if (first || step > it->second) {
        it->second = step;
    } else if (step == it->second) {
        log.add_issue(ImportIssue::Kind::repeated, file, line,
                      "step " + std::to_string(step) + (key.empty() ? "" : " of '" + key + "'") +
                          " was logged before (the later values are kept)");
    } else {
        log.add_issue(ImportIssue::Kind::out_of_order, file, line,
                      "step " + std::to_string(step) + (key.empty() ? "" : " of '" + key + "'") +
                          " after step " + std::to_string(it->second));
    }
}

void add_value(ImportedLog& log, StepOrder* order, std::int64_t step, const std::string& source_key,
               double value, const std::string& file, std::int64_t line) {
    const std::string key = workbench_name(source_key);
    if (order) order->check(step, key, log, file, line);
    if (std::isinf(value)) {
        log.add_issue(ImportIssue::Kind::non_finite, file, line,
                      "'" + source_key + "' is infinite at step " + std::to_string(step) +
                          " (left out)");
        return;
    }
    if (std::isnan(value)) {
        log.add_issue(ImportIssue::Kind::non_finite, file, line,
                      "'" + source_key + "' is NaN at step " + std::to_string(step) +
                          " (kept as a gap)");
    }
    log.add_scalar(step, key, value);
}

int count_characters(std::string_view utf8) {
    int n = 0;
    for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;  // not a continuation byte
    return n;
}

namespace {

// "a.jsonl: 3, 9, 14 and 4 more" for the issues of one kind.
std::string where(const std::vector<const ImportIssue*>& of_kind, int max_lines) {
    std::string text;
    std::string file;
    const int shown = std::min<int>(max_lines, static_cast<int>(of_kind.size()));
    for (int i = 0; i < shown; ++i) {
        const ImportIssue& issue = *of_kind[i];
        if (issue.file != file) {
            file = issue.file;
            text += (i ? "; " : "") + file + (issue.line > 0 ? ": " : "");
        } else if (issue.line > 0) {
            text += ", ";
        }
        if (issue.line > 0) text += std::to_string(issue.line);
    }
    if (static_cast<int>(of_kind.size()) > shown) {
        text += " and " + std::to_string(of_kind.size() - shown) + " more";
    }
    return text;
}

}  // namespace

std::string summarize_issues(const std::vector<ImportIssue>& issues, int max_lines) {
    if (issues.empty()) return {};
    constexpr std::array kinds = {ImportIssue::Kind::malformed,    ImportIssue::Kind::bad_checksum,
                                  ImportIssue::Kind::not_a_number, ImportIssue::Kind::non_finite,
                                  ImportIssue::Kind::repeated,     ImportIssue::Kind::out_of_order};
    std::string text = std::to_string(issues.size()) +
                       (issues.size() == 1 ? " problem (the rest was imported): "
                                           : " problems (the rest was imported): ");
    bool first = true;
    for (ImportIssue::Kind kind : kinds) {
        std::vector<const ImportIssue*> of_kind;
        for (const ImportIssue& issue : issues) {
            if (issue.kind == kind) of_kind.push_back(&issue);
        }
        if (of_kind.empty()) continue;
        text += (first ? "" : "; ") + std::to_string(of_kind.size()) + " " + to_string(kind) +
                " (" + where(of_kind, max_lines) + "), e.g. " + of_kind.front()->what;
        first = false;
    }
    return text;
}

}  // namespace tinyseek::imports
