#include "gui/pages/token_routing_view.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

#include "gui/live/run_reader.h"
#include "viz/token_strip.h"

namespace tinyseek::gui {

namespace {

// One line of a rollout for the combo box: reward, then the text with newlines made visible.
QString rolloutLabel(int index, const StoredRollout& r) {
    QString text = QString::fromStdString(r.sample.prompt + r.sample.completion);
    text.replace(QLatin1Char('\n'), QChar(0x21B5));
    if (text.size() > 70) text = text.left(69) + QChar(0x2026);
    return TokenRoutingView::tr("#%1  reward %2  %3")
        .arg(index + 1)
        .arg(r.sample.reward.total, 0, 'f', 2)
        .arg(text);
}

// The checkpoint nearest to `step` (at or before it if any, else the first after).
std::optional<CheckpointInfo> nearestCheckpoint(const std::vector<CheckpointInfo>& all,
                                                std::int64_t step) {
    if (all.empty()) return std::nullopt;
    std::optional<CheckpointInfo> best;
    for (const CheckpointInfo& c : all)
        if (c.step <= step) best = c;  // ordered by step: the last one <= step
    return best ? best : std::optional<CheckpointInfo>(all.front());
}

}  // namespace

TokenRoutingView::TokenRoutingView(QWidget* parent) : QWidget(parent) {
    m_router = new TokenRouter(this);
    connect(m_router, &TokenRouter::finished, this, [this](int id, const TokenRouting& result) {
        if (id != m_pendingRequest) return;
        m_routing = result;
        showRouting();
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    auto* label = new QLabel(tr("Rollout:"), this);
    m_rolloutCombo = new QComboBox(this);
    m_rolloutCombo->setObjectName(QStringLiteral("rolloutCombo"));
    m_rolloutCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_rolloutCombo->setMinimumContentsLength(40);
    m_rolloutCombo->setToolTip(tr("A rollout stored at the chosen step"));
    label->setBuddy(m_rolloutCombo);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("tokenInfo"));
    // One line, clipped when narrow (full text in the tooltip): a word-wrapping label would
    // make the page's grid height-for-width and push the figures out of view.
    m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_info->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(label);
    row->addWidget(m_rolloutCombo, 1);
    row->addWidget(m_info, 2);
    layout->addLayout(row);

    // The strip wraps its tokens (height for width); its own scroll area keeps that from
    // stretching the page's grid, and scrolls a long rollout.
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_strip = new viz::TokenStrip(scroll);
    m_strip->setObjectName(QStringLiteral("tokenStrip"));
    m_strip->setCategoryPattern(tr("Expert %1"));
    m_strip->setEmptyText(tr("No rollout to show yet."));
    scroll->setWidget(m_strip);
    layout->addWidget(scroll, 1);

    connect(m_rolloutCombo, &QComboBox::activated, this, &TokenRoutingView::setRollout);
}

void TokenRoutingView::setReader(RunReader* reader) {
    m_reader = reader;
}

void TokenRoutingView::setSource(const QString& dbPath, std::int64_t runId) {
    m_dbPath = dbPath;
    m_runId = runId;
    m_databaseDir = dbPath.isEmpty() ? QString() : QFileInfo(dbPath).absolutePath();
    m_listTicket = 0;
    m_rollouts.clear();
    m_rolloutStep = -1;
    m_routing = TokenRouting();
    m_pendingRequest = 0;
    m_rolloutCombo->clear();
    m_info->clear();
    m_strip->setTokens({}, {});
    m_strip->setTitle(QString());
    m_strip->clearError();
}

void TokenRoutingView::setLayer(int layer) {
    m_layer = layer;
    if (!m_routing.tokens.isEmpty()) showRouting();
}

void TokenRoutingView::setStep(std::int64_t step) {
    if (m_dbPath.isEmpty() || !m_reader) return;
    const std::int64_t runId = m_runId;
    m_listTicket = m_reader->read<StepRollouts>(
        m_dbPath, this,
        [runId, step](const RunStore& store) { return readStepRollouts(store, runId, step); },
        [this, step](ReadResult<StepRollouts> read) {
            if (read.ticket != m_listTicket) return;  // another step was asked for since
            m_listTicket = 0;
            m_rollouts.clear();
            m_rolloutCombo->clear();
            if (!read.ok())
                showMessage(read.error, true);
            else
                showStepRollouts(step, std::move(read.value));
        });
}

TokenRoutingView::StepRollouts TokenRoutingView::readStepRollouts(const RunStore& store,
                                                                  std::int64_t runId,
                                                                  std::int64_t step) {
    StepRollouts out;
    RolloutQuery q;
    q.max_step = step;
    const std::int64_t n = store.count_rollouts(runId, q);
    if (n == 0) return out;
    q.offset = n - 1;
    q.limit = 1;
    const std::int64_t last = store.rollouts(runId, q).front().step;
    RolloutQuery atStep;
    atStep.min_step = last;
    atStep.max_step = last;
    atStep.limit = 100;
    out.rollouts = store.rollouts(runId, atStep);
    out.step = last;
    out.checkpoint = nearestCheckpoint(store.checkpoints(runId), last);
    return out;
}

void TokenRoutingView::showStepRollouts(std::int64_t step, StepRollouts read) {
    if (read.step < 0) {
        m_rolloutStep = -1;
        showMessage(tr("No rollouts are stored up to step %1.").arg(step), false);
        return;
    }
    m_rollouts = std::move(read.rollouts);
    m_rolloutStep = read.step;
    m_checkpoint = read.checkpoint;
    for (int i = 0; i < static_cast<int>(m_rollouts.size()); ++i)
        m_rolloutCombo->addItem(rolloutLabel(i, m_rollouts[static_cast<std::size_t>(i)]));
    setRollout(0);
}

void TokenRoutingView::setRollout(int index) {
    if (index < 0 || index >= static_cast<int>(m_rollouts.size())) return;
    if (m_rolloutCombo->currentIndex() != index) m_rolloutCombo->setCurrentIndex(index);
    if (!m_checkpoint) {
        showMessage(tr("This run has no checkpoint yet, so the routing of its tokens cannot be "
                       "recomputed (checkpoints are written at the end of each stage)."),
                    false);
        return;
    }
    requestTrace();
}

void TokenRoutingView::requestTrace() {
    const StoredRollout& r =
        m_rollouts[static_cast<std::size_t>(std::max(0, m_rolloutCombo->currentIndex()))];
    QString dir = QString::fromStdString(m_checkpoint->path);
    if (QFileInfo(dir).isRelative()) dir = QDir(m_databaseDir).absoluteFilePath(dir);
    m_info->setText(
        tr("Recomputing the routing with the checkpoint of step %1…").arg(m_checkpoint->step));
    m_pendingRequest = m_router->request(dir, QString::fromStdString(r.sample.prompt),
                                         QString::fromStdString(r.sample.completion));
}

void TokenRoutingView::showMessage(const QString& text, bool isError) {
    m_routing = TokenRouting();
    m_strip->setTokens({}, {});
    if (isError)
        m_strip->setErrorText(text);
    else {
        m_strip->clearError();
        m_strip->setEmptyText(text);
    }
    m_info->clear();
    emit routingShown();
}

void TokenRoutingView::showRouting() {
    const TokenRouting& r = m_routing;
    if (!r.error.isEmpty()) {
        showMessage(tr("Cannot recompute the routing: %1").arg(r.error), true);
        return;
    }
    m_strip->clearError();
    const auto found = std::find(r.layers.begin(), r.layers.end(), m_layer);
    const int m = found == r.layers.end() ? 0 : static_cast<int>(found - r.layers.begin());
    if (r.layers.empty() || r.topK <= 0) {
        showMessage(tr("This model has no MoE layers, so its tokens are not routed."), false);
        return;
    }
    const int layer = r.layers[static_cast<std::size_t>(m)];
    std::vector<int> categories;
    QStringList tips;
    for (int t = 0; t < r.tokenCount(); ++t) {
        categories.push_back(r.topExpert(t, m));
        QString tip = tr("“%1” at position %2, layer %3")
                          .arg(viz::TokenStrip::visibleText(r.tokens[t]))
                          .arg(t)
                          .arg(layer);
        for (int k = 0; k < r.topK; ++k)
            tip += QLatin1Char('\n') + tr("expert %1: gate weight %2")
                                           .arg(r.expert(t, m, k))
                                           .arg(r.weight(t, m, k), 0, 'f', 3);
        tips << tip;
    }
    m_strip->setTitle(tr("Top-1 expert of each token in layer %1 (rollout of step %2)")
                          .arg(layer)
                          .arg(m_rolloutStep));
    m_strip->setLegendTitle(tr("Top-1 expert (largest gate weight), layer %1").arg(layer));
    m_strip->setTokens(r.tokens, categories, tips);
    QString info = tr("Routing recomputed by feeding the stored text through the checkpoint of "
                      "step %1; hover a token for its gate weights.")
                       .arg(m_checkpoint ? m_checkpoint->step : 0);
    if (found == r.layers.end() && m_layer >= 0)
        info += QLatin1Char(' ') + tr("(The chosen layer is not traced during generation; "
                                      "showing layer %1.)")
                                       .arg(layer);
    m_info->setText(info);
    m_info->setToolTip(info);
    emit routingShown();
}

}  // namespace tinyseek::gui
