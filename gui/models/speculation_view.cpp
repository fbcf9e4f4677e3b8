// Core headers first: the generator's headers name a member `slots`, which Qt's keyword macro
// would rewrite.
#include "core/throughput_measure.h"
#include "core/tokenizer.h"
#include "training/speculation_eval.h"

#include "gui/models/speculation_view.h"

namespace tinyseek::gui {

static_assert(kTokenClasses == kTokenClassCount, "one AcceptanceView entry per TokenClass");

namespace {

TokenOrigin originOf(signed char outcome) {
    if (outcome == SequenceOutput::kDraftAccepted) return TokenOrigin::draftAccepted;
    if (outcome == SequenceOutput::kDraftRejected) return TokenOrigin::draftRejected;
    return TokenOrigin::mainModel;
}

AcceptanceView::Completion completionView(const std::vector<int>& prompt, const SequenceOutput& out,
                                          const Tokenizer& tokenizer) {
    AcceptanceView::Completion c;
    for (int id : prompt) {
        c.tokens << QString::fromStdString(tokenizer.token_text(id));
        c.origin.push_back(TokenOrigin::prompt);
    }
    for (std::size_t k = 0; k < out.tokens.size(); ++k) {
        c.tokens << QString::fromStdString(tokenizer.token_text(out.tokens[k]));
        c.origin.push_back(k < out.draft_outcome.size() ? originOf(out.draft_outcome[k])
                                                        : TokenOrigin::mainModel);
    }
    return c;
}

}  // namespace

AcceptanceView acceptanceView(const SpeculationEval& eval, const Tokenizer& tokenizer) {
    const AcceptanceMeasurement& m = eval.measurement;
    AcceptanceView v;
    v.task = QString::fromStdString(eval.task.name);
    v.prompts = static_cast<int>(eval.prompts.size());
    v.drafted = m.stats.drafted;
    v.accepted = m.stats.accepted;
    v.tokensPerForward = m.tokens_per_forward();
    v.draftedAt = m.stats.drafted_at;
    v.acceptedAt = m.stats.accepted_at;
    for (int c = 0; c < kTokenClasses; ++c) {
        v.draftedByClass[c] = m.by_class.drafted[c];
        v.acceptedByClass[c] = m.by_class.accepted[c];
    }
    for (std::size_t i = 0; i < m.sequences.size() && i < eval.prompts.size(); ++i)
        v.completions.push_back(completionView(eval.prompts[i], m.sequences[i], tokenizer));
    return v;
}

std::vector<CurvePoint> curveView(const std::vector<CheckpointAcceptance>& points) {
    std::vector<CurvePoint> out;
    for (const CheckpointAcceptance& p : points)
        out.push_back({p.step, p.drafted, p.accepted, p.tokens_per_forward,
                       QString::fromStdString(p.dir), QString::fromStdString(p.error)});
    return out;
}

std::vector<ThroughputView::Point> throughputPoints(const std::vector<ThroughputPoint>& points) {
    std::vector<ThroughputView::Point> out;
    for (const ThroughputPoint& p : points)
        out.push_back({p.mode == CacheMode::latent, p.batch, p.speculative, p.tokens,
                       p.main_forwards, p.seconds, p.calls});
    return out;
}

}  // namespace tinyseek::gui
