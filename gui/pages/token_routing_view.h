// TokenRoutingView: the Routing page's token view. Lists the rollouts stored at a step, runs
// the chosen one through the run's nearest checkpoint (TokenRouter) and shows its tokens
// coloured by their top-1 expert in one layer, with every chosen expert's gate weight on hover.
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

#include "gui/models/token_routing.h"
#include "training/run_store.h"

class QComboBox;
class QLabel;

namespace tinyseek::viz {
class TokenStrip;
}

namespace tinyseek::gui {

class RunReader;

class TokenRoutingView : public QWidget {
    Q_OBJECT

  public:
    explicit TokenRoutingView(QWidget* parent = nullptr);

    // Where the rollouts and checkpoints are read (not owned).
    void setReader(RunReader* reader);
    // The run whose rollouts are shown; an empty `dbPath` clears. Relative checkpoint paths
    // are resolved against the database's folder.
    void setSource(const QString& dbPath, std::int64_t runId);
    // Lists the rollouts of the last step <= `step` that has any (read on the reader thread),
    // and traces the first.
    void setStep(std::int64_t step);
    // Model layer whose top-1 expert colours the tokens.
    void setLayer(int layer);
    void setRollout(int index);

    viz::TokenStrip* strip() const { return m_strip; }
    QComboBox* rolloutCombo() const { return m_rolloutCombo; }
    bool isTracing() const { return m_router->isBusy(); }
    bool isListing() const { return m_listTicket != 0; }  // reading the rollouts of a step
    const TokenRouting& routing() const { return m_routing; }
    std::int64_t rolloutStep() const { return m_rolloutStep; }

  signals:
    // The strip shows a new trace (or the reason there is none).
    void routingShown();

  private:
    // What setStep() reads: the rollouts of one step and the checkpoint to trace them with.
    struct StepRollouts {
        std::int64_t step = -1;  // -1: no rollouts stored up to the step asked for
        std::vector<StoredRollout> rollouts;
        std::optional<CheckpointInfo> checkpoint;
    };
    static StepRollouts readStepRollouts(const RunStore& store, std::int64_t runId,
                                         std::int64_t step);

    void showStepRollouts(std::int64_t step, StepRollouts read);
    void requestTrace();
    void showRouting();
    void showMessage(const QString& text, bool isError);

    QPointer<RunReader> m_reader;
    quint64 m_listTicket = 0;  // the rollouts being read; 0 = none
    QString m_dbPath;
    std::int64_t m_runId = 0;
    QString m_databaseDir;
    int m_layer = -1;
    std::int64_t m_rolloutStep = -1;
    std::vector<StoredRollout> m_rollouts;
    std::optional<CheckpointInfo> m_checkpoint;
    TokenRouting m_routing;
    int m_pendingRequest = 0;

    TokenRouter* m_router = nullptr;
    QComboBox* m_rolloutCombo = nullptr;
    QLabel* m_info = nullptr;
    viz::TokenStrip* m_strip = nullptr;
};

}  // namespace tinyseek::gui
