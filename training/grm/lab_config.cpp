#include "training/grm/lab_config.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <variant>
#include <vector>

#include "core/errors.h"
#include "core/tokenizer.h"

namespace tinyseek {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One scalar knob: where it lives and its allowed range [lo, hi] (open at lo when open_lo).
using FieldPtr = std::variant<int*, std::int64_t*, std::uint64_t*, float*, bool*, std::string*>;
struct Field {
    const char* name;
    FieldPtr ptr;
    double lo = -kInf;
    double hi = kInf;
    bool open_lo = false;
};
struct Section {
    std::string name;  // "" = top level
    std::vector<Field> fields;
};

std::vector<Field> sft_fields(JudgeSftStage& s) {
    return {{"steps", &s.steps, 0, 1e7},
            {"batch_size", &s.batch_size, 1, 4096},
            {"lr", &s.lr, 0, 1, true},
            {"min_lr", &s.min_lr, 0, 1},
            {"warmup_steps", &s.warmup_steps, 0, 1e7}};
}

std::vector<Field> head_fields(HeadStage& h, bool with_samples) {
    std::vector<Field> f;
    if (with_samples) {
        f.push_back({"items", &h.items, 0, 1e6});
        f.push_back({"samples", &h.samples, 1, 64});
        f.push_back({"temperature", &h.temperature, 0, 10, true});
    }
    f.push_back({"steps", &h.steps, 0, 1e7});
    f.push_back({"batch_size", &h.batch_size, 2, 4096});
    f.push_back({"lr", &h.lr, 0, 1, true});
    return f;
}

std::vector<Section> sections(GrmLabConfig& c) {
    std::vector<Field> rft = {{"items", &c.rft.items, 0, 1e6},
                              {"samples", &c.rft.samples, 1, 64},
                              {"temperature", &c.rft.temperature, 0, 10, true},
                              {"min_kept", &c.rft.min_kept, 0, 1e7},
                              {"max_rounds", &c.rft.max_rounds, 1, 64},
                              {"epochs", &c.rft.epochs, 0, 1000},
                              {"keep", &c.rft.keep},
                              {"hints", &c.rft.hints},
                              {"fresh_optimizer", &c.rft.fresh_optimizer}};
    for (const Field& f : sft_fields(c.rft.train)) rft.push_back(f);
    std::vector<Field> cold_start = sft_fields(c.cold_start);
    cold_start.push_back({"decoys", &c.cold_start_decoys, 0, 0.9});
    return {
        {"",
         {{"name", &c.name},
          {"task", &c.task},
          {"model_preset", &c.model_preset},
          {"seed", &c.seed},
          {"init_checkpoint", &c.init_checkpoint},
          {"max_new_tokens", &c.max_new_tokens, 16, 1024},
          {"keep_best", &c.keep_best},
          {"val_items", &c.val_items, 1, 1e5},
          {"eval_every", &c.eval_every, 0, 1e7}}},
        {"cold_start", cold_start},
        {"rft", rft},
        {"rl",
         {{"steps", &c.rl.steps, 0, 1e7},
          {"prompts_per_step", &c.rl.prompts_per_step, 1, 4096},
          {"group_size", &c.rl.group_size, 2, 1024},
          {"lr", &c.rl.lr, 0, 1, true},
          {"warmup_steps", &c.rl.warmup_steps, 0, 1e7},
          {"beta", &c.rl.beta, 0, kInf},
          {"epsilon", &c.rl.epsilon, 0, 0.999, true},
          {"temperature", &c.rl.temperature, 0, 10, true},
          {"scale_rewards", &c.rl.scale_rewards},
          {"fresh_optimizer", &c.rl.fresh_optimizer}}},
        {"meta_rm", head_fields(c.meta_rm, true)},
        {"scalar_rm", head_fields(c.scalar_rm, false)},
    };
}

std::string number_text(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string field_name(const Section& s, const Field& f) {
    return s.name.empty() ? f.name : s.name + "." + f.name;
}

double numeric_value(const FieldPtr& p) {
    return std::visit(
        [](auto* x) -> double {
            using T = std::remove_pointer_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>)
                return 0.0;
            else
                return static_cast<double>(*x);
        },
        p);
}

nlohmann::json field_json(const FieldPtr& p) {
    return std::visit([](auto* x) { return nlohmann::json(*x); }, p);
}

void read_field(const Field& f, const nlohmann::json& v, const std::string& where) {
    auto wrong = [&](const char* want) {
        throw ConfigError(where + " must be " + want + ", got " + v.dump());
    };
    std::visit(
        [&](auto* x) {
            using T = std::remove_pointer_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) {
                if (!v.is_string()) wrong("a string");
                *x = v.get<std::string>();
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!v.is_boolean()) wrong("true or false");
                *x = v.get<bool>();
            } else if constexpr (std::is_same_v<T, float>) {
                if (!v.is_number()) wrong("a number");
                *x = v.get<float>();
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                if (!v.is_number_unsigned()) wrong("a non-negative integer");
                *x = v.get<std::uint64_t>();
            } else {
                if (!v.is_number_integer()) wrong("an integer");
                const auto n = v.get<long long>();
                if (n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max())
                    wrong("an integer in range");
                *x = static_cast<T>(n);
            }
        },
        f.ptr);
}

}  // namespace

