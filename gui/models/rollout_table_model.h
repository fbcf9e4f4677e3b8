// RolloutTableModel: the stored rollouts of one run as a table, read lazily page by page
// through a RunReader (RunStore::rollouts with limit/offset, ordered by step then id), so a
// run with a million rollouts costs only the rows on screen. A filter (step range, minimum
// total reward) is applied by the store; the model keeps a few recently used pages.
//
// Every read runs on the reader thread: the counts (with the first page) after setRun(),
// setFilter() and refresh(), then countsChanged(); a page the view asks for, then
// dataChanged() for its rows (until it arrives, its cells are empty).
#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <functional>
#include <list>
#include <set>
#include <unordered_map>
#include <vector>

#include "training/run_store.h"
#include "training/trace_style.h"

namespace tinyseek::gui {

class RunReader;

class RolloutTableModel : public QAbstractTableModel {
    Q_OBJECT

  public:
    enum Column {
        Step,
        Prompt,
        Completion,
        Style,  // thinks (with its step count) or answers directly: training/trace_style.h
        Accuracy,
        Format,
        Reward,
        Advantage,
        Length,
        ColumnCount
    };
    static constexpr int kPageSize = 200;
    static constexpr std::size_t kMaxCachedPages = 16;

    explicit RolloutTableModel(QObject* parent = nullptr);
    // The Style column's text: "thinks · N steps" or "direct".
    static QString styleLabel(const CompletionStyle& style);
    ~RolloutTableModel() override;

    // Where the rollouts are read (not owned).
    void setReader(RunReader* reader);
    // Shows run `runId` with `filter`: countsChanged() follows once it is read, or
    // runFailed(reason) when the file or run cannot be read.
    void setRun(const QString& dbPath, std::int64_t runId, const RolloutQuery& filter = {});
    void clear();
    std::int64_t runId() const { return m_runId; }
    // The run was read and is shown.
    bool hasRun() const { return m_hasRun; }
    // Counts are being read (after setRun, setFilter or refresh).
    bool isReading() const { return m_countsTicket != 0; }

    // Filter applied by the store (limit/offset are the model's own); the rows change when
    // the new counts arrive.
    void setFilter(const RolloutQuery& filter);
    const RolloutQuery& filter() const { return m_filter; }
    // Rollouts of the run without any filter.
    std::int64_t totalCount() const { return m_total; }
    // Re-counts after new steps were stored: rows appended at the end are inserted, anything
    // else resets the model.
    void refresh();

    // The stored rollout of a row; nullptr when out of range or while its page is read (the
    // read is then asked for). The first page stays cached once read.
    const StoredRollout* rollout(int row) const;
    // Step range of the run's rollouts (0, 0 when there are none).
    std::int64_t firstStep() const { return m_firstStep; }
    std::int64_t lastStep() const { return m_lastStep; }
    // Page reads done so far (tests check that paging is lazy).
    int pageReads() const { return m_pageReads; }
    // Error of the last failed read (shown by the page), empty otherwise.
    QString lastError() const { return m_lastError; }
    // Every row that matches the filter, read through the store in pages, for CSV export.
    // Reads on the calling thread (see the definition).
    void forEachMatching(const std::function<void(const StoredRollout&)>& visit) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  signals:
    void countsChanged();
    // setRun() could not read the run (the store's reason).
    void runFailed(const QString& reason);

  private:
    // What a count read brings back: the counts, and one page read along with them.
    struct Counts {
        int rows = 0;
        std::int64_t total = 0;
        std::int64_t firstStep = 0;
        std::int64_t lastStep = 0;
        int pageIndex = 0;
        std::vector<StoredRollout> page;
    };
    enum class CountMode { Open, Filter, Append };
    static Counts readCounts(const RunStore& store, std::int64_t runId, const RolloutQuery& filter,
                             int pageIndex, bool checkRun);

    void requestCounts(CountMode mode, const RolloutQuery& filter, int pageIndex);
    void countsRead(CountMode mode, const RolloutQuery& filter, Counts counts,
                    const QString& error);
    void applyCounts(const Counts& counts);
    void appendRows(const Counts& counts);
    void requestPage(int pageIndex) const;
    void cachePage(int pageIndex, std::vector<StoredRollout> rows) const;
    void forgetPages();

    QPointer<RunReader> m_reader;
    QString m_dbPath;
    std::int64_t m_runId = 0;
    bool m_hasRun = false;
    RolloutQuery m_filter;
    int m_rows = 0;
    std::int64_t m_total = 0;
    std::int64_t m_firstStep = 0;
    std::int64_t m_lastStep = 0;
    quint64 m_countsTicket = 0;       // the counts being read; 0 = none
    bool m_recountAfterRead = false;  // refresh() came while counts were read
    quint64 m_generation = 0;         // pages read for an earlier run or filter are dropped
    // Page cache, most recently used at the front of m_lru; page 0 is never evicted.
    mutable std::unordered_map<int, std::vector<StoredRollout>> m_pages;
    mutable std::list<int> m_lru;
    mutable std::set<int> m_pagesAsked;  // pages being read
    mutable int m_pageReads = 0;
    mutable QString m_lastError;
};

}  // namespace tinyseek::gui
