// ExploreSession: the Explore page's model of one text being looked at. It holds a loaded
// checkpoint and the text as token ids, runs one inspection (core/forward_inspection.h) after
// every change, and keeps the texts before each change for Undo. Synchronous: one inspection
// of the tiny preset's 64 tokens takes a few milliseconds (bench/inspect_forward.cpp), so the
// page answers on the GUI thread without a worker.
#pragma once

// Core headers first (Eigen before Qt, docs/ARCHITECTURE.md "Layers").
#include "core/checkpoint.h"
#include "core/forward_inspection.h"
#include "core/next_token.h"
#include "core/sampler.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace tinyseek::gui {

class ExploreSession {
    Q_DECLARE_TR_FUNCTIONS(ExploreSession)

  public:
    ExploreSession();
    ~ExploreSession();

    // Loads the checkpoint in `dir`; false with *error set (the session keeps its model).
    bool open(const QString& dir, QString* error);
    bool hasModel() const { return m_checkpoint != nullptr; }
    QString modelDir() const { return m_dir; }
    const ModelConfig& config() const;
    const Tokenizer& tokenizer() const;

    // Replaces the text (special tags become their tokens); false with *error set when a
    // character is not in the vocabulary or the text is empty or too long.
    bool setText(const QString& text, QString* error);
    // Appends one token and inspects again; false with *error set when the context is full.
    bool append(int token, QString* error);
    // A draw from the sampler's distribution after the text (one stream per session).
    int sample(const SamplingParams& sampling);
    bool canUndo() const { return !m_undo.empty(); }
    void undo();

    const std::vector<int>& tokens() const { return m_tokens; }
    QStringList tokenTexts() const;
    QString text() const;  // the tokens decoded, tags included
    const std::optional<ForwardInspection>& inspection() const { return m_inspection; }
    double lastInspectMs() const { return m_inspectMs; }

    // Prompt `index` of the evaluator's held-out set of the checkpoint's task ("<bos>" and
    // the problem), as text; empty with *error set when the task cannot be built.
    QString heldOutPrompt(int index, QString* error) const;

  private:
    bool inspect(QString* error);

    std::shared_ptr<const Checkpoint> m_checkpoint;
    std::unique_ptr<ForwardInspector> m_inspector;
    QString m_dir;
    std::vector<int> m_tokens;
    std::vector<std::vector<int>> m_undo;
    std::optional<ForwardInspection> m_inspection;
    double m_inspectMs = 0;
    SequenceRng m_rng;
};

}  // namespace tinyseek::gui
