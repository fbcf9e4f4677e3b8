#include "gui/models/rollout_table_model.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <climits>

namespace tinyseek::gui {

namespace {

// Newlines and tabs made visible so a completion reads on one table line.
QString oneLine(const std::string& text) {
    QString s = QString::fromStdString(text);
    s.replace(QLatin1Char('\n'), QChar(0x21B5));
    s.replace(QLatin1Char('\t'), QChar(0x2192));
    return s;
}

}  // namespace

RolloutTableModel::RolloutTableModel(QObject* parent) : QAbstractTableModel(parent) {
    m_filter.limit = kPageSize;
}

RolloutTableModel::~RolloutTableModel() = default;

bool RolloutTableModel::setRun(const QString& dbPath, std::int64_t runId, QString* error) {
    beginResetModel();
    m_pages.clear();
    m_lru.clear();
    m_store.reset();
    m_runId = runId;
    m_rows = 0;
    m_total = 0;
    m_lastError.clear();
    bool ok = true;
    try {
        OpenOptions options;
        options.read_only = true;
        options.integrity_check = false;  // browsing: SQLite reports damage when it reads it
        m_store = std::make_unique<RunStore>(dbPath.toStdString(), options);
        m_store->run(runId);  // throws not_found for an unknown run
        recount();
    } catch (const std::exception& e) {
        m_store.reset();
        m_lastError = QString::fromUtf8(e.what());
        if (error) *error = m_lastError;
        ok = false;
    }
    endResetModel();
    emit countsChanged();
    return ok;
}

void RolloutTableModel::clear() {
    beginResetModel();
    m_store.reset();
    m_runId = 0;
    m_rows = 0;
    m_total = 0;
    m_firstStep = m_lastStep = 0;
    m_pages.clear();
    m_lru.clear();
    endResetModel();
    emit countsChanged();
}

void RolloutTableModel::recount() {
    m_rows = 0;
    m_total = 0;
    m_firstStep = m_lastStep = 0;
    if (!m_store) return;
    RolloutQuery all;
    m_total = m_store->count_rollouts(m_runId, all);
    if (m_total > 0) {
        all.limit = 1;
        m_firstStep = m_store->rollouts(m_runId, all).front().step;
        all.offset = m_total - 1;
        m_lastStep = m_store->rollouts(m_runId, all).front().step;
    }
    RolloutQuery q = m_filter;
    q.offset = 0;
    m_rows = static_cast<int>(std::min<std::int64_t>(m_store->count_rollouts(m_runId, q), INT_MAX));
}

void RolloutTableModel::setFilter(const RolloutQuery& filter) {
    beginResetModel();
    m_filter = filter;
    m_filter.limit = kPageSize;
    m_filter.offset = 0;
    m_pages.clear();
    m_lru.clear();
    try {
        recount();
        m_lastError.clear();
    } catch (const std::exception& e) {
        m_rows = 0;
        m_lastError = QString::fromUtf8(e.what());
    }
    endResetModel();
    emit countsChanged();
}

void RolloutTableModel::refresh() {
    if (!m_store) return;
    const int before = m_rows;
    const std::int64_t totalBefore = m_total;
    try {
        recount();
    } catch (const std::exception& e) {
        m_lastError = QString::fromUtf8(e.what());
        return;
    }
    if (m_rows == before && m_total == totalBefore) return;
    if (m_rows > before) {
        // New steps come after every stored one, so matches are appended at the end; the
        // last cached page may now be incomplete, so forget it.
        const int after = m_rows;
        const int lastPage = before > 0 ? (before - 1) / kPageSize : 0;
        m_pages.erase(lastPage);
        m_lru.remove(lastPage);
        m_rows = before;
        beginInsertRows(QModelIndex(), before, after - 1);
        m_rows = after;
        endInsertRows();
    } else {
        beginResetModel();
        m_pages.clear();
        m_lru.clear();
        endResetModel();
    }
    emit countsChanged();
}

const std::vector<StoredRollout>* RolloutTableModel::page(int pageIndex) const {
    if (const auto it = m_pages.find(pageIndex); it != m_pages.end()) {
        m_lru.remove(pageIndex);
        m_lru.push_front(pageIndex);
        return &it->second;
    }
    if (!m_store) return nullptr;
    RolloutQuery q = m_filter;
    q.limit = kPageSize;
    q.offset = static_cast<std::int64_t>(pageIndex) * kPageSize;
    std::vector<StoredRollout> rows;
    try {
        rows = m_store->rollouts(m_runId, q);
        ++m_pageReads;
    } catch (const std::exception& e) {
        m_lastError = QString::fromUtf8(e.what());
        return nullptr;
    }
    while (m_lru.size() >= kMaxCachedPages) {
        m_pages.erase(m_lru.back());
        m_lru.pop_back();
    }
    m_lru.push_front(pageIndex);
    return &(m_pages[pageIndex] = std::move(rows));
}

const StoredRollout* RolloutTableModel::rollout(int row) const {
    if (row < 0 || row >= m_rows) return nullptr;
    const std::vector<StoredRollout>* p = page(row / kPageSize);
    const std::size_t i = static_cast<std::size_t>(row % kPageSize);
    return p && i < p->size() ? &(*p)[i] : nullptr;
}

void RolloutTableModel::forEachMatching(
    const std::function<void(const StoredRollout&)>& visit) const {
    if (!m_store) return;
    RolloutQuery q = m_filter;
    q.limit = 1000;
    for (q.offset = 0;; q.offset += q.limit) {
        const std::vector<StoredRollout> rows = m_store->rollouts(m_runId, q);
        for (const StoredRollout& r : rows) visit(r);
        if (static_cast<std::int64_t>(rows.size()) < q.limit) break;
    }
}

int RolloutTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int RolloutTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return QVariant();
    const StoredRollout* r = rollout(index.row());
    if (!r) return QVariant();
    const RolloutSample& s = r->sample;
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
            case Step:
                return QVariant::fromValue<qlonglong>(r->step);
            case Prompt:
                return oneLine(s.prompt);
            case Completion:
                return oneLine(s.completion);
            case Accuracy:
                return QString::number(s.reward.accuracy, 'g', 4);
            case Format:
                return s.reward.malformed ? tr("malformed")
                                          : QString::number(s.reward.format, 'g', 4);
            case Reward:
                return QString::number(s.reward.total, 'f', 3);
            case Advantage:
                return QString::number(s.advantage, 'f', 3);
            case Length:
                return s.length;
            default:
                return QVariant();
        }
    }
    if (role == Qt::EditRole || role == Qt::UserRole) {  // raw values, for sorting and tests
        switch (column) {
            case Step:
                return QVariant::fromValue<qlonglong>(r->step);
            case Prompt:
                return QString::fromStdString(s.prompt);
            case Completion:
                return QString::fromStdString(s.completion);
            case Accuracy:
                return s.reward.accuracy;
            case Format:
                return s.reward.format;
            case Reward:
                return s.reward.total;
            case Advantage:
                return s.advantage;
            case Length:
                return s.length;
            default:
                return QVariant();
        }
    }
    if (role == Qt::ToolTipRole && (column == Prompt || column == Completion)) {
        return tr("Prompt: %1\nCompletion: %2")
            .arg(QString::fromStdString(s.prompt), QString::fromStdString(s.completion));
    }
    if (role == Qt::TextAlignmentRole && column != Prompt && column != Completion)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && column == Accuracy && s.reward.accuracy > 0)
        return QBrush(QColor(0x59, 0xA1, 0x4F, 60));  // correct answers tinted green
    if (role == Qt::ForegroundRole && s.reward.malformed && column == Format)
        return QBrush(QColor(0xC0, 0x39, 0x2B));
    return QVariant();
}

QVariant RolloutTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
            case Step:
                return tr("Step");
            case Prompt:
                return tr("Prompt");
            case Completion:
                return tr("Completion");
            case Accuracy:
                return tr("Accuracy");
            case Format:
                return tr("Format");
            case Reward:
                return tr("Reward");
            case Advantage:
                return tr("Advantage");
            case Length:
                return tr("Length");
            default:
                return QVariant();
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case Accuracy:
                return tr("1 when the answer verifies (rewards/accuracy)");
            case Format:
                return tr("1 when the <think>…</think><answer>…</answer> tags are well formed");
            case Reward:
                return tr("Total reward: the weighted sum of accuracy and format");
            case Advantage:
                return tr("GRPO advantage: (reward − group mean) / group std");
            case Length:
                return tr("Completion length in tokens");
            default:
                return QVariant();
        }
    }
    return QVariant();
}

}  // namespace tinyseek::gui
