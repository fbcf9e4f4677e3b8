#include "training/train_config.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "core/errors.h"
#include "core/param_count.h"
#include "core/tokenizer.h"

namespace tinyseek {

namespace {

// Training allocates parameters, gradients and two AdamW moments (4 floats per parameter)
// plus a frozen GRPO reference: refuse configs such as the accounting-only deepseek presets.
constexpr std::int64_t kMaxTrainParams = 200'000'000;

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& value, const std::string& expected) {
    throw ConfigError(source + ": field '" + field + "' is " + value + ", expected " + expected);
}

std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

void check_int(const std::string& source, const std::string& field, std::int64_t v, std::int64_t lo,
               std::int64_t hi = std::numeric_limits<std::int64_t>::max()) {
    if (v < lo || v > hi) {
        std::string range =
            hi == std::numeric_limits<std::int64_t>::max()
                ? "an integer >= " + std::to_string(lo)
                : "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
        fail(source, field, std::to_string(v), range);
    }
}

// A finite float in [lo, hi] (hi may be infinity); open_lo excludes lo itself.
void check_float(const std::string& source, const std::string& field, double v, double lo,
                 bool open_lo, double hi = std::numeric_limits<double>::infinity()) {
    const bool ok = std::isfinite(v) && (open_lo ? v > lo : v >= lo) && v <= hi;
    if (!ok) {
        std::string expected = "a finite number " + std::string(open_lo ? "> " : ">= ") + num(lo);
        if (std::isfinite(hi)) expected += " and <= " + num(hi);
        fail(source, field, num(v), expected);
    }
}

// "a, b, c"
std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

bool contains(const std::vector<std::string>& items, const std::string& x) {
    for (const std::string& item : items)
        if (item == x) return true;
    return false;
}

// Reads the members of one JSON object, refusing unknown keys and wrong types. Every read
// names "<source>: field '<prefix><key>'" so nested keys read as e.g. 'sft.lr'.
class ObjectReader {
  public:
    ObjectReader(const nlohmann::json& j, std::string source, std::string prefix)
        : j_(j), source_(std::move(source)), prefix_(std::move(prefix)) {
        if (!j_.is_object()) {
            throw ConfigError(source_ + ": " +
                              (prefix_.empty()
                                   ? std::string("the configuration")
                                   : "field '" + prefix_.substr(0, prefix_.size() - 1) + "'") +
                              " must be a JSON object, got " + j_.type_name());
        }
    }

    // Throws for any key not in `known`.
    void allow_only(std::initializer_list<const char*> known) const {
        for (const auto& [key, value] : j_.items()) {
            bool found = false;
            for (const char* k : known) found = found || key == k;
            if (found) continue;
            throw ConfigError(source_ + ": unknown field '" + prefix_ + key + "' (known: " +
                              joined(std::vector<std::string>(known.begin(), known.end())) + ")");
        }
    }

    const nlohmann::json* find(const char* key) const {
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }

    template <typename Int>
    void read_int(const char* key, Int& field) const {
        const nlohmann::json* v = find(key);
        if (!v) return;
        if (!v->is_number_integer()) type_error(key, "an integer", *v);
        if constexpr (std::is_unsigned_v<Int>) {
            if (v->is_number_unsigned()) {
                field = static_cast<Int>(v->get<std::uint64_t>());
                return;
            }
            const auto x = v->get<std::int64_t>();
            if (x < 0) type_error(key, "an integer >= 0", *v);
            field = static_cast<Int>(x);
        } else {
            if (v->is_number_unsigned() &&
                v->get<std::uint64_t>() >
                    static_cast<std::uint64_t>(std::numeric_limits<Int>::max()))
                type_error(key, "an integer that fits " + std::to_string(sizeof(Int) * 8) + " bits",
                           *v);
            const auto x = v->get<std::int64_t>();
            if (x < std::numeric_limits<Int>::min() || x > std::numeric_limits<Int>::max())
                type_error(key, "an integer in range", *v);
            field = static_cast<Int>(x);
        }
    }

    void read_float(const char* key, float& field) const {
        const nlohmann::json* v = find(key);
        if (!v) return;
        if (!v->is_number()) type_error(key, "a number", *v);
        field = v->get<float>();
    }

