// Core headers first (Eigen before Qt).
#include "gui/models/explore_session.h"

#include "gui/pages/explore_page.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QVBoxLayout>

#include <utility>

#include "gui/database_file.h"
#include "gui/live/run_reader.h"
#include "gui/pages/forward_internals_view.h"
#include "gui/pages/model_view_panel.h"
#include "gui/pages/next_token_panel.h"
#include "gui/pages/page_registry.h"
#include "training/run_store.h"
#include "training/step_report.h"

namespace tinyseek::gui {

ExplorePage::ExplorePage(QWidget* parent)
    : Page(QString::fromLatin1(kId), parent), m_session(std::make_unique<ExploreSession>()) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("Open a run that has a checkpoint, or a checkpoint folder, to look "
           "inside one forward pass of the model."));
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildModelLine());
    layout->addWidget(buildPromptLine());
    auto* splitter = new QSplitter(Qt::Horizontal, content);
    m_next = new NextTokenPanel(splitter);
    m_internals = new ForwardInternalsView(splitter);
    m_modelView = new ModelViewPanel(m_internals);
    m_internals->addTab(m_modelView, tr("Model"));
    splitter->addWidget(m_next);
    splitter->addWidget(m_internals);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    contentLayout()->addWidget(content, 1);
    connect(m_next, &NextTokenPanel::appendRequested, this, &ExplorePage::appendToken);
    connect(m_next, &NextTokenPanel::sampleRequested, this, &ExplorePage::sampleToken);
    connect(m_next, &NextTokenPanel::undoRequested, this, &ExplorePage::undo);
    clearRun();
}

ExplorePage::~ExplorePage() = default;

QWidget* ExplorePage::buildModelLine() {
    auto* line = new QWidget(this);
    auto* row = new QHBoxLayout(line);
    row->setContentsMargins(0, 0, 0, 0);
    m_modelLabel = new QLabel(line);
    m_modelLabel->setObjectName(QStringLiteral("exploreModel"));
    m_modelLabel->setWordWrap(true);
    m_checkpointCombo = new QComboBox(line);
    m_checkpointCombo->setObjectName(QStringLiteral("exploreCheckpointCombo"));
    m_checkpointCombo->setToolTip(tr("Checkpoints of the current run, by training step"));
    m_openButton = new QPushButton(tr("Open Checkpoint…"), line);
    row->addWidget(m_modelLabel, 1);
    row->addWidget(m_checkpointCombo);
    row->addWidget(m_openButton);
    connect(m_checkpointCombo, &QComboBox::activated, this, [this](int index) {
        m_followNewest = index == m_checkpointCombo->count() - 1;
        openListed(index);
    });
    connect(m_openButton, &QPushButton::clicked, this, &ExplorePage::chooseCheckpoint);
    return line;
}

QWidget* ExplorePage::buildPromptLine() {
    auto* line = new QWidget(this);
    auto* row = new QHBoxLayout(line);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Text:"), line));
    m_prompt = new QLineEdit(line);
    m_prompt->setObjectName(QStringLiteral("explorePrompt"));
    m_prompt->setPlaceholderText(tr("e.g. <bos>57+68=<think> (tags become single tokens)"));
    m_inspectButton = new QPushButton(tr("Inspect"), line);
    m_inspectButton->setObjectName(QStringLiteral("inspectButton"));
    m_problemButton = new QPushButton(tr("Held-Out Problem"), line);
    m_problemButton->setObjectName(QStringLiteral("heldOutProblemButton"));
    m_problemButton->setToolTip(
        tr("The next problem of the evaluator's held-out set of the "
           "model's task (never trained on)"));
    m_status = new QLabel(line);
    m_status->setObjectName(QStringLiteral("exploreStatus"));
    row->addWidget(m_prompt, 1);
    row->addWidget(m_inspectButton);
    row->addWidget(m_problemButton);
    row->addWidget(m_status);
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] { inspectText(m_prompt->text()); });
    connect(m_inspectButton, &QPushButton::clicked, this,
            [this] { inspectText(m_prompt->text()); });
    connect(m_problemButton, &QPushButton::clicked, this,
            [this] { useHeldOutProblem(m_nextProblem); });
    return line;
}

