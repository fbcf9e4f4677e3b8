#include "training/trace_style.h"

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/task.h"

namespace tinyseek {

namespace {

constexpr int kMaxPartialSteps = 64;
// Salt of the style hash, so a problem's style is independent of its split (the split hashes
// the bare key).
constexpr std::string_view kStyleSalt = "style:";

// Steps are separated by spaces (the tasks write nothing else; newlines and tabs count too).
std::vector<std::string_view> split_steps(std::string_view think) {
    std::vector<std::string_view> steps;
    std::size_t start = 0;
    while (start < think.size()) {
        const std::size_t end = std::min(think.find_first_of(" \n\t", start), think.size());
        if (end > start) steps.push_back(think.substr(start, end - start));
        start = end + 1;
    }
    return steps;
}

// The text after the first <think>: up to the </think> after it (`closed`), else up to the
// next <answer> or the end.
struct ThinkBlock {
    bool found = false;   // there is a <think>
    bool closed = false;  // and a </think> after it
    std::string_view body;
    std::size_t end = 0;  // index just past </think> when closed
};

ThinkBlock find_think(std::string_view text) {
    ThinkBlock block;
    const std::size_t open = text.find(kThinkOpen);
    if (open == std::string_view::npos) return block;
    block.found = true;
    const std::size_t body = open + kThinkOpen.size();
    std::size_t close = text.find(kThinkClose, body);
    block.closed = close != std::string_view::npos;
    if (!block.closed) close = std::min(text.find(kAnswerOpen, body), text.size());
    block.body = text.substr(body, close - body);
    block.end = block.closed ? close + kThinkClose.size() : close;
    return block;
}

double read_share(const nlohmann::json& value, const std::string& source, const std::string& key) {
    if (!value.is_number())
        throw ConfigError(source + ": field '" + key + "' must be a number, got " + value.dump());
    return value.get<double>();
}

}  // namespace

const char* to_string(TraceStyle style) {
    switch (style) {
        case TraceStyle::worked:
            return "worked";
        case TraceStyle::partial:
            return "partial";
        case TraceStyle::search:
            return "search";
        case TraceStyle::direct:
            return "direct";
    }
    return "worked";
}

void StyleMix::validate(const std::string& source) const {
    for (const auto& [name, share] : {std::pair{"worked", worked}, std::pair{"partial", partial},
                                      std::pair{"search", search}, std::pair{"direct", direct}}) {
        if (!std::isfinite(share) || share < 0.0)
            throw ConfigError(source + ": share '" + name + "' must be finite and >= 0, got " +
                              std::to_string(share));
    }
    if (total() <= 0.0)
        throw ConfigError(source + ": the shares of worked, partial, search and direct sum to 0");
    if (partial_steps < 1 || partial_steps > kMaxPartialSteps)
        throw ConfigError(source + ": field 'partial_steps' is " + std::to_string(partial_steps) +
                          ", expected an integer in [1, " + std::to_string(kMaxPartialSteps) + "]");
}

nlohmann::json StyleMix::to_json() const {
    return nlohmann::json{{"worked", worked},
                          {"partial", partial},
                          {"search", search},
                          {"direct", direct},
                          {"partial_steps", partial_steps}};
}

StyleMix StyleMix::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object())
        throw ConfigError(source + ": expected a JSON object of style shares, got " +
                          std::string(j.type_name()));
    StyleMix mix;
    for (const auto& item : j.items()) {
        const std::string& key = item.key();
        if (key == "worked") {
            mix.worked = read_share(item.value(), source, key);
        } else if (key == "partial") {
            mix.partial = read_share(item.value(), source, key);
        } else if (key == "search") {
            mix.search = read_share(item.value(), source, key);
        } else if (key == "direct") {
            mix.direct = read_share(item.value(), source, key);
        } else if (key == "partial_steps") {
            const nlohmann::json& v = item.value();
            // An unsigned value above INT64_MAX would wrap to a negative one in get<int64_t>.
            const bool huge =
                v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(kMaxPartialSteps);
            const bool in_range = v.is_number_integer() && !huge && v.get<std::int64_t>() >= 1 &&
                                  v.get<std::int64_t>() <= kMaxPartialSteps;
            if (!in_range)
                throw ConfigError(source + ": field 'partial_steps' is " + v.dump() +
                                  ", expected an integer in [1, " +
                                  std::to_string(kMaxPartialSteps) + "]");
            mix.partial_steps = v.get<int>();
        } else {
            throw ConfigError(source + ": unknown field '" + key +
                              "' (known: worked, partial, search, direct, partial_steps)");
        }
    }
    mix.validate(source);
    return mix;
}

std::string styled_trace(const Task& task, const Problem& problem, TraceStyle style,
                         int partial_steps) {
    const ThinkBlock think = find_think(problem.trace);
    if (!think.closed || style == TraceStyle::worked) return problem.trace;
    std::string body;
    if (style == TraceStyle::search) {
        body = task.search_think(problem);
    } else if (style == TraceStyle::partial) {
        const std::vector<std::string_view> steps = split_steps(think.body);
        const std::size_t keep = std::min<std::size_t>(steps.size(), std::size_t(partial_steps));
        for (std::size_t i = steps.size() - keep; i < steps.size(); ++i) {
            if (!body.empty()) body += ' ';
            body += steps[i];
        }
    }
    std::string out(kThinkOpen);
    out.append(body).append(kThinkClose);
    out.append(std::string_view(problem.trace).substr(think.end));
    return out;
}

TraceStyle cold_start_style(const Problem& problem, const StyleMix& mix) {
    if (mix.only_worked()) return TraceStyle::worked;
    // The top 53 bits of the hash as a uniform number in [0, 1).
    const std::uint64_t h = stable_hash(std::string(kStyleSalt) + problem.key);
    const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
    const double total = mix.total();
    if (u < mix.worked / total) return TraceStyle::worked;
    if (u < (mix.worked + mix.partial) / total) return TraceStyle::partial;
    if (u < (mix.worked + mix.partial + mix.search) / total) return TraceStyle::search;
    return TraceStyle::direct;
}

Problem in_cold_start_style(const Task& task, Problem problem, const StyleMix& mix) {
    problem.trace = styled_trace(task, problem, cold_start_style(problem, mix), mix.partial_steps);
    return problem;
}

CompletionStyle completion_style(std::string_view completion) {
    CompletionStyle style;
    const ThinkBlock think = find_think(completion);
    if (!think.found) return style;
    style.steps = static_cast<int>(split_steps(think.body).size());
    style.thinks = style.steps > 0;
    return style;
}

void StyleTally::add(std::string_view completion, double length, double accuracy) {
    ++count;
    if (completion_style(completion).thinks) {
        ++thinking;
        length_think += length;
        correct_think += accuracy;
    } else {
        length_direct += length;
        correct_direct += accuracy;
    }
}

void write_style_metrics(const StyleTally& tally, const StyleMetricNames& names,
                         std::map<std::string, double>& scalars) {
    if (tally.count == 0) return;
    scalars[names.think_share] = tally.think_share();
    if (names.mean_length) scalars[names.mean_length] = tally.mean_length();
    const auto direct = tally.count - tally.thinking;
    if (tally.thinking > 0) {
        scalars[names.length_think] = tally.length_think / double(tally.thinking);
        scalars[names.accuracy_think] = tally.correct_think / double(tally.thinking);
    }
    if (direct > 0) {
        scalars[names.length_direct] = tally.length_direct / double(direct);
        scalars[names.accuracy_direct] = tally.correct_direct / double(direct);
    }
}

}  // namespace tinyseek
