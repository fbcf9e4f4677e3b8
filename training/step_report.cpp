#include "training/step_report.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/errors.h"

namespace tinyseek {

const char* to_string(Stage stage) {
    return stage == Stage::sft ? "sft" : "grpo";
}

Stage parse_stage(std::string_view text) {
    if (text == "sft") return Stage::sft;
    if (text == "grpo") return Stage::grpo;
    throw Error("unknown training stage '" + std::string(text) + "', expected 'sft' or 'grpo'");
}

const char* to_string(RolloutSource source) {
    return source == RolloutSource::train ? "train" : "eval";
}

RolloutSource parse_rollout_source(std::string_view text) {
    if (text == "train") return RolloutSource::train;
    if (text == "eval") return RolloutSource::eval;
    throw Error("unknown rollout source '" + std::string(text) + "', expected 'train' or 'eval'");
}

namespace {
bool same_value(double a, double b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}
}  // namespace

void RolloutSample::set_token_values(TokenValues values, bool keep) {
    const auto mean = [](const std::vector<float>& x) {
        double sum = 0;
        for (float v : x) sum += v;
        return x.empty() ? kNoValue : sum / static_cast<double>(x.size());
    };
    mean_logprob = mean(values.logprob);
    mean_entropy = mean(values.entropy);
    tokens = keep ? std::move(values) : TokenValues{};
}

bool RolloutSample::operator==(const RolloutSample& o) const {
    return prompt == o.prompt && completion == o.completion && reward == o.reward &&
           advantage == o.advantage && length == o.length && source == o.source &&
           group == o.group && member == o.member && same_value(mean_logprob, o.mean_logprob) &&
           same_value(mean_entropy, o.mean_entropy) && tokens == o.tokens;
}

ExpertMatrix::ExpertMatrix(std::vector<int> layer_ids, int n_experts, float fill)
    : layers(std::move(layer_ids)),
      experts(n_experts),
      values(layers.size() * static_cast<std::size_t>(std::max(n_experts, 0)), fill) {}

int ExpertMatrix::row_of(int layer) const {
    const auto it = std::find(layers.begin(), layers.end(), layer);
    return it == layers.end() ? -1 : static_cast<int>(it - layers.begin());
}

void ExpertMatrix::check_shape(std::string_view what) const {
    std::ostringstream msg;
    if (experts < 0) {
        msg << what << ": negative expert count " << experts;
        throw Error(msg.str());
    }
    if (values.size() != layers.size() * static_cast<std::size_t>(experts)) {
        msg << what << ": has " << values.size() << " values, expected " << layers.size()
            << " layers x " << experts << " experts = " << layers.size() * experts;
        throw Error(msg.str());
    }
    std::vector<int> sorted = layers;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        msg << what << ": a layer appears twice among its rows";
        throw Error(msg.str());
    }
}

}  // namespace tinyseek