    void read_bool(const char* key, bool& field) const {
        const nlohmann::json* v = find(key);
        if (!v) return;
        if (!v->is_boolean()) type_error(key, "true or false", *v);
        field = v->get<bool>();
    }

    void read_string(const char* key, std::string& field) const {
        const nlohmann::json* v = find(key);
        if (!v) return;
        if (!v->is_string()) type_error(key, "a string", *v);
        field = v->get<std::string>();
    }

    [[noreturn]] void type_error(const char* key, const std::string& expected,
                                 const nlohmann::json& got) const {
        fail(source_, prefix_ + key, got.dump(), expected);
    }

    std::string field_name(const char* key) const { return prefix_ + key; }

  private:
    const nlohmann::json& j_;
    std::string source_;
    std::string prefix_;
};

bool has_stage(const std::vector<Stage>& pipeline, Stage s) {
    for (Stage p : pipeline)
        if (p == s) return true;
    return false;
}

std::string pipeline_text(const std::vector<Stage>& pipeline) {
    std::string out;
    for (Stage s : pipeline) {
        if (!out.empty()) out += ',';
        out += to_string(s);
    }
    return out;
}

// The model starts from its preset; a "model" object overrides single keys of it (so
// {"hidden_size": 64} shrinks the tiny model) or holds a whole config.json.
void read_model(const ObjectReader& top, const std::string& source, TrainConfig& c) {
    top.read_string("model_preset", c.model_preset);
    if (!contains(ModelConfig::preset_names(), c.model_preset))
        fail(source, "model_preset", "\"" + c.model_preset + "\"",
             "one of " + joined(ModelConfig::preset_names()));
    nlohmann::json model_json = ModelConfig::preset(c.model_preset).to_json();
    if (const nlohmann::json* v = top.find("model")) {
        if (!v->is_object()) top.type_error("model", "a JSON object (config.json keys)", *v);
        // A run stored by an earlier version keeps that version's MTP contract.
        nlohmann::json patch = *v;
        ModelConfig::pin_legacy_defaults(patch);
        model_json.merge_patch(patch);
    }
    c.model = ModelConfig::from_json(model_json, source + ": model");
}

std::vector<Stage> read_pipeline(const ObjectReader& top, const nlohmann::json& v) {
    if (!v.is_array()) top.type_error("pipeline", "an array such as [\"sft\", \"grpo\"]", v);
    std::vector<Stage> pipeline;
    for (const nlohmann::json& s : v) {
        if (!s.is_string() || (s != "sft" && s != "grpo"))
            top.type_error("pipeline", "stage names \"sft\" or \"grpo\"", v);
        pipeline.push_back(parse_stage(s.get<std::string>()));
    }
    return pipeline;
}

void read_sft(const ObjectReader& r, SftConfig& sft) {
    r.allow_only({"steps", "batch_size", "lr", "min_lr", "warmup_steps", "cold_start_pool",
                  "batch_start_share", "batch_ramp_share"});
    // An sft object without the ramp's keys was stored before the ramp existed: no ramp.
    if (!r.find("batch_start_share")) sft.batch_start_share = 1.0f;
    if (!r.find("batch_ramp_share")) sft.batch_ramp_share = 0.0f;
    r.read_int("steps", sft.steps);
    r.read_int("batch_size", sft.batch_size);
    r.read_float("lr", sft.lr);
    r.read_float("min_lr", sft.min_lr);
    r.read_int("warmup_steps", sft.warmup_steps);
    r.read_int("cold_start_pool", sft.cold_start_pool);
    r.read_float("batch_start_share", sft.batch_start_share);
    r.read_float("batch_ramp_share", sft.batch_ramp_share);
}

void read_grpo(const ObjectReader& r, const std::string& source, GrpoConfig& grpo) {
    r.allow_only({"steps", "prompts_per_step", "group_size", "lr", "warmup_steps", "beta",
                  "epsilon", "epsilon_high", "temperature", "max_new_tokens", "scale_rewards",
                  "averaging", "mu", "kl_bound", "speculative_rollouts"});
    r.read_int("steps", grpo.steps);
    r.read_int("prompts_per_step", grpo.prompts_per_step);
    r.read_int("group_size", grpo.group_size);
    r.read_float("lr", grpo.lr);
    r.read_int("warmup_steps", grpo.warmup_steps);
    r.read_float("beta", grpo.beta);
    r.read_float("epsilon", grpo.epsilon);
    r.read_float("epsilon_high", grpo.epsilon_high);
    r.read_float("temperature", grpo.temperature);
    r.read_int("max_new_tokens", grpo.max_new_tokens);
    r.read_bool("scale_rewards", grpo.scale_rewards);
    std::string averaging = to_string(grpo.averaging);
    r.read_string("averaging", averaging);
    if (averaging != "token" && averaging != "sequence")
        fail(source, "grpo.averaging", "\"" + averaging + "\"", "\"token\" or \"sequence\"");
    grpo.averaging = parse_loss_averaging(averaging);
    r.read_int("mu", grpo.mu);
    r.read_float("kl_bound", grpo.kl_bound);
    r.read_bool("speculative_rollouts", grpo.speculative_rollouts);
}

void read_eval(const ObjectReader& r, const std::string& source, EvalConfig& eval) {
    r.allow_only({"n", "seed", "every_sft", "every_grpo", "sampled", "bucket_min", "split"});
    r.read_int("n", eval.n);
    r.read_int("seed", eval.seed);
    r.read_int("every_sft", eval.every_sft);
    r.read_int("every_grpo", eval.every_grpo);
    r.read_bool("sampled", eval.sampled);
    r.read_int("bucket_min", eval.bucket_min);
    std::string split = to_string(eval.split);
    r.read_string("split", split);
    if (split != "train" && split != "held_out")
        fail(source, "eval.split", "\"" + split + "\"", "\"train\" or \"held_out\"");
    eval.split = parse_split(split, source);
}

void read_rollout_log(const ObjectReader& r, RolloutLogConfig& log) {
    r.allow_only({"groups_every", "token_values", "eval_samples"});
    r.read_int("groups_every", log.groups_every);
    r.read_bool("token_values", log.token_values);
    r.read_int("eval_samples", log.eval_samples);
}

}  // namespace

