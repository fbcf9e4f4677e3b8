// RolloutTableModel: the stored rollouts of one run as a table, read lazily page by page from
// a read-only RunStore (RunStore::rollouts with limit/offset, ordered by step then id), so a
// run with a million rollouts costs only the rows on screen. A filter (step range, minimum
// total reward) is applied by the store; the model keeps a few recently used pages.
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <unordered_map>
#include <vector>

#include "training/run_store.h"

namespace tinyseek::gui {

class RolloutTableModel : public QAbstractTableModel {
    Q_OBJECT

  public:
    enum Column {
        Step,
        Prompt,
        Completion,
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
    ~RolloutTableModel() override;

    // Opens the database read-only for run `runId`; false with the reason in *error.
    bool setRun(const QString& dbPath, std::int64_t runId, QString* error = nullptr);
    void clear();
    std::int64_t runId() const { return m_runId; }
    bool hasRun() const { return m_store != nullptr; }

    // Filter applied by the store (limit/offset are the model's own).
    void setFilter(const RolloutQuery& filter);
    const RolloutQuery& filter() const { return m_filter; }
    // Rollouts of the run without any filter.
    std::int64_t totalCount() const { return m_total; }
    // Re-counts after new steps were stored: rows appended at the end are inserted, anything
    // else resets the model.
    void refresh();

    // The stored rollout of a row (fetching its page if needed); nullptr when out of range.
    const StoredRollout* rollout(int row) const;
    // Step range of the run's rollouts (0, 0 when there are none).
    std::int64_t firstStep() const { return m_firstStep; }
    std::int64_t lastStep() const { return m_lastStep; }
    // Page reads done so far (tests check that paging is lazy).
    int pageReads() const { return m_pageReads; }
    // Error of the last failed read (shown by the page), empty otherwise.
    QString lastError() const { return m_lastError; }
    // Every row that matches the filter, read through the store in pages, for CSV export.
    void forEachMatching(const std::function<void(const StoredRollout&)>& visit) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  signals:
    void countsChanged();

  private:
    const std::vector<StoredRollout>* page(int pageIndex) const;
    void recount();

    std::unique_ptr<RunStore> m_store;
    std::int64_t m_runId = 0;
    RolloutQuery m_filter;
    int m_rows = 0;
    std::int64_t m_total = 0;
    std::int64_t m_firstStep = 0;
    std::int64_t m_lastStep = 0;
    // Page cache, most recently used at the front of m_lru.
    mutable std::unordered_map<int, std::vector<StoredRollout>> m_pages;
    mutable std::list<int> m_lru;
    mutable int m_pageReads = 0;
    mutable QString m_lastError;
};

}  // namespace tinyseek::gui
