#include "gui/live/metric_catalog.h"

#include <algorithm>
#include <iterator>

#include "training/step_report.h"

namespace tinyseek::gui {

namespace {

struct Entry {
    const char* key;
    const char* title;
    const char* axis;  // short y-axis label: the quantity or its unit
    const char* description;
};

// Reading order of the Training page.
const Entry kEntries[] = {
    {metric::kReward, QT_TRANSLATE_NOOP("MetricCatalog", "Reward (total)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "reward"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean total reward of the sampled completions: accuracy plus the weighted "
                       "format bonus")},
    {metric::kRewardAccuracy, QT_TRANSLATE_NOOP("MetricCatalog", "Accuracy reward"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of sampled completions whose answer verifies exactly")},
    {metric::kRewardFormat, QT_TRANSLATE_NOOP("MetricCatalog", "Format reward"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP(
         "MetricCatalog",
         "Share of sampled completions written as <think>…</think><answer>…</answer>")},
    {metric::kEvalAccuracy, QT_TRANSLATE_NOOP("MetricCatalog", "Held-out accuracy (greedy)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "accuracy"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Exact-answer accuracy on the fixed held-out problems, greedy decoding")},
    {metric::kEvalSampledAccuracy,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out accuracy (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "accuracy"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Accuracy on the held-out problems when sampling at the rollout "
                       "temperature")},
    {metric::kLoss, QT_TRANSLATE_NOOP("MetricCatalog", "Loss"),
     QT_TRANSLATE_NOOP("MetricCatalog", "loss"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Training loss: next-token cross-entropy in SFT, the clipped GRPO "
                       "objective in GRPO")},
    {metric::kKl, QT_TRANSLATE_NOOP("MetricCatalog", "KL to the reference"),
     QT_TRANSLATE_NOOP("MetricCatalog", "KL"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean per-token KL divergence from the frozen reference model (k3 "
                       "estimator)")},
    {metric::kMeanLength, QT_TRANSLATE_NOOP("MetricCatalog", "Completion length"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Mean length of the sampled completions in tokens")},
    // Completion styles (training/trace_style.h): recorded when the cold start mixes them.
    {metric::kThinkShare, QT_TRANSLATE_NOOP("MetricCatalog", "Thinking share (rollouts)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of sampled completions that work the problem out in a non-empty "
                       "<think> block rather than answer directly")},
    {metric::kEvalThinkShare,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out thinking share (greedy)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of greedy held-out completions with a non-empty <think> block")},
    {metric::kEvalSampledThinkShare,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out thinking share (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of held-out completions sampled at the rollout temperature with a "
                       "non-empty <think> block")},
    {metric::kEvalSampledMeanLength,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out completion length (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP(
         "MetricCatalog",
         "Mean length of the held-out completions sampled at the rollout temperature")},
    {metric::kMeanLengthThink, QT_TRANSLATE_NOOP("MetricCatalog", "Length of thinking completions"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Mean length of the sampled completions that think")},
    {metric::kMeanLengthDirect, QT_TRANSLATE_NOOP("MetricCatalog", "Length of direct completions"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean length of the sampled completions that answer directly")},
    {metric::kRewardAccuracyThink,
     QT_TRANSLATE_NOOP("MetricCatalog", "Accuracy when thinking (rollouts)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of the thinking sampled completions whose answer verifies")},
    {metric::kRewardAccuracyDirect,
     QT_TRANSLATE_NOOP("MetricCatalog", "Accuracy when answering directly (rollouts)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of the direct sampled completions whose answer verifies")},
    {metric::kEvalAccuracyThink,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out accuracy when thinking (greedy)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "accuracy"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Accuracy of the greedy held-out completions that think")},
    {metric::kEvalAccuracyDirect,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out accuracy when answering directly (greedy)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "accuracy"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Accuracy of the greedy held-out completions that answer directly")},
    {metric::kEvalSampledAccuracyThink,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out accuracy when thinking (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "accuracy"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Accuracy of the sampled held-out completions that think")},
    {metric::kEvalSampledAccuracyDirect,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out accuracy when answering directly (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "accuracy"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Accuracy of the sampled held-out completions that answer directly")},
    {metric::kEvalMeanLengthThink,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out length when thinking (greedy)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean length of the greedy held-out completions that think")},
    {metric::kEvalMeanLengthDirect,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out length when answering directly (greedy)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean length of the greedy held-out completions that answer directly")},
    {metric::kEvalSampledMeanLengthThink,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out length when thinking (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean length of the sampled held-out completions that think")},
    {metric::kEvalSampledMeanLengthDirect,
     QT_TRANSLATE_NOOP("MetricCatalog", "Held-out length when answering directly (sampled)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean length of the sampled held-out completions that answer directly")},
    {metric::kEntropy, QT_TRANSLATE_NOOP("MetricCatalog", "Entropy"),
     QT_TRANSLATE_NOOP("MetricCatalog", "nats"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Mean entropy of the policy's next-token distribution over completion "
                       "tokens")},
    {metric::kClipRatio, QT_TRANSLATE_NOOP("MetricCatalog", "Clip ratio"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of tokens whose probability ratio was clipped to [1 − ε, 1 + ε]")},
    {metric::kRewardStd, QT_TRANSLATE_NOOP("MetricCatalog", "Reward std within groups"),
     QT_TRANSLATE_NOOP("MetricCatalog", "std"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Standard deviation of the rewards within a group of G completions")},
    {metric::kFracRewardZeroStd, QT_TRANSLATE_NOOP("MetricCatalog", "Groups without reward signal"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of groups whose completions all got the same reward (zero "
                       "advantage)")},
    {metric::kGradNorm, QT_TRANSLATE_NOOP("MetricCatalog", "Gradient norm"),
     QT_TRANSLATE_NOOP("MetricCatalog", "L2 norm"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Global gradient norm before clipping")},
    {metric::kLearningRate, QT_TRANSLATE_NOOP("MetricCatalog", "Learning rate"),
     QT_TRANSLATE_NOOP("MetricCatalog", "learning rate"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Learning rate of the step (warm-up and schedule)")},
    {metric::kTokensPerSecond, QT_TRANSLATE_NOOP("MetricCatalog", "Tokens per second"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens/s"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Training throughput of the step")},
    {metric::kMfu, QT_TRANSLATE_NOOP("MetricCatalog", "MFU (model FLOPs utilisation)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction of peak"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Model FLOPs per second (PaLM's count: 6 × active matmul weights + "
                       "attention, per token) as a share of this machine's FMA peak, measured "
                       "at start")},
    {metric::kMaxVio, QT_TRANSLATE_NOOP("MetricCatalog", "MaxVio (expert load imbalance)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "MaxVio"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "max over experts of load / mean load − 1: 0 means perfectly balanced "
                       "routing")},
    {metric::kEvalFormat, QT_TRANSLATE_NOOP("MetricCatalog", "Held-out format"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Share of well-formed answers on the held-out problems")},
    {metric::kEvalMeanLength, QT_TRANSLATE_NOOP("MetricCatalog", "Held-out completion length"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Mean completion length on the held-out problems")},
    {metric::kMalformedFraction, QT_TRANSLATE_NOOP("MetricCatalog", "Malformed completions"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Share of completions from which no answer could be read")},
    {metric::kKlExceeded, QT_TRANSLATE_NOOP("MetricCatalog", "KL above bound"),
     QT_TRANSLATE_NOOP("MetricCatalog", "0 / 1"),
     QT_TRANSLATE_NOOP("MetricCatalog", "1 when the mean KL exceeded the configured bound")},
    {metric::kMtpLoss, QT_TRANSLATE_NOOP("MetricCatalog", "MTP loss"),
     QT_TRANSLATE_NOOP("MetricCatalog", "loss"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Loss of the multi-token-prediction module")},
    {metric::kDraftAcceptance, QT_TRANSLATE_NOOP("MetricCatalog", "Draft acceptance (rollouts)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of the MTP module's drafted rollout tokens the model kept "
                       "(speculative rollouts)")},
    {metric::kTokensPerForward, QT_TRANSLATE_NOOP("MetricCatalog", "Tokens per forward (rollouts)"),
     QT_TRANSLATE_NOOP("MetricCatalog", "tokens"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Rollout tokens generated per forward of the main model: 1 without "
                       "speculation, up to 2 with every draft kept")},
    {metric::kAuxLoss, QT_TRANSLATE_NOOP("MetricCatalog", "Balance loss"),
     QT_TRANSLATE_NOOP("MetricCatalog", "loss"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Sequence-wise expert balance loss (aux_loss and aux_free_seq balancing)")},
    {metric::kStepSeconds, QT_TRANSLATE_NOOP("MetricCatalog", "Step time"),
     QT_TRANSLATE_NOOP("MetricCatalog", "seconds"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Wall-clock seconds of the step")},
    {"generation_seconds", QT_TRANSLATE_NOOP("MetricCatalog", "Rollout time"),
     QT_TRANSLATE_NOOP("MetricCatalog", "seconds"),
     QT_TRANSLATE_NOOP("MetricCatalog", "Seconds of the GRPO step spent sampling the rollouts")},
    {"reference_seconds", QT_TRANSLATE_NOOP("MetricCatalog", "Reference pass time"),
     QT_TRANSLATE_NOOP("MetricCatalog", "seconds"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Seconds of the GRPO step spent on the frozen reference's log-probs "
                       "(the KL term)")},
    {"update_seconds", QT_TRANSLATE_NOOP("MetricCatalog", "Policy update time"),
     QT_TRANSLATE_NOOP("MetricCatalog", "seconds"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Seconds of the GRPO step spent on the policy update (forward, "
                       "backward, AdamW)")},
    {"padding_fraction", QT_TRANSLATE_NOOP("MetricCatalog", "Padding share"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of the GRPO training batch that is padding (every row as long as "
                       "the longest), computed for nothing")},
    {"eval_seconds", QT_TRANSLATE_NOOP("MetricCatalog", "Evaluation time"),
     QT_TRANSLATE_NOOP("MetricCatalog", "seconds"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Seconds one held-out evaluation took (not counted as training time)")},
    {"update_sequence_fraction", QT_TRANSLATE_NOOP("MetricCatalog", "Differentiated share"),
     QT_TRANSLATE_NOOP("MetricCatalog", "fraction"),
     QT_TRANSLATE_NOOP("MetricCatalog",
                       "Share of the GRPO step's completions the policy update runs backward "
                       "through: 1, unless the KL weight is 0, when completions of zero "
                       "advantage add nothing to the gradient and are only read")},
};

const Entry* find(const QString& key) {
    for (const Entry& e : kEntries)
        if (key == QLatin1String(e.key)) return &e;
    return nullptr;
}

int rank(const QString& key) {
    for (std::size_t i = 0; i < std::size(kEntries); ++i)
        if (key == QLatin1String(kEntries[i].key)) return static_cast<int>(i);
    return static_cast<int>(std::size(kEntries));
}

}  // namespace

bool MetricCatalog::isCharted(const QString& key) {
    return !key.startsWith(QLatin1String(metric::kEvalBucketPrefix)) &&
           !key.startsWith(QLatin1String(metric::kEvalBucketCountPrefix));
}

bool MetricCatalog::isKnown(const QString& key) {
    return find(key) != nullptr;
}

QString MetricCatalog::title(const QString& key) {
    const Entry* e = find(key);
    return e ? tr(e->title) : key;
}

QString MetricCatalog::axisLabel(const QString& key) {
    const Entry* e = find(key);
    return e ? tr(e->axis) : key;
}

QString MetricCatalog::description(const QString& key) {
    const Entry* e = find(key);
    return e ? tr(e->description) : QString();
}

QStringList MetricCatalog::sorted(const QStringList& keys) {
    QStringList out = keys;
    std::stable_sort(out.begin(), out.end(), [](const QString& a, const QString& b) {
        const int ra = rank(a), rb = rank(b);
        return ra != rb ? ra < rb : a < b;
    });
    return out;
}

bool MetricCatalog::isSparse(const QString& key) {
    return key.startsWith(QLatin1String("eval/"));
}

}  // namespace tinyseek::gui
