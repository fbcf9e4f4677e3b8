// TokenRoutingView: the Routing page's token view. Lists the rollouts stored at a step, runs
// the chosen one through the run's nearest checkpoint (TokenRouter) and shows its tokens
// coloured by their top-1 expert in one layer, with every chosen expert's gate weight on hover.
#pragma once

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

class TokenRoutingView : public QWidget {
    Q_OBJECT

  public:
    explicit TokenRoutingView(QWidget* parent = nullptr);

    // The run whose rollouts are shown (`store` is not owned and must outlive the view, or be
    // replaced first; nullptr clears). `databaseDir` resolves relative checkpoint paths.
    void setSource(const RunStore* store, std::int64_t runId, const QString& databaseDir);
    // Lists the rollouts of the last step <= `step` that has any, and traces the first.
    void setStep(std::int64_t step);
    // Model layer whose top-1 expert colours the tokens.
    void setLayer(int layer);
    void setRollout(int index);

    viz::TokenStrip* strip() const { return m_strip; }
    QComboBox* rolloutCombo() const { return m_rolloutCombo; }
    bool isTracing() const { return m_router->isBusy(); }
    const TokenRouting& routing() const { return m_routing; }
    std::int64_t rolloutStep() const { return m_rolloutStep; }

  signals:
    // The strip shows a new trace (or the reason there is none).
    void routingShown();

  private:
    void requestTrace();
    void showRouting();
    void showMessage(const QString& text, bool isError);
    // The checkpoint nearest to `step` (at or before it if any, else the first after).
    std::optional<CheckpointInfo> checkpointFor(std::int64_t step) const;

    const RunStore* m_store = nullptr;
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
