// What the Inference page draws from the speculative-decoding measurements
// (training/speculation_eval.h, core/throughput_measure.h), as plain values that gui/ headers
// can hold: core's generator headers must not meet Qt's keyword macros (a member named
// `slots`), so only the .cpp files that convert include them.
#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace tinyseek {
struct SpeculationEval;
struct CheckpointAcceptance;
struct ThroughputPoint;
class Tokenizer;
}  // namespace tinyseek

namespace tinyseek::gui {

// DeepSeek-V3's published figures for its MTP module used as the draft (DeepSeek-V3 Technical
// Report, §5.4.3): the second token's acceptance rate "between 85% and 90%" across generation
// topics, and 1.8 times the tokens per second of plain decoding.
inline constexpr double kDeepSeekV3AcceptanceLow = 0.85;
inline constexpr double kDeepSeekV3AcceptanceHigh = 0.90;
inline constexpr double kDeepSeekV3Speedup = 1.8;

// How a token of a drawn completion came about (the token strip's categories).
enum class TokenOrigin { prompt = 0, mainModel = 1, draftAccepted = 2, draftRejected = 3 };

// Token classes in core/token_class.h's order: tag, answer_digit, digit, other.
inline constexpr int kTokenClasses = 4;

struct AcceptanceView {
    QString task;     // the task whose held-out prompts were decoded, e.g. "addition"
    int prompts = 0;  // how many
    long drafted = 0;
    long accepted = 0;
    double tokensPerForward = 0.0;
    std::vector<long> draftedAt;   // by index in the completion
    std::vector<long> acceptedAt;  // by index in the completion
    std::array<long, kTokenClasses> draftedByClass{};
    std::array<long, kTokenClasses> acceptedByClass{};
    struct Completion {
        QStringList tokens;               // the prompt's, then the completion's
        std::vector<TokenOrigin> origin;  // one per token
    };
    std::vector<Completion> completions;  // one per prompt
};
AcceptanceView acceptanceView(const SpeculationEval& eval, const Tokenizer& tokenizer);

struct CurvePoint {
    qint64 step = 0;
    long drafted = 0;
    long accepted = 0;
    double tokensPerForward = 0.0;
    QString checkpoint;  // directory
    QString error;       // why it was not measured
};
std::vector<CurvePoint> curveView(const std::vector<CheckpointAcceptance>& points);

struct ThroughputView {
    struct Point {
        bool latent = true;  // cache mode (else expanded)
        int batch = 1;
        bool speculative = false;
        qint64 tokens = 0;    // summed over the sample's generate() calls
        qint64 forwards = 0;  // main-model forwards, likewise
        double seconds = 0.0;
        int calls = 1;
        double tokensPerSecond() const { return seconds > 0 ? tokens / seconds : 0.0; }
    };
    std::vector<Point> points;
    int threads = 1;          // OpenMP threads it ran with
    int repeats = 1;          // each point the fastest of this many samples
    double minSeconds = 0.0;  // of generation each sample lasts at least
    int maxNewTokens = 0;     // per completion
    bool trained = true;      // false: a freshly initialised model (drafts rarely accepted)
};
std::vector<ThroughputView::Point> throughputPoints(const std::vector<ThroughputPoint>& points);

}  // namespace tinyseek::gui
