// The Inference page's throughput tab: generated tokens per second of plain decoding and of
// speculative decoding with the MTP draft, by batch size, in the latent and the expanded KV
// cache, and the speed-up speculation brings (DeepSeek-V3 reports 1.8x). The page measures
// when the user presses "Measure Throughput" (on a worker thread); the panel draws.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include "gui/models/speculation_view.h"

class QLabel;
class QPushButton;
class QTextStream;

namespace tinyseek::viz {
class BarChart;
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class ThroughputPanel : public QWidget {
    Q_OBJECT

  public:
    explicit ThroughputPanel(QWidget* parent = nullptr);
    ~ThroughputPanel() override;

    void showThroughput(const ThroughputView& view);
    // No measurement (yet): both charts say `why`.
    void clearThroughput(const QString& why);
    void setMeasureEnabled(bool enabled);
    // What a measurement will do, shown beside the button.
    void setPlan(const QString& text);

    const ThroughputView& view() const { return m_view; }
    viz::BarChart* throughputChart() const { return m_throughput; }
    viz::BarChart* speedupChart() const { return m_speedup; }
    // Speculative over plain tokens per second at (latent?, batch); NaN when not measured.
    double speedup(bool latent, int batch) const;

    // inference-throughput, inference-speedup: once measured.
    QList<viz::Exportable*> exportables() const;

  signals:
    void measureRequested();

  private:
    void describeCharts();
    const ThroughputView::Point* find(bool latent, int batch, bool speculative) const;
    QList<int> batches() const;
    void fillThroughput();
    void fillSpeedup();
    void writeThroughputCsv(QTextStream& out) const;
    void writeSpeedupCsv(QTextStream& out) const;

    ThroughputView m_view;
    QLabel* m_plan = nullptr;
    QPushButton* m_measureButton = nullptr;
    viz::BarChart* m_throughput = nullptr;
    viz::BarChart* m_speedup = nullptr;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
