#include "training/task.h"

#include <limits>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "training/task_arithmetic.h"
#include "training/task_countdown.h"

namespace tinyseek {

std::int64_t uniform_int(Rng& rng, std::int64_t lo, std::int64_t hi) {
    if (lo > hi) {
        throw Error("uniform_int: empty range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                    "]");
    }
    // n = hi - lo + 1 in unsigned arithmetic; 0 means the full 64-bit range.
    const std::uint64_t n = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    if (n == 0) return static_cast<std::int64_t>(rng());
    // Accept x >= 2^64 mod n: the accepted values are a multiple of n, so x % n is unbiased.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t x = rng();
        if (x >= threshold) {
            return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % n);
        }
    }
}

const char* to_string(Split split) {
    return split == Split::train ? "train" : "held_out";
}

const char* evaluation_set_name(Split split) {
    return split == Split::held_out ? "held-out" : "validation (train-split)";
}

Split parse_split(std::string_view text, const std::string& source) {
    if (text == "train") return Split::train;
    if (text == "held_out") return Split::held_out;
    throw ConfigError(source + ": split must be 'train' or 'held_out', got '" + std::string(text) +
                      "'");
}

std::uint64_t stable_hash(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;  // FNV-1a 64 prime
    }
    // splitmix64 finaliser: FNV's low bits mix poorly for short keys; this spreads them so a
    // threshold on the full 64-bit value gives the requested held-out share.
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

namespace {

void check_range(const std::string& source, const char* field, long long value, long long lo,
                 long long hi) {
    if (value < lo || value > hi) {
        std::ostringstream msg;
        msg << source << ": field '" << field << "' is " << value << ", expected an integer in ["
            << lo << ", " << hi << "]";
        throw ConfigError(msg.str());
    }
}

}  // namespace

void TaskOptions::validate(const std::string& source) const {
    check_range(source, "digits", digits, 1, 12);
    check_range(source, "a_digits", a_digits, 1, 4);
    check_range(source, "b_digits", b_digits, 1, 4);
    check_range(source, "numbers", numbers, 3, 4);
    check_range(source, "max_number", max_number, 2, 999);
    check_range(source, "max_target", max_target, 2, 9999);
    if (!(uniform_lengths >= 0.0 && uniform_lengths <= 1.0)) {
        std::ostringstream msg;
        msg << source << ": field 'uniform_lengths' is " << uniform_lengths
            << ", expected a share in [0, 1] (or true / false)";
        throw ConfigError(msg.str());
    }
    if (!(held_out_fraction > 0.0 && held_out_fraction < 1.0)) {
        std::ostringstream msg;
        msg << source << ": field 'held_out_fraction' is " << held_out_fraction
            << ", expected a number in (0, 1)";
        throw ConfigError(msg.str());
    }
    styles.validate(source + " styles");
}

nlohmann::json TaskOptions::to_json() const {
    nlohmann::json j{{"digits", digits},
                     {"a_digits", a_digits},
                     {"b_digits", b_digits},
                     {"numbers", numbers},
                     {"max_number", max_number},
                     {"max_target", max_target},
                     {"countdown_use_all", countdown_use_all},
                     {"held_out_fraction", held_out_fraction}};
    // Written only when not the default, so configs stored before styles, uniform lengths and
    // aligned traces existed (and the runs compared with them, e.g. precision twins) keep their
    // exact JSON.
    if (!(styles == StyleMix{})) j["styles"] = styles.to_json();
    if (uniform_lengths == 1.0)
        j["uniform_lengths"] = true;
    else if (uniform_lengths != 0.0)
        j["uniform_lengths"] = uniform_lengths;
    if (aligned_trace) j["aligned_trace"] = true;
    if (two_digit_sums) j["two_digit_sums"] = true;
    return j;
}