void ExplorePage::setRun(const QString& dbPath, qint64 runId) {
    if (dbPath != m_dbPath || runId != m_runId) {  // another run: forget the last one's list
        m_followNewest = true;
        m_checkpoints.clear();
        m_pendingOpen = -1;
    }
    m_dbPath = dbPath;
    m_runId = runId;
    refreshCheckpoints();
}

void ExplorePage::clearRun() {
    m_dbPath.clear();
    m_runId = 0;
    m_listTicket = 0;
    m_checkpoints.clear();
    m_checkpointCombo->clear();
    m_checkpointCombo->setVisible(false);
    if (!m_session->hasModel()) {
        m_modelLabel->setText(
            tr("No model: open a run that has a checkpoint, or a checkpoint "
               "folder."));
        m_next->clear(tr("No model yet: open a run with a checkpoint, or Open Checkpoint…"));
        m_internals->clear(tr("No model yet."));
    }
}

void ExplorePage::appendSteps(const QList<StepReport>& steps) {
    constexpr qint64 kListEveryMs = 5000;
    bool ours = false;
    for (const StepReport& r : steps) ours = ours || r.run_id == m_runId;
    if (ours && m_listTicket == 0 && m_sinceListed.isValid() &&
        m_sinceListed.elapsed() >= kListEveryMs)
        refreshCheckpoints();
}

void ExplorePage::refreshCheckpoints() {
    if (!reader() || m_dbPath.isEmpty() || m_runId <= 0) return;
    m_sinceListed.start();
    const QString dbPath = m_dbPath;
    const qint64 runId = m_runId;
    m_listTicket = reader()->read<std::vector<Checkpoint>>(
        dbPath, this,
        [dbPath, runId](const RunStore& store) {
            std::vector<Checkpoint> out;
            for (const CheckpointInfo& ck : store.checkpoints(runId))
                out.push_back({ck.step, DatabaseFile::checkpointDir(dbPath, ck.path)});
            return out;
        },
        [this](const ReadResult<std::vector<Checkpoint>>& read) {
            if (read.ticket != m_listTicket) return;  // another run since
            m_listTicket = 0;
            listCheckpoints(read.value, read.error);
        });
}

void ExplorePage::listCheckpoints(const std::vector<Checkpoint>& checkpoints,
                                  const QString& error) {
    if (!error.isEmpty())
        return showError(tr("The run's checkpoints could not be read: %1").arg(error));
    const bool grew = checkpoints.size() != m_checkpoints.size();
    m_checkpoints = checkpoints;
    {
        const QSignalBlocker block(m_checkpointCombo);
        const int kept = m_checkpointCombo->currentIndex();
        m_checkpointCombo->clear();
        for (const Checkpoint& ck : m_checkpoints)
            m_checkpointCombo->addItem(tr("step %1").arg(ck.step));
        m_checkpointCombo->setCurrentIndex(m_followNewest ? m_checkpointCombo->count() - 1 : kept);
    }
    m_checkpointCombo->setVisible(!m_checkpoints.empty());
    if (m_checkpoints.empty()) {
        if (!m_session->hasModel())
            m_modelLabel->setText(
                tr("The run has no checkpoint yet (one is written every 200 "
                   "steps and at the end of each stage)."));
        return;
    }
    if (m_followNewest && (grew || m_session->modelDir() != m_checkpoints.back().dir))
        openListed(static_cast<int>(m_checkpoints.size()) - 1);
}

void ExplorePage::showEvent(QShowEvent* event) {
    Page::showEvent(event);
    if (m_pendingOpen >= 0) openListed(std::exchange(m_pendingOpen, -1));
}

void ExplorePage::openListed(int index) {
    if (index < 0 || index >= static_cast<int>(m_checkpoints.size())) return;
    if (!isVisible() && !m_loadWhileHidden) {
        m_pendingOpen = index;
        return;
    }
    if (openCheckpoint(m_checkpoints[index].dir))
        m_modelLabel->setText(tr("Model: checkpoint of step %1 of run %2 (%3)")
                                  .arg(m_checkpoints[index].step)
                                  .arg(m_runId)
                                  .arg(QDir::toNativeSeparators(m_checkpoints[index].dir)));
}

