// RolloutGroupModel: the Rollouts page's unique-prompt mode, one row per prompt and step (a
// GRPO group, or a held-out problem at one evaluation) with how its completions did. The
// groups of a filter are read whole on the reader thread (RunStore::rollout_groups), at most
// kMaxGroups of them: a group stands for up to G completions, so this stays small where the
// completion table must page.
#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <vector>

#include "training/run_store.h"

namespace tinyseek::gui {

class RunReader;

class RolloutGroupModel : public QAbstractTableModel {
    Q_OBJECT

  public:
    enum Column {
        Step,
        Group,
        Prompt,
        Completions,
        Correct,
        MeanReward,
        RewardRange,
        MeanLength,
        ColumnCount
    };
    static constexpr std::int64_t kMaxGroups = 200'000;

    explicit RolloutGroupModel(QObject* parent = nullptr);

    void setReader(RunReader* reader);
    // Reads the groups of `runId` that match `filter` (limit and offset are the model's);
    // countsChanged() follows, with lastError() set when the read failed.
    void setRun(const QString& dbPath, std::int64_t runId, const RolloutQuery& filter);
    void clear();
    bool isReading() const { return m_ticket != 0; }
    std::int64_t runId() const { return m_runId; }
    std::int64_t matchingCount() const { return m_matching; }  // may exceed rowCount()
    const RolloutGroup* group(int row) const;
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  signals:
    void countsChanged();

  private:
    struct Groups {
        std::int64_t matching = 0;
        std::vector<RolloutGroup> rows;
    };
    QVariant display(const RolloutGroup& g, int column) const;

    QPointer<RunReader> m_reader;
    std::int64_t m_runId = 0;
    RolloutSource m_source = RolloutSource::train;
    quint64 m_ticket = 0;
    std::int64_t m_matching = 0;
    std::vector<RolloutGroup> m_rows;
    QString m_lastError;
};

}  // namespace tinyseek::gui
