#include "gui/models/rollout_table_model.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <climits>
#include <iterator>
#include <utility>

#include "gui/live/run_reader.h"
#include "gui/models/value_text.h"

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

QString RolloutTableModel::styleLabel(const CompletionStyle& style) {
    if (!style.thinks) return tr("direct");
    return style.steps == 1 ? tr("thinks · 1 step") : tr("thinks · %1 steps").arg(style.steps);
}

RolloutTableModel::~RolloutTableModel() = default;

void RolloutTableModel::setReader(RunReader* reader) {
    m_reader = reader;
}

void RolloutTableModel::setRun(const QString& dbPath, std::int64_t runId,
                               const RolloutQuery& filter) {
    beginResetModel();
    forgetPages();
    m_dbPath = dbPath;
    m_runId = runId;
    m_hasRun = false;
    m_rows = 0;
    m_total = 0;
    m_firstStep = m_lastStep = 0;
    m_lastError.clear();
    m_recountAfterRead = false;
    endResetModel();
    requestCounts(CountMode::Open, filter, 0);
}

void RolloutTableModel::clear() {
    beginResetModel();
    m_dbPath.clear();
    m_hasRun = false;
    m_countsTicket = 0;
    m_recountAfterRead = false;
    m_runId = 0;
    m_rows = 0;
    m_total = 0;
    m_firstStep = m_lastStep = 0;
    forgetPages();
    endResetModel();
    emit countsChanged();
}

void RolloutTableModel::forgetPages() {
    m_pages.clear();
    m_lru.clear();
    m_pagesAsked.clear();
    ++m_generation;
}

RolloutTableModel::Counts RolloutTableModel::readCounts(const RunStore& store, std::int64_t runId,
                                                        const RolloutQuery& filter, int pageIndex,
                                                        bool checkRun) {
    if (checkRun) store.run(runId);  // throws not_found for an unknown run
    Counts c;
    RolloutQuery all;
    all.source = filter.source;
    c.total = store.count_rollouts(runId, all);
    if (c.total > 0) {
        all.limit = 1;
        c.firstStep = store.rollouts(runId, all).front().step;
        all.offset = c.total - 1;
        c.lastStep = store.rollouts(runId, all).front().step;
    }
    RolloutQuery q = filter;
    q.offset = 0;
    c.rows = static_cast<int>(std::min<std::int64_t>(store.count_rollouts(runId, q), INT_MAX));
    c.pageIndex = pageIndex;
    q.limit = kPageSize;
    q.offset = static_cast<std::int64_t>(pageIndex) * kPageSize;
    c.page = store.rollouts(runId, q);
    return c;
}

void RolloutTableModel::requestCounts(CountMode mode, const RolloutQuery& filter, int pageIndex) {
    if (!m_reader || m_dbPath.isEmpty()) return;
    RolloutQuery applied = filter;
    applied.limit = kPageSize;
    applied.offset = 0;
    const std::int64_t runId = m_runId;
    const bool checkRun = mode == CountMode::Open;
    m_countsTicket = m_reader->read<Counts>(
        m_dbPath, this,
        [runId, applied, pageIndex, checkRun](const RunStore& store) {
            return readCounts(store, runId, applied, pageIndex, checkRun);
        },
        [this, mode, applied](ReadResult<Counts> read) {
            if (read.ticket != m_countsTicket) return;  // replaced by a later run or filter
            m_countsTicket = 0;
            countsRead(mode, applied, std::move(read.value), read.error);
        });
}

void RolloutTableModel::countsRead(CountMode mode, const RolloutQuery& filter, Counts counts,
                                   const QString& error) {
    const bool recount = std::exchange(m_recountAfterRead, false);
    if (!error.isEmpty()) {
        m_lastError = error;
        if (mode == CountMode::Append) return;
        beginResetModel();
        forgetPages();
        m_filter = filter;
        applyCounts(Counts());
        endResetModel();
        if (mode == CountMode::Open) emit runFailed(error);
        emit countsChanged();
        return;
    }
    if (mode == CountMode::Append) {
        appendRows(counts);
    } else {
        beginResetModel();
        forgetPages();
        m_filter = filter;
        m_hasRun = true;
        m_lastError.clear();
        applyCounts(counts);
        cachePage(counts.pageIndex, std::move(counts.page));
        endResetModel();
        emit countsChanged();
    }
    if (recount) refresh();
}

void RolloutTableModel::applyCounts(const Counts& counts) {
    m_rows = counts.rows;
    m_total = counts.total;
    m_firstStep = counts.firstStep;
    m_lastStep = counts.lastStep;
}

void RolloutTableModel::setFilter(const RolloutQuery& filter) {
    if (!m_hasRun && !isReading()) {
        m_filter = filter;
        m_filter.limit = kPageSize;
        m_filter.offset = 0;
        return;
    }
    // Still opening the run: open it again with this filter.
    requestCounts(m_hasRun ? CountMode::Filter : CountMode::Open, filter, 0);
}

void RolloutTableModel::refresh() {
    if (!m_hasRun && !isReading()) return;
    if (isReading()) {
        m_recountAfterRead = true;
        return;
    }
    // The page holding the last row is read again with the counts: new rows may fill it.
    requestCounts(CountMode::Append, m_filter, m_rows > 0 ? (m_rows - 1) / kPageSize : 0);
}

