#include "training/grm/question_mix.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/task_arithmetic.h"
#include "training/task_countdown.h"

namespace tinyseek {

namespace {

bool judgeable_alone(const Task& task) {
    return dynamic_cast<const ArithmeticTask*>(&task) || dynamic_cast<const CountdownTask*>(&task);
}

void check_weight(const std::string& source, const std::string& task, double weight) {
    if (!std::isfinite(weight) || weight <= 0.0)
        throw ConfigError(source + ": the weight of '" + task + "' is " + std::to_string(weight) +
                          ", expected a number > 0");
}

}  // namespace

QuestionMix::QuestionMix(const QuestionWeights& weights, const TaskOptions& options)
    : Task(options), weights_(weights) {
    if (weights_.empty()) throw ConfigError("question mix: no task given");
    double sum = 0.0;
    for (const auto& [task, weight] : weights_) {
        check_weight("question mix", task, weight);
        parts_.push_back(make_task(task, options));
        check_judgeable(*parts_.back());
        sum += weight;
        cumulative_.push_back(sum);
    }
}

const Task* QuestionMix::part(std::string_view task) const {
    for (const auto& p : parts_)
        if (p->name() == task) return p.get();
    return nullptr;
}

AnswerCheck QuestionMix::check(const Problem& problem, std::string_view answer) const {
    const Task* t = part(problem.task);
    return t ? t->check(problem, answer) : AnswerCheck{};
}

namespace {
constexpr std::int64_t kScale = 1'000'000'000;  // resolution of the uniform draws below
}  // namespace

Split draw_split(double held_out_fraction, Rng& rng) {
    const bool held_out =
        uniform_int(rng, 0, kScale - 1) <
        static_cast<std::int64_t>(held_out_fraction * static_cast<double>(kScale));
    return held_out ? Split::held_out : Split::train;
}

Problem QuestionMix::draw(Rng& rng) const {
    // A part by weight, then a question of either split.
    const double u =
        static_cast<double>(uniform_int(rng, 0, kScale - 1)) / static_cast<double>(kScale);
    std::size_t i = 0;
    while (i + 1 < parts_.size() && u * cumulative_.back() >= cumulative_[i]) ++i;
    return parts_[i]->sample(draw_split(options().held_out_fraction, rng), rng);
}

const Task& question_task(const Task& base, const Problem& problem) {
    const auto* mix = dynamic_cast<const QuestionMix*>(&base);
    if (!mix) return base;
    const Task* t = mix->part(problem.task);
    if (!t) throw Error("question mix: no part makes '" + problem.task + "' questions");
    return *t;
}

void check_judgeable(const Task& task) {
    if (dynamic_cast<const QuestionMix*>(&task) || judgeable_alone(task)) return;
    throw ConfigError("reward-model lab: task '" + std::string(task.name()) +
                      "' cannot be judged; use addition, subtraction, multiplication, countdown "
                      "or mix");
}

std::unique_ptr<Task> make_question_source(const std::string& task, const QuestionWeights& weights,
                                           const TaskOptions& options) {
    if (task == "mix") return std::make_unique<QuestionMix>(weights, options);
    std::unique_ptr<Task> t = make_task(task, options);
    check_judgeable(*t);
    return t;
}

nlohmann::json to_json(const QuestionWeights& weights) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [task, weight] : weights) j[task] = weight;
    return j;
}

QuestionWeights question_weights_from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object())
        throw ConfigError(source + ": expected an object of task weights, got " +
                          std::string(j.type_name()));
    QuestionWeights weights;
    for (const auto& [task, value] : j.items()) {
        if (!value.is_number())
            throw ConfigError(source + ": the weight of '" + task + "' must be a number, got " +
                              value.dump());
        check_weight(source, task, value.get<double>());
        weights[task] = value.get<double>();
    }
    return weights;
}

}  // namespace tinyseek
