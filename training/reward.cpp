#include "training/reward.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace tinyseek {

namespace {

bool contains_tag(std::string_view s) {
    for (std::string_view tag : {kThinkOpen, kThinkClose, kAnswerOpen, kAnswerClose}) {
        if (s.find(tag) != std::string_view::npos) return true;
    }
    return false;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

void RewardConfig::validate(const std::string& source) const {
    auto check = [&](const char* field, double v) {
        if (!std::isfinite(v) || v < 0.0) {
            throw ConfigError(source + ": field '" + field + "' is " + std::to_string(v) +
                              ", expected a finite number >= 0");
        }
    };
    check("accuracy_weight", accuracy_weight);
    check("format_weight", format_weight);
}

nlohmann::json RewardConfig::to_json() const {
    return nlohmann::json{{"accuracy_weight", accuracy_weight}, {"format_weight", format_weight}};
}

RewardConfig RewardConfig::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) {
        throw ConfigError(source + ": expected a JSON object, got " + std::string(j.type_name()));
    }
    RewardConfig c;
    for (const auto& [key, value] : j.items()) {
        double* field = key == "accuracy_weight" ? &c.accuracy_weight
                        : key == "format_weight" ? &c.format_weight
                                                 : nullptr;
        if (!field) {
            throw ConfigError(source + ": unknown field '" + key +
                              "' (known: accuracy_weight, format_weight)");
        }
        if (!value.is_number()) {
            throw ConfigError(source + ": field '" + key + "' must be a number, got " +
                              value.dump());
        }
        *field = value.get<double>();
    }
    c.validate(source);
    return c;
}

ParsedCompletion parse_completion(std::string_view completion) {
    ParsedCompletion out;
    const auto close = completion.rfind(kAnswerClose);
    if (close != std::string_view::npos) {
        const auto open = completion.substr(0, close).rfind(kAnswerOpen);
        if (open != std::string_view::npos) {
            out.has_answer = true;
            const auto begin = open + kAnswerOpen.size();
            out.answer = completion.substr(begin, close - begin);
        }
    }
    // Well formed: <think> X </think> <answer> Y </answer> and nothing else, X and Y tag-free.
    if (out.has_answer && starts_with(completion, kThinkOpen) &&
        ends_with(completion, kAnswerClose)) {
        std::string_view rest = completion.substr(kThinkOpen.size());
        const auto think_end = rest.find(kThinkClose);
        if (think_end != std::string_view::npos) {
            const std::string_view think = rest.substr(0, think_end);
            rest.remove_prefix(think_end + kThinkClose.size());
            if (starts_with(rest, kAnswerOpen)) {
                rest.remove_prefix(kAnswerOpen.size());
                rest.remove_suffix(kAnswerClose.size());
                out.well_formed = !contains_tag(think) && !contains_tag(rest);
            }
        }
    }
    return out;
}

RewardBreakdown score_completion(const Task& task, const Problem& problem,
                                 std::string_view completion, const RewardConfig& config) {
    RewardBreakdown r;
    const ParsedCompletion parsed = parse_completion(completion);
    AnswerCheck check;
    if (parsed.has_answer) check = task.check(problem, parsed.answer);
    if (!parsed.has_answer || !check.parsed) {
        r.malformed = true;
        return r;
    }
    r.accuracy = check.correct ? 1.0 : 0.0;
    r.format = parsed.well_formed ? 1.0 : 0.0;
    r.total = config.accuracy_weight * r.accuracy + config.format_weight * r.format;
    return r;
}

void RewardTally::add(const RewardBreakdown& r) {
    ++count;
    if (r.malformed) ++malformed;
    sum_accuracy += r.accuracy;
    sum_format += r.format;
    sum_total += r.total;
}

}  // namespace tinyseek
