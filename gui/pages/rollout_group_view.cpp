#include "gui/pages/rollout_group_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/live/run_reader.h"
#include "gui/models/value_text.h"
#include "viz/color_map.h"
#include "viz/token_strip.h"

namespace tinyseek::gui {

namespace {

// A group holds at most group_size completions; an evaluation sample is one.
constexpr std::int64_t kMaxMembers = 4096;

QTableWidgetItem* numberItem(double value, int decimals) {
    auto* item = new QTableWidgetItem(valueText(value, 'f', decimals));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

RolloutGroupView::RolloutGroupView(QWidget* parent) : QWidget(parent) {
    buildLayout();
    clear(tr("Select a rollout or a prompt above to see its whole group here."));
}

void RolloutGroupView::buildLayout() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("groupHeader"));
    m_header->setWordWrap(true);
    layout->addWidget(m_header);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("groupTable"));
    m_table->setHorizontalHeaderLabels({tr("Member"), tr("Reward"), tr("Accuracy"), tr("Advantage"),
                                        tr("Length"), tr("Mean log p"), tr("Mean entropy"),
                                        tr("Completion")});
    m_table->horizontalHeaderItem(MeanLogprob)
        ->setToolTip(tr("Mean log-probability of the completion's tokens at the sampling "
                        "temperature, under the policy that sampled it"));
    m_table->horizontalHeaderItem(MeanEntropy)
        ->setToolTip(tr("Mean entropy (nats) of the distributions the tokens were drawn from"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(Completion, QHeaderView::Stretch);
    for (int c = Member; c < Completion; ++c) m_table->horizontalHeader()->resizeSection(c, 90);
    for (int c : {MeanLogprob, MeanEntropy}) m_table->horizontalHeader()->resizeSection(c, 110);
    layout->addWidget(m_table, 2);

    auto* colorRow = new QHBoxLayout;
    auto* colorLabel = new QLabel(tr("Colour tokens by"), this);
    m_colorBy = new QComboBox(this);
    m_colorBy->setObjectName(QStringLiteral("colorTokensBy"));
    m_colorBy->addItem(tr("Probability"), int(TokenQuantity::probability));
    m_colorBy->addItem(tr("Entropy"), int(TokenQuantity::entropy));
    m_colorBy->addItem(tr("Advantage push"), int(TokenQuantity::push));
    m_colorBy->setToolTip(
        tr("Advantage push: the advantage × (1 − p), how much the GRPO update raises (blue "
           "to red: lowers to raises) this token's logit"));
    colorLabel->setBuddy(m_colorBy);
    colorRow->addWidget(colorLabel);
    colorRow->addWidget(m_colorBy);
    colorRow->addStretch(1);
    layout->addLayout(colorRow);

    m_strip = new viz::TokenStrip(this);
    m_strip->setObjectName(QStringLiteral("completionTokens"));
    m_strip->setLegendListsAllNamed(true);
    layout->addWidget(m_strip, 1);

    connect(m_colorBy, &QComboBox::currentIndexChanged, this,
            [this] { setQuantity(static_cast<TokenQuantity>(m_colorBy->currentData().toInt())); });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this] { showTokens(); });
}

void RolloutGroupView::setReader(RunReader* reader) {
    m_reader = reader;
}

void RolloutGroupView::clear(const QString& why) {
    m_ticket = 0;
    m_members.clear();
    m_table->setRowCount(0);
    m_header->setText(why);
    m_strip->setTokens({}, {});
    m_strip->setEmptyText(tr("No completion selected."));
}

void RolloutGroupView::showGroup(const QString& dbPath, std::int64_t runId, RolloutSource source,
                                 std::int64_t step, int group, int member) {
    if (!m_reader) return;
    m_wantedMember = member;
    RolloutQuery q;
    q.source = source;
    q.min_step = q.max_step = step;
    q.group = group;
    q.with_tokens = true;
    q.limit = kMaxMembers;
    m_ticket = m_reader->read<std::vector<StoredRollout>>(
        dbPath, this, [runId, q](const RunStore& store) { return store.rollouts(runId, q); },
        [this, source, step, group](ReadResult<std::vector<StoredRollout>> read) {
            if (read.ticket != m_ticket) return;
            m_ticket = 0;
            if (!read.ok()) {
                clear(tr("Cannot read the group: %1").arg(read.error));
                return;
            }
            m_members = std::move(read.value);
            m_source = source;
            m_step = step;
            m_group = group;
            showMembers();
        });
}

QString RolloutGroupView::headerText() const {
    return m_header->text();
}