TaskOptions TaskOptions::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) {
        throw ConfigError(source + ": expected a JSON object of task options, got " +
                          std::string(j.type_name()));
    }
    TaskOptions o;
    for (const auto& item : j.items()) {
        // Named references, not a structured binding: clang 14 cannot capture those.
        const std::string& key = item.key();
        const nlohmann::json& value = item.value();
        auto read_int = [&](int& field) {
            if (!value.is_number_integer()) {
                throw ConfigError(source + ": field '" + key + "' must be an integer, got " +
                                  value.dump());
            }
            // An unsigned value above INT64_MAX would wrap to a negative one in get<long long>.
            const bool huge = value.is_number_unsigned() &&
                              value.get<unsigned long long>() >
                                  static_cast<unsigned long long>(std::numeric_limits<int>::max());
            const auto v = huge ? 0LL : value.get<long long>();
            if (huge || v < std::numeric_limits<int>::min() ||
                v > std::numeric_limits<int>::max()) {
                throw ConfigError(source + ": field '" + key +
                                  "' is out of range: " + value.dump());
            }
            field = static_cast<int>(v);
        };
        if (key == "digits") {
            read_int(o.digits);
        } else if (key == "a_digits") {
            read_int(o.a_digits);
        } else if (key == "b_digits") {
            read_int(o.b_digits);
        } else if (key == "numbers") {
            read_int(o.numbers);
        } else if (key == "max_number") {
            read_int(o.max_number);
        } else if (key == "max_target") {
            read_int(o.max_target);
        } else if (key == "uniform_lengths" && value.is_number()) {
            o.uniform_lengths = value.get<double>();
        } else if (key == "countdown_use_all" || key == "uniform_lengths" ||
                   key == "aligned_trace" || key == "two_digit_sums") {
            if (!value.is_boolean()) {
                throw ConfigError(source + ": field '" + key + "' must be true or false" +
                                  (key == "uniform_lengths" ? " or a share in [0, 1]" : "") +
                                  ", got " + value.dump());
            }
            const bool on = value.get<bool>();
            if (key == "uniform_lengths")
                o.uniform_lengths = on ? 1.0 : 0.0;
            else if (key == "aligned_trace")
                o.aligned_trace = on;
            else if (key == "two_digit_sums")
                o.two_digit_sums = on;
            else
                o.countdown_use_all = on;
        } else if (key == "held_out_fraction") {
            if (!value.is_number()) {
                throw ConfigError(source + ": field 'held_out_fraction' must be a number, got " +
                                  value.dump());
            }
            o.held_out_fraction = value.get<double>();
        } else if (key == "styles") {
            o.styles = StyleMix::from_json(value, source + " styles");
        } else {
            throw ConfigError(source + ": unknown field '" + key +
                              "' (known: digits, a_digits, b_digits, numbers, max_number, "
                              "max_target, countdown_use_all, held_out_fraction, styles, "
                              "uniform_lengths, aligned_trace, two_digit_sums)");
        }
    }
    o.validate(source);
    return o;
}

Split Task::split_of(std::string_view key) const {
    // held_out iff hash < fraction * 2^64; fraction < 1 so the product fits in 64 bits.
    const long double scale = 18446744073709551616.0L;  // 2^64
    const auto threshold =
        static_cast<std::uint64_t>(static_cast<long double>(options_.held_out_fraction) * scale);
    return stable_hash(key) < threshold ? Split::held_out : Split::train;
}

Problem Task::sample(Split split, Rng& rng, Draw how) const {
    // The split is a property of the problem, so sampling a split is rejection sampling over
    // the whole space; with held_out_fraction f a held-out draw takes 1/f tries on average.
    constexpr int kMaxAttempts = 100000;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        Problem p = how == Draw::evaluation ? draw_for_evaluation(rng) : draw(rng);
        p.split = split_of(p.key);
        if (p.split == split) return p;
    }
    std::ostringstream msg;
    msg << "task '" << name() << "': no " << to_string(split) << " problem found in "
        << kMaxAttempts << " draws; the problem space is too small for held_out_fraction="
        << options_.held_out_fraction;
    throw Error(msg.str());
}

std::vector<std::string> task_names() {
    return {"addition", "subtraction", "multiplication", "countdown"};
}

