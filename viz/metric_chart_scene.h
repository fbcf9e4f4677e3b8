// Binds MetricPlotData to a QChart: axes (step or wall time, linear or log y), two line series
// per run (raw drawn faintly behind the smoothed one), decimated points pushed with replace(),
// and in-chart overlays (empty/error state, "values <= 0 hidden" note). The on-screen
// MetricChart and its exports each own one, so what is exported is built by the same code.
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QPointF>
#include <QString>

#include <map>

#include "viz/metric_plot_data.h"

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QAreaSeries;
class QChart;
class QGraphicsSimpleTextItem;
class QGraphicsTextItem;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace tinyseek::viz {

class MetricChartScene {
    Q_DECLARE_TR_FUNCTIONS(MetricChartScene)

  public:
    static constexpr int kMargin = 6;  // around the chart's contents, each side

    struct Options {
        XAxisMode xMode = XAxisMode::Step;
        bool logX = false;  // x <= 0 (step 0) is not drawn
        bool logY = false;
        YRangeMode yRange = YRangeMode::Auto;
        double fixedYMin = 0.0, fixedYMax = 1.0;  // the range of YRangeMode::Fixed
        int columns = 1000;  // plot width in pixels; points kept = about 2 per column
        QString title;
        QString yTitle;
        QString emptyText;
        QString errorText;
        // Wall-time unit in seconds; 0 = choose from the data (s, min or h) on an auto range.
        double forcedXUnit = 0.0;
    };

    explicit MetricChartScene(QChart* chart);  // the chart is not owned
    ~MetricChartScene();
    MetricChartScene(const MetricChartScene&) = delete;
    MetricChartScene& operator=(const MetricChartScene&) = delete;

    // Brings the chart up to date with `data`. With autoRange the axes are set to the data's
    // bounds first; otherwise the current axis ranges are kept. Then every series gets the
    // points of the visible x range, decimated to options.columns pixel columns.
    void sync(const MetricPlotData& data, const Options& options, bool autoRange);
    // Chart, legend, axes and messages in the current figure theme (figure_painter.h);
    // sync() applies it too, so a chart built inside an export's FigureThemeScope is drawn
    // in the export's theme.
    void applyTheme();
    // The title font made smaller (down to 70 %) when the title is wider than the chart; a
    // title that fits not even then is noted (viz::clippedFigureTexts).
    void fitTitle();
    // Re-decimates for the current axis ranges (after a zoom or pan) without touching ranges.
    void refreshPoints(const MetricPlotData& data);
    // Sets the axis ranges in display units (x in xUnitSeconds() for wall time).
    void setRanges(double xMin, double xMax, double yMin, double yMax);
    void ranges(double* xMin, double* xMax, double* yMin, double* yMax) const;
    // Re-positions the overlay texts after the plot area moved (resize, legend change).
    void layoutOverlays();

    QChart* chart() const { return m_chart; }
    QAbstractAxis* xAxis() const { return m_xAxis; }
    QAbstractAxis* yAxis() const { return m_yAxis; }
    // Seconds per x-axis unit: 1 for steps and seconds, 60 for minutes, 3600 for hours.
    double xUnitSeconds() const { return m_xUnit; }
    const Options& options() const { return m_options; }

    // Texts currently shown: the empty/error message (empty when data is drawn) and the
    // log-scale note (empty when nothing is hidden).
    QString stateText() const { return m_stateText; }
    bool stateIsError() const { return m_stateIsError; }
    QString noteText() const { return m_noteText; }

    // Points currently handed to the chart for a run (decimated, display units).
    QList<QPointF> points(int runId, bool smoothed) const;
    QLineSeries* series(int runId, bool smoothed) const;

  private:
    struct RunSeries {
        QLineSeries* raw = nullptr;
        QLineSeries* smoothed = nullptr;
        QAreaSeries* band = nullptr;  // a group's spread, behind its lines; null without one
    };
    void ensureBand(const MetricPlotData::Run& run, RunSeries& rs);
    static void removeBand(QChart* chart, RunSeries& rs);

    void ensureAxes();
    // Puts a linear or log axis on `side` in place of `axis` when its kind is not `log` yet.
    void replaceAxis(QAbstractAxis*& axis, bool& isLog, bool log, Qt::Alignment side);
    // axis->setRange; a linear axis gets the ticks of the new range first.
    void setAxisRange(QAbstractAxis* axis, double min, double max);
    void ensureSeries(const MetricPlotData& data);
    void applyAutoRange(const MetricPlotData& data);
    // YRangeMode::Fixed with limits the y axis can show (min < max; > 0 on a log axis).
    bool hasFixedYRange() const;
    void limitYRange(const MetricPlotData& data, double& yMin, double& yMax) const;
    void updateAxisTitles();
    void updateState(const MetricPlotData& data);
    void fillSeries(const MetricPlotData::Run& run, RunSeries& series, double xMin, double xMax);

    QChart* m_chart;
    QAbstractAxis* m_xAxis = nullptr;
    QAbstractAxis* m_yAxis = nullptr;
    // What the last applyTheme() coloured: sync() colours again only when the theme or an
    // axis changed, so a live refresh does not restyle (and repaint) every chart item.
    int m_themed = -1;
    const QAbstractAxis* m_themedX = nullptr;
    const QAbstractAxis* m_themedY = nullptr;
    bool m_xIsLog = false;
    bool m_yIsLog = false;
    double m_xUnit = 1.0;
    Options m_options;
    std::map<int, RunSeries> m_series;  // by run id
    QGraphicsTextItem* m_stateItem = nullptr;
    QGraphicsSimpleTextItem* m_noteItem = nullptr;
    QString m_stateText;
    bool m_stateIsError = false;
    QString m_noteText;
    bool m_showRaw = true;
};

}  // namespace tinyseek::viz
