#include "imports/verl_reader.h"

#include <cmath>

namespace tinyseek::imports {

namespace {

using Kind = ImportIssue::Kind;
using json = nlohmann::json;

// The per-step time verl logs (verl/trainer/ppo/metric_utils.py, compute_timing_metrics).
constexpr const char* kStepSeconds = "timing_s/step";

bool parses_with(std::string_view line, std::initializer_list<const char*> keys) {
    try {
        const json j = parse_python_json(line);
        if (!j.is_object()) return false;
        for (const char* key : keys) {
            if (!j.contains(key)) return false;
        }
        return true;
    } catch (const json::exception&) {
        return false;
    }
}

// The step a line names: an integer (Python may write 12.0).
std::optional<std::int64_t> step_of(const json& value) {
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

std::string text_of(const json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

bool is_verl_metrics_line(std::string_view line) {
    return parses_with(line, {"step", "data"});
}

bool is_verl_dump_line(std::string_view line) {
    return parses_with(line, {"input", "output"});
}

std::size_t VerlMetricsParser::parse(std::string_view bytes, ImportedLog& log) {
    lines_.restart();
    for (std::string_view line; lines_.next(bytes, line);) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        read_line(line, lines_.line_number(), log);
    }
    return lines_.consumed();
}

void VerlMetricsParser::read_line(std::string_view line, std::int64_t number, ImportedLog& log) {
    json j;
    try {
        j = parse_python_json(line);
    } catch (const json::exception&) {
        log.add_issue(Kind::malformed, file_, number, "line " + std::to_string(number) +
                                                          " is not JSON");
        return;
    }
    const auto step = j.is_object() && j.contains("step") ? step_of(j["step"]) : std::nullopt;
    if (!step || !j.contains("data") || !j["data"].is_object()) {
        log.add_issue(Kind::malformed, file_, number,
                      "line " + std::to_string(number) +
                          " is not {\"step\": <integer>, \"data\": {...}}");
        return;
    }
    order_.check(*step, "", log, file_, number);
    read_data(j["data"], *step, number, log);
}

void VerlMetricsParser::read_data(const json& data, std::int64_t step, std::int64_t number,
                                  ImportedLog& log) {
    for (const auto& [key, value] : data.items()) {
        const std::optional<double> v = number_of(value);
        if (!v) {
            log.add_issue(Kind::not_a_number, file_, number,
                          "'" + key + "' at step " + std::to_string(step) + " is " +
                              std::string(value.type_name()) + ", not a number (left out)");
            continue;
        }
        add_value(log, nullptr, step, key, *v, file_, number);
        if (key == kStepSeconds && std::isfinite(*v) && *v >= 0) {
            clock_ += *v;
            log.steps[step].wall_time = clock_;
        }
    }
}

void read_verl_dump(std::string_view text, const std::string& file, RolloutSource source,
                    ImportedLog& log) {
    LineSplitter lines;
    std::string previous_input;
    int group = -1, member = 0;
    const std::string whole = std::string(text) + (text.ends_with('\n') ? "" : "\n");
    for (std::string_view line; lines.next(whole, line);) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        const std::int64_t number = lines.line_number();
        json j;
        try {
            j = parse_python_json(line);
        } catch (const json::exception&) {
            log.add_issue(Kind::malformed, file, number, "line " + std::to_string(number) +
                                                             " is not JSON");
            continue;
        }
        const auto step = j.is_object() && j.contains("step") ? step_of(j["step"]) : std::nullopt;
        if (!step || !j.contains("input") || !j.contains("output")) {
            log.add_issue(Kind::malformed, file, number,
                          "line " + std::to_string(number) +
                              " lacks \"input\", \"output\" or an integer \"step\"");
            continue;
        }
        RolloutSample s;
        s.source = source;
        s.prompt = text_of(j["input"]);
        s.completion = text_of(j["output"]);
        const auto score = j.contains("score") ? number_of(j["score"]) : std::nullopt;
        const auto acc = j.contains("acc") ? number_of(j["acc"]) : std::nullopt;
        s.reward = {acc.value_or(RolloutSample::kNoValue), RolloutSample::kNoValue,
                    score.value_or(RolloutSample::kNoValue), false};
        s.advantage = RolloutSample::kNoValue;
        s.length = count_characters(s.completion);
        if (group < 0 || s.prompt != previous_input) {
            ++group;
            member = 0;
            previous_input = s.prompt;
        }
        s.group = group;
        s.member = member++;
        log.steps[*step].rollouts.push_back(std::move(s));
        ++log.samples;
    }
}

}  // namespace tinyseek::imports
