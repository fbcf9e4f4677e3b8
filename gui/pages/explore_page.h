// Explore page: the inside of one forward pass. Type a text (special tags allowed) or take a
// held-out problem of the model's task, and see what the model predicts next and why: the
// next-token panel (gui/pages/next_token_panel.h) with temperature, top-k and top-p, stepping
// through a generation token by token with Undo; and the per-token internals
// (gui/pages/forward_internals_view.h): routing, attention with MLA's RoPE share, logit lens.
// The model is a checkpoint of the current run (the newest by default, following a live run
// as it writes new ones) or any checkpoint folder. Every interaction runs one inspection on
// the GUI thread: a few milliseconds for the tiny preset (ExploreSession).
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

#include "gui/pages/page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tinyseek {
struct StepReport;
}  // namespace tinyseek

namespace tinyseek::viz {
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class ExploreSession;
class ForwardInternalsView;
class ModelViewPanel;
class NextTokenPanel;

class ExplorePage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "explore";
    // --page names of the internals' tabs (the page opens on Routing).
    static constexpr const char* kSections[3] = {"attention", "logit-lens", "model-view"};

    explicit ExplorePage(QWidget* parent = nullptr);
    ~ExplorePage() override;

    // The run's checkpoints (read on the reader thread); the newest is opened unless the user
    // chose another of this run. An empty `dbPath` clears.
    void setRun(const QString& dbPath, qint64 runId);
    void clearRun();
    // Reads the run's checkpoint list again (a live run wrote a new one).
    void refreshCheckpoints();
    // Live steps of the shown run: its checkpoint list is read again at most every few
    // seconds, so a live run's new checkpoints appear (and the newest is followed).
    void appendSteps(const QList<tinyseek::StepReport>& steps);
    // A checkpoint folder from disk; false (and the page says why) when it is not one.
    bool openCheckpoint(const QString& dir);

    // The text inspected when a model opens on a page with no text yet (--text); at once
    // when one is open.
    void setStartText(const QString& text);
    // The text to inspect; false (and the page says why) when it cannot be encoded.
    bool inspectText(const QString& text);
    bool appendToken(int token);
    void sampleToken();
    void undo();
    // Held-out problem `index` of the model's task as the text.
    bool useHeldOutProblem(int index);

    bool isBusy() const override { return m_listTicket != 0; }
    // Open listed checkpoints even while the page is hidden (tests; the window's screenshot
    // shows the page first). Default: only once the page is visible.
    void setLoadWhileHidden(bool on) { m_loadWhileHidden = on; }
    void showSection(const QString& section) override;
    const ExploreSession& session() const { return *m_session; }
    NextTokenPanel* nextTokenPanel() const { return m_next; }
    ForwardInternalsView* internals() const { return m_internals; }
    ModelViewPanel* modelView() const { return m_modelView; }
    QString statusText() const;
    QList<viz::Exportable*> exportables() const;

  signals:
    // After every inspection (and when the model changes).
    void inspected();

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    struct Checkpoint {
        qint64 step = 0;
        QString dir;
    };
    QWidget* buildModelLine();
    QWidget* buildPromptLine();
    void listCheckpoints(const std::vector<Checkpoint>& checkpoints, const QString& error);
    void openListed(int index);
    void chooseCheckpoint();
    void showSession(const QString& status);
    void showError(const QString& text);

    std::unique_ptr<ExploreSession> m_session;
    QString m_dbPath;
    qint64 m_runId = 0;
    quint64 m_listTicket = 0;
    QElapsedTimer m_sinceListed;  // since the checkpoint list was last requested
    bool m_followNewest = true;
    // A listed checkpoint to open once the page is shown (-1: none): a hidden page loads no
    // model, so following a live run costs the window nothing until someone looks.
    int m_pendingOpen = -1;
    bool m_loadWhileHidden = false;
    int m_nextProblem = 0;
    QString m_startText;
    std::vector<Checkpoint> m_checkpoints;

    QLabel* m_modelLabel = nullptr;
    QComboBox* m_checkpointCombo = nullptr;
    QPushButton* m_openButton = nullptr;
    QLineEdit* m_prompt = nullptr;
    QPushButton* m_inspectButton = nullptr;
    QPushButton* m_problemButton = nullptr;
    QLabel* m_status = nullptr;
    NextTokenPanel* m_next = nullptr;
    ForwardInternalsView* m_internals = nullptr;
    ModelViewPanel* m_modelView = nullptr;
};

}  // namespace tinyseek::gui