std::int64_t RejectiveStage::steps_for(std::int64_t kept) const {
    if (epochs <= 0.0f) return train.steps;
    const double passes = static_cast<double>(epochs) * static_cast<double>(kept);
    const auto steps = static_cast<std::int64_t>(std::ceil(passes / train.batch_size));
    return std::clamp<std::int64_t>(steps, 1, std::max<std::int64_t>(1, train.steps));
}

GrmLabConfig::GrmLabConfig() : model(ModelConfig::preset("tiny")) {
    // Two-digit questions: the tiny judge learns their column sums within a few hundred steps
    // and still errs often enough at temperature 1 for pooling to matter.
    task_options.digits = 2;
}

void GrmLabConfig::validate() const {
    const std::string source = "grm config";
    GrmLabConfig copy = *this;
    for (const Section& s : sections(copy)) {
        for (const Field& f : s.fields) {
            if (std::holds_alternative<std::string*>(f.ptr) || std::holds_alternative<bool*>(f.ptr))
                continue;
            const double v = numeric_value(f.ptr);
            const bool ok = std::isfinite(v) && (f.open_lo ? v > f.lo : v >= f.lo) && v <= f.hi;
            if (!ok) {
                std::string expected =
                    std::string("a value ") + (f.open_lo ? "> " : ">= ") + number_text(f.lo);
                if (std::isfinite(f.hi)) expected += " and <= " + number_text(f.hi);
                throw ConfigError(source + ": field '" + field_name(s, f) + "' is " +
                                  number_text(v) + ", expected " + expected);
            }
        }
    }
    auto check_min_lr = [&](const char* where, const JudgeSftStage& st) {
        if (st.min_lr > st.lr)
            throw ConfigError(source + ": field '" + where + ".min_lr' is " +
                              number_text(st.min_lr) + ", expected <= lr (" + number_text(st.lr) +
                              ")");
    };
    check_min_lr("cold_start", cold_start);
    check_min_lr("rft", rft.train);
    if (rft.keep != "verdict" && rft.keep != "critique" && rft.keep != "trace")
        throw ConfigError(source + ": field 'rft.keep' is \"" + rft.keep +
                          "\", expected \"verdict\", \"critique\" or \"trace\"");
    if (meta_rm.steps > 0 && meta_rm.items < 10)
        throw ConfigError(source + ": field 'meta_rm.items' is " + std::to_string(meta_rm.items) +
                          ", expected >= 10 when meta_rm.steps > 0 (a tenth is kept for "
                          "validation)");
    task_options.validate(source + " task_options");
    items.validate(source + " items");
    make_questions();
    model.validate(source + " model");
    Tokenizer().check_fits(model.vocab_size, source + " model");
    if (max_new_tokens >= model.max_position_embeddings)
        throw ConfigError(source + ": field 'max_new_tokens' is " + std::to_string(max_new_tokens) +
                          ", expected < the model's " + "max_position_embeddings (" +
                          std::to_string(model.max_position_embeddings) + ")");
}

