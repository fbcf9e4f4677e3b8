// MetricChart: one metric, several runs overlaid (TensorBoard-style). Each run has a stable
// colour from its id, a faint raw curve behind the EMA-smoothed one, and a legend entry.
// x = step or wall time, each axis linear or log, a y range mode (YRangeMode), hover
// crosshair with a callout (step, raw, smoothed per run), box zoom (left drag), wheel zoom,
// pan (middle drag or Ctrl+left drag), reset (double-click). Only what is drawn is decimated
// (min/max per pixel column over the visible range, ~2 points per pixel), pushed with
// replace(); a run held thinned gets its every point for a zoomed-in stretch (setRunDetail).
#pragma once

#include <QChartView>
#include <QList>
#include <QString>
#include <QTimer>

#include <memory>
#include <utility>
#include <vector>

#include "viz/exporters.h"
#include "viz/metric_chart_scene.h"
#include "viz/metric_plot_data.h"

QT_BEGIN_NAMESPACE
class QGraphicsEllipseItem;
class QGraphicsLineItem;
QT_END_NAMESPACE

namespace tinyseek::viz {

class ChartCallout;

// One run's series of the charted metric.
// With low and high (aligned with the series' points) the curve is a group of runs, drawn as
// its mean line inside a shaded band.
struct RunCurve {
    int runId = 0;
    QString runName;
    MetricSeries series;
    std::vector<double> low = {};
    std::vector<double> high = {};
    bool thinned = false;  // held thinned (viz/series_thinning.h): zoom asks for the detail
};

class MetricChart : public QChartView, public Exportable {
    Q_OBJECT

  public:
    explicit MetricChart(QWidget* parent = nullptr);
    ~MetricChart() override;

    void setTitle(const QString& title);
    void setYAxisTitle(const QString& text);

    // Replaces all runs.
    void setSeries(const QList<RunCurve>& runs);
    // Adds or replaces one run (the live path: call it from a coalescing timer, not per step).
    void updateRun(int runId, const QString& runName, const MetricSeries& series);
    void removeRun(int runId);
    void clearRuns();
    const MetricPlotData& data() const { return m_data; }

    // Runs held thinned: once the chart is zoomed in, detailWanted() asks for every point of
    // the steps in view (once per range); setRunDetail() puts them in. A reset zoom drops them.
    void setRunDetail(int runId, double firstStep, double lastStep, const MetricSeries& detail);
    // Where the CSV export reads a thinned run's every point from.
    void setFullSeriesSource(FullSeriesSource source) { m_fullSource = std::move(source); }

    // EMA weight in [0, 0.99] (clamped); 0 shows the raw data only.
    void setSmoothing(double weight);
    double smoothing() const { return m_data.smoothing(); }
    void setXAxisMode(XAxisMode mode);  // resets the zoom
    XAxisMode xAxisMode() const { return m_options.xMode; }
    void setLogX(bool on);  // resets the zoom; x <= 0 (step 0) is not drawn
    bool logX() const { return m_options.logX; }
    void setLogY(bool on);
    bool logY() const { return m_options.logY; }
    // Both reset the zoom. Fixed without limits (setFixedYRange) follows the data.
    void setYRangeMode(YRangeMode mode);
    YRangeMode yRangeMode() const { return m_options.yRange; }
    // YRangeMode::Fixed with these limits (ignored when min >= max, or min <= 0 on log y).
    void setFixedYRange(double min, double max);
    std::pair<double, double> fixedYRange() const {
        return {m_options.fixedYMin, m_options.fixedYMax};
    }

    // In-place states: shown instead of the axes when there is no data or an error.
    void setEmptyText(const QString& text);
    void setErrorText(const QString& text);
    void clearError() { setErrorText(QString()); }
    QString stateText() const;    // message shown now, empty when data is drawn
    QString logNoteText() const;  // "Log scale: N values <= 0 not shown", or empty

    // Zoom. Ranges are in axis units (steps, or the wall-time unit shown on the axis).
    void resetZoom();  // back to the data bounds; later updates follow the data again
    void zoomToRange(double xMin, double xMax, double yMin, double yMax);
    void zoomBy(double factor, const QPointF& viewPos);  // < 1 zooms in around viewPos
    void panBy(const QPointF& pixels);                   // content follows the mouse
    bool isAutoRange() const { return m_autoRange; }
    void visibleRange(double* xMin, double* xMax, double* yMin, double* yMax) const;
    // Seconds per x-axis unit in wall-time mode (1, 60 or 3600); 1 in step mode.
    double xUnitSeconds() const;

    // Charts stacked in a grid line their plot areas up, so a linked x zoom lines up too: the
    // left edge the plot area has without extra margin (chart coordinates), and the extra
    // margin that moves it to `left` (never less than none).
    double naturalPlotLeft() const;
    void alignPlotLeft(double left);

    // Hover: nearest point of every run to axis value x (display units).
    QList<HoverValue> hoverValues(double x) const;
    void showHoverAt(const QPointF& viewPos);  // what a mouse move does
    void hideHover();
    QString hoverText() const;  // the callout's text, one line per entry (for tests)

    // Points handed to the chart for a run (decimated, display units).
    QList<QPointF> drawnPoints(int runId, bool smoothed = true) const;

    // Exportable
    QString title() const override { return m_options.title; }
    void renderTo(QPainter& painter, const QRectF& target) override;
    void writeCsv(QTextStream& out) const override { m_data.writeCsv(out, m_fullSource); }

    QSize sizeHint() const override { return QSize(640, 400); }

  signals:
    // Visible x range changed by the user (zoom, pan or reset); lets pages sync charts.
    void xRangeChanged(double xMin, double xMax);
    // Steps first..last are in view and some run there is held thinned (see setRunDetail).
    void detailWanted(double firstStep, double lastStep);

  protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;      // the palette changed: recolour
    void paintEvent(QPaintEvent* event) override;  // fits the title to the width first

  private slots:
    void applyTheme();          // chart, axes and the view's edges in the screen's figure theme
    void onAxisRangeChanged();  // user zoom/pan: stop following the data, re-decimate

  private:
    void rebuild();               // full sync (data or options changed)
    void refreshVisiblePoints();  // re-decimate for the current range
    void connectAxes();
    void emitXRange();
    void requestDetail();  // emits detailWanted() for a zoomed-in view of thinned runs
    int plotColumns() const;
    QString formatX(double step, double wallSeconds) const;

    MetricPlotData m_data;
    FullSeriesSource m_fullSource;
    std::pair<double, double> m_wantedDetail{0.0, -1.0};  // steps last asked for
    std::unique_ptr<MetricChartScene> m_scene;
    MetricChartScene::Options m_options;
    bool m_autoRange = true;
    bool m_applyingRange = false;
    int m_extraLeft = 0;  // margin added by alignPlotLeft()
    bool m_panning = false;
    QPointF m_lastPanPos;
    QTimer m_refreshTimer;  // coalesces re-decimation after zoom/pan/resize
    ChartCallout* m_callout = nullptr;
    QGraphicsLineItem* m_crosshair = nullptr;
    QList<QGraphicsEllipseItem*> m_hoverDots;
};

}  // namespace tinyseek::viz
