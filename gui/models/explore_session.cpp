#include "gui/models/explore_session.h"

#include "core/errors.h"
#include "training/evaluator.h"
#include "training/run_checkpoints.h"
#include "training/task.h"

#include <QElapsedTimer>

#include <algorithm>

namespace tinyseek::gui {

ExploreSession::ExploreSession() : m_rng(0, 0) {}
ExploreSession::~ExploreSession() = default;

bool ExploreSession::open(const QString& dir, QString* error) {
    try {
        if (!is_checkpoint_dir(dir.toStdString())) {
            *error =
                tr("not a checkpoint directory (it needs config.json and "
                   "model.safetensors)");
            return false;
        }
        CheckpointLoadOptions load;
        load.optimizer = false;
        auto checkpoint =
            std::make_shared<const Checkpoint>(load_checkpoint(dir.toStdString(), load));
        auto inspector = std::make_unique<ForwardInspector>(checkpoint->config);
        // Lay the buffers out once for a long text, so appending a token rarely allocates
        // (the arena grows only when a shape needs more than it holds). Capped: attention
        // keeps T^2 probabilities per head, too much to reserve for a long-context config.
        const int longest = std::min(checkpoint->config.max_position_embeddings, 256);
        inspector->inspect(checkpoint->params, std::vector<int>(longest, Tokenizer::bos_id));
        m_checkpoint = std::move(checkpoint);
        m_inspector = std::move(inspector);
        m_dir = dir;
        m_undo.clear();
        m_rng = SequenceRng(0, 0);
        // The text is kept for the new model; when it does not fit it (too long, say), the
        // session starts without a text and the page picks a new one.
        QString ignored;
        if (m_tokens.empty() || !inspect(&ignored)) {
            m_tokens.clear();
            m_inspection.reset();
        }
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

const ModelConfig& ExploreSession::config() const {
    return m_checkpoint->config;
}
const Tokenizer& ExploreSession::tokenizer() const {
    return m_checkpoint->tokenizer;
}

bool ExploreSession::setText(const QString& text, QString* error) {
    if (!hasModel()) {
        *error = tr("no model is loaded");
        return false;
    }
    std::vector<int> tokens;
    try {
        const std::vector<TokenId> ids = tokenizer().encode(text.toStdString());
        tokens.assign(ids.begin(), ids.end());
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    if (tokens.empty()) {
        *error = tr("the text is empty");
        return false;
    }
    std::vector<int> before = m_tokens;
    m_tokens = std::move(tokens);
    if (!inspect(error)) {
        m_tokens = std::move(before);
        return false;
    }
    if (!before.empty()) m_undo.push_back(std::move(before));
    return true;
}

bool ExploreSession::append(int token, QString* error) {
    if (!hasModel() || m_tokens.empty()) {
        *error = tr("there is no text to continue");
        return false;
    }
    if (static_cast<int>(m_tokens.size()) >= config().max_position_embeddings) {
        *error = tr("the context is full (%1 tokens)").arg(m_tokens.size());
        return false;
    }
    m_undo.push_back(m_tokens);
    m_tokens.push_back(token);
    if (!inspect(error)) {
        undo();
        return false;
    }
    return true;
}

int ExploreSession::sample(const SamplingParams& sampling) {
    if (!m_inspection) return -1;
    Sampler sampler(m_inspection->vocab);
    return sampler.sample(m_inspection->next_logits.data(), sampling, m_rng).token;
}

void ExploreSession::undo() {
    if (m_undo.empty()) return;
    m_tokens = std::move(m_undo.back());
    m_undo.pop_back();
    QString ignored;
    inspect(&ignored);  // these tokens were inspected before
}

QStringList ExploreSession::tokenTexts() const {
    QStringList out;
    for (int id : m_tokens) out << QString::fromStdString(tokenizer().token_text(id));
    return out;
}

QString ExploreSession::text() const {
    return tokenTexts().join(QString());
}

QString ExploreSession::heldOutPrompt(int index, QString* error) const {
    try {
        const CheckpointTask task = checkpoint_task(m_checkpoint->metadata, m_dir.toStdString());
        const auto made = make_task(task.name, task.options);
        const auto prompts = held_out_prompts(*made, tokenizer(), index + 1, EvalConfig{}.seed);
        if (prompts.empty()) {
            *error = tr("the task has no held-out problems");
            return QString();
        }
        QString text;
        for (int id : prompts.at(std::min<size_t>(index, prompts.size() - 1)))
            text += QString::fromStdString(tokenizer().token_text(id));
        return text;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return QString();
    }
}

bool ExploreSession::inspect(QString* error) {
    try {
        QElapsedTimer timer;
        timer.start();
        m_inspection = m_inspector->inspect(m_checkpoint->params, m_tokens);
        m_inspectMs = timer.nsecsElapsed() / 1e6;
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

}  // namespace tinyseek::gui