namespace {

std::unique_ptr<Task> new_task(std::string_view name, const TaskOptions& options) {
    if (name == "addition") return std::make_unique<AdditionTask>(options);
    if (name == "subtraction") return std::make_unique<SubtractionTask>(options);
    if (name == "multiplication") return std::make_unique<MultiplicationTask>(options);
    if (name == "countdown") return std::make_unique<CountdownTask>(options);
    std::string known;
    for (const auto& n : task_names()) {
        if (!known.empty()) known += ", ";
        known += n;
    }
    throw ConfigError("unknown task '" + std::string(name) + "', expected one of: " + known);
}

}  // namespace

void check_styles_for_task(std::string_view name, const TaskOptions& options,
                           const std::string& source) {
    if (options.styles.search > 0.0 && !new_task(name, TaskOptions{})->has_search_trace())
        throw ConfigError(source + ": styles: task '" + std::string(name) +
                          "' has no search trace (countdown has); use worked, partial or direct");
}

std::unique_ptr<Task> make_task(std::string_view name, const TaskOptions& options) {
    const std::string source = "task '" + std::string(name) + "' options";
    options.validate(source);
    check_styles_for_task(name, options, source);
    return new_task(name, options);
}

Problem Task::draw_in_bucket(std::string_view label, Rng&) const {
    throw Error("task '" + std::string(name()) + "' draws no difficulty bucket ('" +
                std::string(label) + "')");
}

namespace {

// Up to n distinct problems of `split` in draw order; fewer only when the split runs out
// (many draws in a row bring nothing new: a coupon-collector argument puts the expected cost
// of n distinct problems far below this limit).
std::vector<Problem> draw_distinct(const Task& task, Split split, std::size_t n, std::uint64_t seed,
                                   Draw how) {
    Rng rng(seed);
    std::vector<Problem> out;
    std::unordered_set<std::string> seen;
    out.reserve(n);
    const std::size_t max_misses = 20 * n + 10000;
    std::size_t misses = 0;
    while (out.size() < n && misses <= max_misses) {
        Problem p = task.sample(split, rng, how);
        if (seen.insert(p.key).second) {
            out.push_back(std::move(p));
            misses = 0;
        } else {
            ++misses;
        }
    }
    return out;
}

// draw_distinct, or an Error when the split runs out.
std::vector<Problem> draw_n_distinct(const Task& task, Split split, std::size_t n,
                                     std::uint64_t seed, Draw how) {
    std::vector<Problem> out = draw_distinct(task, split, n, seed, how);
    if (out.size() < n) {
        std::ostringstream msg;
        msg << "task '" << task.name() << "': the " << to_string(split) << " split gave only "
            << out.size() << " distinct problems, " << n
            << " were asked for; use fewer problems, a "
            << "larger problem space or a larger held_out_fraction";
        throw Error(msg.str());
    }
    return out;
}

}  // namespace

std::vector<Problem> distinct_problems(const Task& task, Split split, std::size_t n,
                                       std::uint64_t seed) {
    return draw_n_distinct(task, split, n, seed, Draw::training);
}

std::vector<Problem> held_out_set(const Task& task, std::size_t n, std::uint64_t seed) {
    return draw_n_distinct(task, Split::held_out, n, seed, Draw::evaluation);
}

std::vector<Problem> validation_set(const Task& task, std::size_t n, std::uint64_t seed) {
    return draw_n_distinct(task, Split::train, n, seed, Draw::evaluation);
}

std::vector<Problem> evaluation_set(const Task& task, Split split, std::size_t n,
                                    std::uint64_t seed) {
    return split == Split::held_out ? held_out_set(task, n, seed) : validation_set(task, n, seed);
}

std::vector<Problem> held_out_prefix(const Task& task, std::size_t n, std::uint64_t seed) {
    return draw_distinct(task, Split::held_out, n, seed, Draw::evaluation);
}

namespace text {

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

bool is_integer(std::string_view s) {
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::string canonical_integer(std::string_view s) {
    const bool negative = !s.empty() && s.front() == '-';
    if (negative) s.remove_prefix(1);
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    if (s == "0") return "0";
    std::string out;
    out.reserve(s.size() + 1);
    if (negative) out += '-';
    out.append(s);
    return out;
}

}  // namespace text

}  // namespace tinyseek