void RolloutTableModel::appendRows(const Counts& counts) {
    const int before = m_rows;
    if (counts.rows == before && counts.total == m_total) return;
    if (counts.rows > before) {
        // New steps come after every stored one, so matches are appended at the end; the
        // page that held the last row was read again with the counts.
        applyCounts(counts);
        m_rows = before;
        m_pagesAsked.erase(counts.pageIndex);
        cachePage(counts.pageIndex, counts.page);
        beginInsertRows(QModelIndex(), before, counts.rows - 1);
        m_rows = counts.rows;
        endInsertRows();
    } else {
        beginResetModel();
        forgetPages();
        applyCounts(counts);
        endResetModel();
    }
    emit countsChanged();
}

void RolloutTableModel::cachePage(int pageIndex, std::vector<StoredRollout> rows) const {
    ++m_pageReads;
    m_lru.remove(pageIndex);
    while (m_lru.size() >= kMaxCachedPages) {
        // The least recently used, but never the first page: exported pictures draw from it.
        const auto victim =
            std::find_if(m_lru.rbegin(), m_lru.rend(), [](int p) { return p != 0; });
        if (victim == m_lru.rend()) break;
        m_pages.erase(*victim);
        m_lru.erase(std::next(victim).base());
    }
    m_lru.push_front(pageIndex);
    m_pages[pageIndex] = std::move(rows);
}

void RolloutTableModel::requestPage(int pageIndex) const {
    if (!m_reader || !m_hasRun || m_pagesAsked.count(pageIndex)) return;
    m_pagesAsked.insert(pageIndex);
    // data() is const, but a view asking for a row is what starts its read (as fetchMore).
    auto* self = const_cast<RolloutTableModel*>(this);
    RolloutQuery q = m_filter;
    q.limit = kPageSize;
    q.offset = static_cast<std::int64_t>(pageIndex) * kPageSize;
    const std::int64_t runId = m_runId;
    const quint64 generation = m_generation;
    m_reader->read<std::vector<StoredRollout>>(
        m_dbPath, self, [runId, q](const RunStore& store) { return store.rollouts(runId, q); },
        [self, pageIndex, generation](ReadResult<std::vector<StoredRollout>> read) {
            if (generation != self->m_generation) return;  // another run or filter since
            self->m_pagesAsked.erase(pageIndex);
            if (!read.ok()) {
                self->m_lastError = read.error;
                return;
            }
            self->cachePage(pageIndex, std::move(read.value));
            const int first = pageIndex * kPageSize;
            const int last = std::min(self->m_rows, first + kPageSize) - 1;
            if (last >= first)
                emit self->dataChanged(self->index(first, 0), self->index(last, ColumnCount - 1));
        });
}

const StoredRollout* RolloutTableModel::rollout(int row) const {
    if (row < 0 || row >= m_rows) return nullptr;
    const int pageIndex = row / kPageSize;
    const auto it = m_pages.find(pageIndex);
    if (it == m_pages.end()) {
        requestPage(pageIndex);
        return nullptr;
    }
    m_lru.remove(pageIndex);
    m_lru.push_front(pageIndex);
    const std::size_t i = static_cast<std::size_t>(row % kPageSize);
    return i < it->second.size() ? &it->second[i] : nullptr;
}

void RolloutTableModel::forEachMatching(
    const std::function<void(const StoredRollout&)>& visit) const {
    if (!m_hasRun || !m_reader) return;
    // Read here, on the calling thread: the CSV export writes its file now, through the
    // synchronous Exportable interface, and needs every row for it.
    RolloutQuery q = m_filter;
    q.limit = 1000;
    const std::int64_t runId = m_runId;
    const ReadResult<bool> read = m_reader->readNow<bool>(m_dbPath, [&](const RunStore& store) {
        for (q.offset = 0;; q.offset += q.limit) {
            const std::vector<StoredRollout> rows = store.rollouts(runId, q);
            for (const StoredRollout& r : rows) visit(r);
            if (static_cast<std::int64_t>(rows.size()) < q.limit) break;
        }
        return true;
    });
    if (!read.ok()) m_lastError = read.error;  // the CSV ends where the read failed
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
            case Style:
                return styleLabel(completion_style(s.completion));
            case Accuracy:
                return valueText(s.reward.accuracy, 'g', 4);
            case Format:
                return s.reward.malformed ? tr("malformed") : valueText(s.reward.format, 'g', 4);
            case Reward:
                return valueText(s.reward.total, 'f', 3);
            case Advantage:
                return valueText(s.advantage, 'f', 3);
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
            case Style:
                return completion_style(s.completion).steps;
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
    if (role == Qt::TextAlignmentRole && column != Prompt && column != Completion &&
        column != Style)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && column == Accuracy && s.reward.accuracy > 0)
        return QBrush(QColor(0x59, 0xA1, 0x4F, 60));  // correct answers tinted green
    if (role == Qt::BackgroundRole && column == Style && !completion_style(s.completion).thinks)
        return QBrush(QColor(0xE1, 0x57, 0x59, 50));  // direct answers tinted red
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
            case Style:
                return tr("Style");
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
            case Style:
                return tr(
                    "Whether the completion works the problem out in <think>…</think> "
                    "(and in how many steps) or answers directly with an empty think "
                    "block");
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