nlohmann::json GrmLabConfig::to_json() const {
    GrmLabConfig copy = *this;
    nlohmann::json j = nlohmann::json::object();
    for (const Section& s : sections(copy)) {
        nlohmann::json& target = s.name.empty() ? j : j[s.name];
        for (const Field& f : s.fields) target[f.name] = field_json(f.ptr);
    }
    // Absent in the configs from before these keys existed.
    if (rft.keep == "verdict") j["rft"].erase("keep");
    if (cold_start_decoys == 0.0f) j["cold_start"].erase("decoys");
    if (!rft.fresh_optimizer) j["rft"].erase("fresh_optimizer");
    if (!rft.hints) j["rft"].erase("hints");
    if (!rl.fresh_optimizer) j["rl"].erase("fresh_optimizer");
    j["task_options"] = task_options.to_json();
    j["items"] = items.to_json();
    if (task == "mix") j["mix"] = tinyseek::to_json(mix);
    j["model"] = model.to_json();
    return j;
}

GrmLabConfig GrmLabConfig::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object())
        throw ConfigError(source + ": expected a JSON object, got " + std::string(j.type_name()));
    GrmLabConfig c;
    // The preset first, so an explicit "model" overrides it.
    if (j.contains("model_preset")) {
        if (!j["model_preset"].is_string())
            throw ConfigError(source + ": field 'model_preset' must be a string");
        c.model_preset = j["model_preset"].get<std::string>();
        c.model = ModelConfig::preset(c.model_preset);
    }
    // Absent: a config from before these keys existed (lab_config.h).
    c.rft.keep = "verdict";
    c.cold_start_decoys = 0.0f;
    c.rft.fresh_optimizer = false;
    c.rl.fresh_optimizer = false;
    c.rft.hints = false;
    std::vector<Section> all = sections(c);
    auto find_section = [&](const std::string& name) -> const Section* {
        for (const Section& s : all)
            if (s.name == name) return &s;
        return nullptr;
    };
    auto read_object = [&](const Section& s, const nlohmann::json& obj) {
        for (const auto& [key, value] : obj.items()) {
            if (s.name.empty() && (key == "task_options" || key == "items" || key == "model" ||
                                   key == "mix" || find_section(key) != nullptr))
                continue;
            const Field* field = nullptr;
            for (const Field& f : s.fields)
                if (key == f.name) field = &f;
            if (!field) {
                std::string known;
                for (const Field& f : s.fields)
                    known += (known.empty() ? "" : ", ") + std::string(f.name);
                throw ConfigError(source + ": unknown field '" +
                                  (s.name.empty() ? key : s.name + "." + key) +
                                  "' (known: " + known + ")");
            }
            read_field(*field, value, source + ": field '" + field_name(s, *field) + "'");
        }
    };
    read_object(all[0], j);
    for (std::size_t i = 1; i < all.size(); ++i) {
        if (!j.contains(all[i].name)) continue;
        const nlohmann::json& obj = j[all[i].name];
        if (!obj.is_object())
            throw ConfigError(source + ": field '" + all[i].name + "' must be a JSON object");
        read_object(all[i], obj);
    }
    if (j.contains("task_options"))
        c.task_options = TaskOptions::from_json(j["task_options"], source + " task_options");
    if (j.contains("items")) c.items = JudgeItemOptions::from_json(j["items"], source + " items");
    if (j.contains("mix")) c.mix = question_weights_from_json(j["mix"], source + " mix");
    if (j.contains("model")) c.model = ModelConfig::from_json(j["model"], source + " model");
    c.validate();
    return c;
}

std::unique_ptr<Task> GrmLabConfig::make_questions() const {
    return make_question_source(task, mix, task_options);
}

std::string GrmLabConfig::display_name() const {
    return name.empty() ? "grm " + task : name;
}

}  // namespace tinyseek