const char* to_string(LossAveraging averaging) {
    return averaging == LossAveraging::token ? "token" : "sequence";
}

LossAveraging parse_loss_averaging(std::string_view text) {
    if (text == "token") return LossAveraging::token;
    if (text == "sequence") return LossAveraging::sequence;
    throw ConfigError("loss averaging '" + std::string(text) +
                      "' is unknown, expected \"token\" or \"sequence\"");
}

TaskOptions default_task_options() {
    TaskOptions o;
    o.aligned_trace = true;
    o.uniform_lengths = 0.75;
    return o;
}

TrainConfig::TrainConfig() : model(ModelConfig::preset("tiny")) {}

void TrainConfig::validate() const {
    const std::string source = "training config";
    if (!contains(task_names(), task))
        fail(source, "task", "\"" + task + "\"", "one of " + joined(task_names()));
    task_options.validate(source + ": task_options");
    check_styles_for_task(task, task_options, source + ": task_options");
    reward.validate(source + ": reward");

    if (!contains(ModelConfig::preset_names(), model_preset))
        fail(source, "model_preset", "\"" + model_preset + "\"",
             "one of " + joined(ModelConfig::preset_names()));
    model.validate(source + ": model");
    const std::int64_t n_params = count_params(model).total;
    if (n_params > kMaxTrainParams)
        fail(source, "model", std::to_string(n_params) + " parameters",
             "at most " + std::to_string(kMaxTrainParams) +
                 " (the deepseek-v2/v3 presets are for accounting only)");
    Tokenizer().check_fits(model.vocab_size, source + ": model");

    if (pipeline.empty()) fail(source, "pipeline", "[]", "at least one stage (sft, grpo)");
    for (std::size_t i = 0; i < pipeline.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (pipeline[i] == pipeline[k])
                fail(source, "pipeline", "\"" + pipeline_text(pipeline) + "\"",
                     "each stage at most once");
    const bool with_sft = has_stage(pipeline, Stage::sft);
    const bool with_grpo = has_stage(pipeline, Stage::grpo);

    check_int(source, "sft.steps", sft.steps, with_sft ? 1 : 0);
    check_int(source, "sft.batch_size", sft.batch_size, 1, 4096);
    check_float(source, "sft.lr", sft.lr, 0.0, true, 1.0);
    check_float(source, "sft.min_lr", sft.min_lr, 0.0, false, sft.lr);
    check_int(source, "sft.warmup_steps", sft.warmup_steps, 0);
    check_int(source, "sft.cold_start_pool", sft.cold_start_pool, 0);
    check_float(source, "sft.batch_start_share", sft.batch_start_share, 0.0, true, 1.0);
    check_float(source, "sft.batch_ramp_share", sft.batch_ramp_share, 0.0, false, 1.0);

    check_int(source, "grpo.steps", grpo.steps, with_grpo ? 1 : 0);
    check_int(source, "grpo.prompts_per_step", grpo.prompts_per_step, 1, 4096);
    // A group of one has no spread, so every advantage would be 0.
    check_int(source, "grpo.group_size", grpo.group_size, 2, 1024);
    check_float(source, "grpo.lr", grpo.lr, 0.0, true, 1.0);
    check_int(source, "grpo.warmup_steps", grpo.warmup_steps, 0);
    check_float(source, "grpo.beta", grpo.beta, 0.0, false);
    check_float(source, "grpo.epsilon", grpo.epsilon, 0.0, true, 1.0);
    check_float(source, "grpo.epsilon_high", grpo.epsilon_high, 0.0, false, 10.0);
    check_float(source, "grpo.temperature", grpo.temperature, 0.0, true, 10.0);
    check_int(source, "grpo.max_new_tokens", grpo.max_new_tokens, 1,
              model.max_position_embeddings - 2);
    check_int(source, "grpo.mu", grpo.mu, 1, 64);
    check_float(source, "grpo.kl_bound", grpo.kl_bound, 0.0, true);
    if (grpo.speculative_rollouts && model.num_nextn_predict_layers < 1)
        fail(source, "grpo.speculative_rollouts", "true with model.num_nextn_predict_layers = 0",
             "a model with an MTP module (it drafts the rollouts' tokens)");

    check_int(source, "eval.n", eval.n, 0, 1'000'000);
    check_int(source, "eval.every_sft", eval.every_sft, 0);
    check_int(source, "eval.every_grpo", eval.every_grpo, 0);
    check_int(source, "eval.bucket_min", eval.bucket_min, 0, 10'000);
    check_int(source, "rollouts.groups_every", rollouts.groups_every, 0);
    check_int(source, "rollouts.eval_samples", rollouts.eval_samples, 0, 10'000);

    if (control != "" && control != "sft")
        fail(source, "control", "\"" + control + "\"", "\"\" (no control arm) or \"sft\"");
    if (control == "sft" && !with_grpo)
        fail(source, "control", "\"sft\" with pipeline \"" + pipeline_text(pipeline) + "\"",
             "a pipeline with a grpo stage (the control arm runs beside it)");
    check_int(source, "threads", threads, 0, 1024);
    if (precision != "fp32" && precision != "fp8")
        fail(source, "precision", "\"" + precision + "\"", "\"fp32\" or \"fp8\"");
    fp8.validate();
    check_int(source, "checkpoint_every", checkpoint_every, 0);
    check_int(source, "checkpoint_every_seconds", checkpoint_every_seconds, 0);
    check_int(source, "checkpoint_keep", checkpoint_keep, 0);
}

nlohmann::json TrainConfig::to_json() const {
    nlohmann::json stages = nlohmann::json::array();
    for (Stage s : pipeline) stages.push_back(to_string(s));
    nlohmann::json j{
        {"name", name},
        {"task", task},
        {"task_options", task_options.to_json()},
        {"reward", reward.to_json()},
        {"model_preset", model_preset},
        {"model", model.to_json()},
        {"pipeline", stages},
        {"sft",
         {{"steps", sft.steps},
          {"batch_size", sft.batch_size},
          {"lr", sft.lr},
          {"min_lr", sft.min_lr},
          {"warmup_steps", sft.warmup_steps},
          {"cold_start_pool", sft.cold_start_pool},
          {"batch_start_share", sft.batch_start_share},
          {"batch_ramp_share", sft.batch_ramp_share}}},
        {"grpo",
         {{"steps", grpo.steps},
          {"prompts_per_step", grpo.prompts_per_step},
          {"group_size", grpo.group_size},
          {"lr", grpo.lr},
          {"warmup_steps", grpo.warmup_steps},
          {"beta", grpo.beta},
          {"epsilon", grpo.epsilon},
          {"epsilon_high", grpo.epsilon_high},
          {"temperature", grpo.temperature},
          {"max_new_tokens", grpo.max_new_tokens},
          {"scale_rewards", grpo.scale_rewards},
          {"averaging", to_string(grpo.averaging)},
          {"mu", grpo.mu},
          {"kl_bound", grpo.kl_bound},
          {"speculative_rollouts", grpo.speculative_rollouts}}},
        {"eval",
         {{"n", eval.n},
          {"seed", eval.seed},
          {"every_sft", eval.every_sft},
          {"every_grpo", eval.every_grpo},
          {"sampled", eval.sampled}}},
        {"control", control},
        {"seed", seed},
        {"threads", threads},
        {"precision", precision},
        {"fp8", fp8.to_json()},
        {"checkpoint_every", checkpoint_every},
        {"checkpoint_every_seconds", checkpoint_every_seconds},
        {"checkpoint_keep", checkpoint_keep},
        {"out_dir", out_dir},
    };
    if (eval.bucket_min != EvalConfig{}.bucket_min) j["eval"]["bucket_min"] = eval.bucket_min;
    if (eval.split != EvalConfig{}.split) j["eval"]["split"] = to_string(eval.split);
    if (rollouts != RolloutLogConfig{})
        j["rollouts"] = {{"groups_every", rollouts.groups_every},
                         {"token_values", rollouts.token_values},
                         {"eval_samples", rollouts.eval_samples}};
    return j;
}

TrainConfig TrainConfig::from_json(const nlohmann::json& j, const std::string& source) {
    TrainConfig c;
    const ObjectReader top(j, source, "");
    top.allow_only({"name",
                    "task",
                    "task_options",
                    "reward",
                    "model_preset",
                    "model",
                    "pipeline",
                    "sft",
                    "grpo",
                    "eval",
                    "rollouts",
                    "control",
                    "seed",
                    "threads",
                    "precision",
                    "fp8",
                    "checkpoint_every",
                    "checkpoint_every_seconds",
                    "checkpoint_keep",
                    "out_dir"});
    top.read_string("name", c.name);
    top.read_string("task", c.task);
    if (const nlohmann::json* v = top.find("task_options"))
        c.task_options = TaskOptions::from_json(*v, source + ": task_options");
    if (const nlohmann::json* v = top.find("reward"))
        c.reward = RewardConfig::from_json(*v, source + ": reward");
    read_model(top, source, c);
    if (const nlohmann::json* v = top.find("pipeline")) c.pipeline = read_pipeline(top, *v);
    if (const nlohmann::json* v = top.find("sft"))
        read_sft(ObjectReader(*v, source, "sft."), c.sft);
    if (const nlohmann::json* v = top.find("grpo"))
        read_grpo(ObjectReader(*v, source, "grpo."), source, c.grpo);
    if (const nlohmann::json* v = top.find("eval"))
        read_eval(ObjectReader(*v, source, "eval."), source, c.eval);
    if (const nlohmann::json* v = top.find("rollouts"))
        read_rollout_log(ObjectReader(*v, source, "rollouts."), c.rollouts);
    top.read_string("control", c.control);
    top.read_int("seed", c.seed);
    top.read_int("threads", c.threads);
    top.read_string("precision", c.precision);
    if (const nlohmann::json* v = top.find("fp8")) c.fp8 = Fp8TrainingRecipe::from_json(*v, source);
    top.read_int("checkpoint_every", c.checkpoint_every);
    top.read_int("checkpoint_every_seconds", c.checkpoint_every_seconds);
    top.read_int("checkpoint_keep", c.checkpoint_keep);
    top.read_string("out_dir", c.out_dir);
    return c;
}

std::optional<Fp8TrainingRecipe> TrainConfig::fp8_recipe() const {
    if (precision == "fp8") return fp8;
    return std::nullopt;
}

std::string TrainConfig::display_name() const {
    if (!name.empty()) return name;
    std::string out = task;
    for (std::size_t i = 0; i < pipeline.size(); ++i) {
        out += i == 0 ? ' ' : '+';
        out += to_string(pipeline[i]);
    }
    return out;
}

std::int64_t TrainConfig::stage_steps(Stage stage) const {
    return stage == Stage::sft ? sft.steps : grpo.steps;
}

std::int64_t TrainConfig::total_steps() const {
    std::int64_t total = 0;
    for (Stage s : pipeline) total += stage_steps(s);
    return total;
}

}  // namespace tinyseek