void RolloutGroupView::showMembers() {
    if (m_members.empty()) {
        clear(tr("This group has no stored completions."));
        return;
    }
    int correct = 0;
    double maxAbs = 0;
    for (const StoredRollout& r : m_members) {
        correct += r.sample.reward.accuracy > 0.5;
        if (std::isfinite(r.sample.advantage))
            maxAbs = std::max(maxAbs, std::abs(r.sample.advantage));
    }
    const QString prompt = QString::fromStdString(m_members.front().sample.prompt);
    const int n = static_cast<int>(m_members.size());
    m_header->setText(
        m_source == RolloutSource::train
            ? tr("Step %1, group %2: “%3” — %4 completions, %5 right")
                  .arg(m_step)
                  .arg(m_group)
                  .arg(prompt)
                  .arg(n)
                  .arg(correct)
            : tr("Evaluation at step %1, held-out problem %2: “%3” — greedy completion, %4")
                  .arg(m_step)
                  .arg(m_group)
                  .arg(prompt)
                  .arg(correct ? tr("right") : tr("wrong")));
    m_table->setRowCount(n);
    // Advantages on one diverging scale per group: blue below the group mean, red above.
    const double range = std::max(maxAbs, 1e-9);
    const viz::ColorMap advantageColors = viz::ColorMap::diverging(-range, 0.0, range);
    for (int row = 0; row < n; ++row) fillRow(row, m_members[row], advantageColors);
    int select = 0;
    for (int row = 0; row < n; ++row)
        if (m_members[row].sample.member == m_wantedMember) select = row;
    selectMember(select);
    showTokens();
}

void RolloutGroupView::fillRow(int row, const StoredRollout& r,
                               const viz::ColorMap& advantageColors) {
    const RolloutSample& s = r.sample;
    m_table->setItem(row, Member, numberItem(s.member, 0));
    m_table->setItem(row, Reward, numberItem(s.reward.total, 3));
    auto* accuracy = numberItem(s.reward.accuracy, 0);
    if (s.reward.accuracy > 0.5) accuracy->setBackground(QColor(0x59, 0xA1, 0x4F, 60));
    m_table->setItem(row, Accuracy, accuracy);
    auto* advantage = numberItem(s.advantage, 3);
    if (std::isfinite(s.advantage) && m_source == RolloutSource::train) {
        const QColor c = advantageColors.color(s.advantage);
        advantage->setBackground(c);
        advantage->setForeground(viz::contrastingTextColor(c));
    }
    m_table->setItem(row, Advantage, advantage);
    m_table->setItem(row, Length, numberItem(s.length, 0));
    m_table->setItem(row, MeanLogprob, numberItem(s.mean_logprob, 3));
    m_table->setItem(row, MeanEntropy, numberItem(s.mean_entropy, 3));
    QString text = QString::fromStdString(s.completion);
    text.replace(QLatin1Char('\n'), QChar(0x21B5));
    auto* completion = new QTableWidgetItem(text);
    completion->setToolTip(QString::fromStdString(s.completion));
    m_table->setItem(row, Completion, completion);
}

void RolloutGroupView::selectMember(int row) {
    if (row < 0 || row >= m_table->rowCount()) return;
    m_table->setCurrentCell(row, Member);
}

void RolloutGroupView::setQuantity(TokenQuantity quantity) {
    m_quantity = quantity;
    const int index = m_colorBy->findData(int(quantity));
    if (index >= 0 && index != m_colorBy->currentIndex()) m_colorBy->setCurrentIndex(index);
    showTokens();
}

void RolloutGroupView::showTokens() {
    const int row = m_table->currentRow();
    if (row < 0 || row >= static_cast<int>(m_members.size())) {
        m_strip->setTokens({}, {});
        return;
    }
    const RolloutSample& s = m_members[static_cast<std::size_t>(row)].sample;
    if (s.tokens.empty()) {
        m_strip->setTokens({}, {});
        m_strip->setEmptyText(
            tr("This completion was stored without per-token values (an imported or older run, or "
               "rollouts.token_values = false)."));
        return;
    }
    const TokenValuesView v = tokenValuesView(s, m_quantity);
    m_strip->setTitle(tr("Member %1 of the group, token by token").arg(s.member));
    m_strip->setLegendTitle(m_colorBy->currentText());
    m_strip->setCategoryNames(v.classNames);
    m_strip->setCategoryColors(v.classColors);
    m_strip->setTokens(v.texts, v.classes, v.toolTips);
}

QList<viz::Exportable*> RolloutGroupView::exportables() const {
    if (m_members.empty()) return {};
    return {m_strip};
}

}  // namespace tinyseek::gui