bool ExplorePage::openCheckpoint(const QString& dir) {
    QString error;
    const bool hadText = !m_session->tokens().empty();
    if (!m_session->open(dir, &error)) {
        showError(tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(dir), error));
        return false;
    }
    setEmptyStateVisible(false);
    m_modelLabel->setText(tr("Model: %1").arg(QDir::toNativeSeparators(dir)));
    m_modelView->setCheckpointConfig(m_session->config());
    if (!m_session->inspection()) {  // nothing shown is of this model until a text is inspected
        m_next->clear(tr("Type a text above, or pick a held-out problem."));
        m_internals->clear(tr("Nothing inspected yet."));
    }
    if (!hadText || m_session->tokens().empty()) {
        if (m_startText.isEmpty()) return useHeldOutProblem(0);
        return inspectText(std::exchange(m_startText, QString()));
    }
    showSession(tr("Same text, new model"));
    return true;
}

void ExplorePage::chooseCheckpoint() {
    const QString start = m_session->hasModel() ? m_session->modelDir() : QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Checkpoint"), start);
    if (!dir.isEmpty() && openCheckpoint(dir)) m_followNewest = false;
}

void ExplorePage::setStartText(const QString& text) {
    if (m_session->hasModel())
        inspectText(text);
    else
        m_startText = text;
}

bool ExplorePage::inspectText(const QString& text) {
    QString error;
    if (!m_session->setText(text, &error)) {
        showError(error);
        return false;
    }
    showSession(QString());
    return true;
}

bool ExplorePage::appendToken(int token) {
    QString error;
    if (!m_session->append(token, &error)) {
        showError(error);
        return false;
    }
    showSession(QString());
    return true;
}

void ExplorePage::sampleToken() {
    const int token = m_session->sample(m_next->sampling());
    if (token >= 0) appendToken(token);
}

void ExplorePage::undo() {
    m_session->undo();
    showSession(QString());
}

bool ExplorePage::useHeldOutProblem(int index) {
    if (!m_session->hasModel()) return false;
    QString error;
    const QString text = m_session->heldOutPrompt(index, &error);
    if (text.isEmpty()) {
        showError(error);
        return false;
    }
    if (!inspectText(text)) return false;
    m_nextProblem = index + 1;
    m_status->setText(tr("Held-out problem %1 · %2").arg(index + 1).arg(m_status->text()));
    return true;
}

void ExplorePage::showSession(const QString& status) {
    const auto& inspection = m_session->inspection();
    if (!inspection) return;
    m_prompt->setText(m_session->text());
    m_next->showInspection(*inspection, m_session->tokenizer());
    m_next->setUndoEnabled(m_session->canUndo());
    m_internals->showInspection(*inspection, m_session->tokenizer(), m_session->config());
    const QString timing = tr("%n token(s), forward and internals in %1 ms", nullptr,
                              static_cast<int>(m_session->tokens().size()))
                               .arg(m_session->lastInspectMs(), 0, 'f', 1);
    m_status->setStyleSheet(QString());
    m_status->setText(status.isEmpty() ? timing : status + QStringLiteral(" · ") + timing);
    emit inspected();
}

void ExplorePage::showError(const QString& text) {
    m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_status->setText(text);
}

void ExplorePage::showSection(const QString& section) {
    if (section == QLatin1String(kSections[0]))
        m_internals->setCurrentIndex(ForwardInternalsView::attentionTab);
    if (section == QLatin1String(kSections[1]))
        m_internals->setCurrentIndex(ForwardInternalsView::lensTab);
    if (section == QLatin1String(kSections[2])) m_internals->setCurrentWidget(m_modelView);
}

QString ExplorePage::statusText() const {
    return m_status->text();
}

QList<viz::Exportable*> ExplorePage::exportables() const {
    return m_next->exportables() + m_internals->exportables() + m_modelView->exportables();
}

}  // namespace tinyseek::gui
