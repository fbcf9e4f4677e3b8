#include "gui/models/rollout_group_model.h"

#include <QBrush>
#include <QColor>

#include "gui/live/run_reader.h"

namespace tinyseek::gui {

RolloutGroupModel::RolloutGroupModel(QObject* parent) : QAbstractTableModel(parent) {}

void RolloutGroupModel::setReader(RunReader* reader) {
    m_reader = reader;
}

void RolloutGroupModel::setRun(const QString& dbPath, std::int64_t runId,
                               const RolloutQuery& filter) {
    m_runId = runId;
    m_source = filter.source;
    if (!m_reader) return;
    RolloutQuery q = filter;
    q.limit = kMaxGroups;
    q.offset = 0;
    m_ticket = m_reader->read<Groups>(
        dbPath, this,
        [runId, q](const RunStore& store) {
            return Groups{store.count_rollout_groups(runId, q), store.rollout_groups(runId, q)};
        },
        [this](ReadResult<Groups> read) {
            if (read.ticket != m_ticket) return;  // replaced by a later run or filter
            m_ticket = 0;
            beginResetModel();
            m_lastError = read.error;
            m_matching = read.value.matching;
            m_rows = std::move(read.value.rows);
            endResetModel();
            emit countsChanged();
        });
}

void RolloutGroupModel::clear() {
    beginResetModel();
    m_ticket = 0;
    m_runId = 0;
    m_matching = 0;
    m_rows.clear();
    m_lastError.clear();
    endResetModel();
}

const RolloutGroup* RolloutGroupModel::group(int row) const {
    return row >= 0 && row < rowCount() ? &m_rows[static_cast<std::size_t>(row)] : nullptr;
}

int RolloutGroupModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RolloutGroupModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutGroupModel::display(const RolloutGroup& g, int column) const {
    switch (column) {
        case Step:
            return QVariant::fromValue<qlonglong>(g.step);
        case Group:
            return g.group;
        case Prompt:
            return QString::fromStdString(g.prompt);
        case Completions:
            return g.completions;
        case Correct:
            return tr("%1 of %2").arg(g.correct).arg(g.completions);
        case MeanReward:
            return QString::number(g.mean_reward, 'f', 3);
        case RewardRange:
            return tr("%1 – %2").arg(g.min_reward, 0, 'f', 2).arg(g.max_reward, 0, 'f', 2);
        case MeanLength:
            return QString::number(g.mean_length, 'f', 1);
        default:
            return QVariant();
    }
}

QVariant RolloutGroupModel::data(const QModelIndex& index, int role) const {
    const RolloutGroup* g = group(index.row());
    if (!g) return QVariant();
    if (role == Qt::DisplayRole) return display(*g, index.column());
    if (role == Qt::TextAlignmentRole && index.column() != Prompt)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    // A group whose completions all got the same reward teaches GRPO nothing.
    if (role == Qt::BackgroundRole && index.column() == RewardRange &&
        g->min_reward == g->max_reward && m_source == RolloutSource::train)
        return QBrush(QColor(0x9E, 0x9E, 0x9E, 60));
    if (role == Qt::BackgroundRole && index.column() == Correct && g->correct > 0)
        return QBrush(QColor(0x59, 0xA1, 0x4F, 60));
    return QVariant();
}

QVariant RolloutGroupModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
            case Step:
                return tr("Step");
            case Group:
                return m_source == RolloutSource::train ? tr("Group") : tr("Problem");
            case Prompt:
                return tr("Prompt");
            case Completions:
                return tr("Completions");
            case Correct:
                return tr("Right");
            case MeanReward:
                return tr("Mean reward");
            case RewardRange:
                return tr("Reward range");
            case MeanLength:
                return tr("Mean length");
            default:
                return QVariant();
        }
    }
    if (role == Qt::ToolTipRole && section == RewardRange)
        return tr(
            "Lowest and highest total reward in the group; grey when they are equal, so "
            "every advantage is 0 and the group teaches GRPO nothing");
    if (role == Qt::ToolTipRole && section == Group)
        return tr(
            "The prompt's group in its GRPO step, or the problem's index in the held-out "
            "set");
    return QVariant();
}

}  // namespace tinyseek::gui
