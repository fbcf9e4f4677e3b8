// RolloutDistributionView: the Rollouts page's distributions over time. Reward, advantage or
// completion length of every stored completion as a histogram over steps (each step a
// column, viz/step_histogram.h), as TensorBoard's histogram view shows weights; exportable as
// a picture and as CSV (step, bin, share).
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>

#include "training/run_store.h"

class QComboBox;
class QLabel;

namespace tinyseek::viz {
class HeatmapWidget;
}

namespace tinyseek::gui {

class RunReader;

class RolloutDistributionView : public QWidget {
    Q_OBJECT

  public:
    enum class Quantity { reward, advantage, length };
    static constexpr int kBins = 24;

    explicit RolloutDistributionView(QWidget* parent = nullptr);

    void setReader(RunReader* reader);
    void setRun(const QString& dbPath, std::int64_t runId);
    void clear();
    void refresh();  // new steps were stored
    void setQuantity(Quantity quantity);
    void setSource(RolloutSource source);

    bool isReading() const { return m_ticket != 0; }
    viz::HeatmapWidget* heatmap() const { return m_heatmap; }
    QString noteText() const;

  private:
    void read();
    void redraw();

    QPointer<RunReader> m_reader;
    QString m_dbPath;
    std::int64_t m_runId = 0;
    quint64 m_ticket = 0;
    RolloutColumns m_columns;
    QComboBox* m_quantity = nullptr;
    QComboBox* m_source = nullptr;
    QLabel* m_note = nullptr;
    viz::HeatmapWidget* m_heatmap = nullptr;
};

}  // namespace tinyseek::gui
