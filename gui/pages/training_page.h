// Training page: every training metric of the shown runs (the current run and the runs added
// for comparison) as a grid of MetricCharts, one metric per chart, in reading order (rewards,
// held-out accuracy, GRPO diagnostics, optimisation, throughput). Page-wide controls: EMA
// smoothing (raw curve faint behind), x axis step or wall time, log y, a metric filter,
// linked x zoom across charts, reset zoom and export of all charts.
//
// Data comes from the MetricsHub (live steps at ~20 Hz, stored runs on load). Charts that are
// off screen (scrolled away, or the page behind another tab) are only marked dirty and brought
// up to date when they become visible, so a live run costs nothing on pages nobody looks at.
// Visible charts follow live data at most 4 times a second, updated a few milliseconds at a
// time so the event loop keeps serving input while a run trains.
#pragma once

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariantMap>

#include <optional>
#include <utility>

#include "gui/models/run_groups.h"
#include "gui/pages/page.h"
#include "viz/series_band.h"

class QCheckBox;
class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QScrollArea;
class QSlider;
class QSpacerItem;

namespace tinyseek::viz {
class MetricChart;
struct MetricSeries;
struct RunCurve;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class MetricsHub;
struct HubRun;

class TrainingPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "training";
    explicit TrainingPage(QWidget* parent = nullptr);

    void setHub(MetricsHub* hub);
    MetricsHub* hub() const { return m_hub; }

    // Metric keys that have a chart, in display order (filtered-out ones included).
    QStringList chartKeys() const;
    viz::MetricChart* chart(const QString& key) const;
    // Keys whose charts are shown (match the filter).
    QStringList visibleChartKeys() const;

    // EMA weight in [0, 0.99] (the slider is in hundredths).
    void setSmoothing(double weight);
    double smoothing() const;
    void setWallTimeAxis(bool wallTime);
    void setLogX(bool on);
    void setLogY(bool on);

    // The y range of every chart without one of its own: a mode (Fixed uses the limits of
    // setFixedYRange), or one range for all of them (setSharedYRange: the smallest that holds
    // every value of every shown chart, so their scales compare at a glance).
    void setYRangeMode(viz::YRangeMode mode);
    void setFixedYRange(double min, double max);  // and selects Fixed
    void setSharedYRange();
    bool isYRangeShared() const;
    // A chart's own y range (right-click › Y Axis of This Chart); nullopt follows the page.
    struct ChartYRange {
        viz::YRangeMode mode = viz::YRangeMode::Auto;
        double min = 0.0, max = 1.0;  // for Fixed
        bool operator==(const ChartYRange&) const = default;
    };
    void setChartYRange(const QString& key, std::optional<ChartYRange> range);
    std::optional<ChartYRange> chartYRange(const QString& key) const;

    void setFilter(const QString& text);
    // The view a user sets up (smoothing, x axis, log axes, y ranges, metric filter) as a map the
    // window remembers per database (AppSettings::pageView); keys missing from a stored map
    // keep their current value. viewChanged() follows every change of one of them.
    QVariantMap viewState() const;
    void restoreViewState(const QVariantMap& view);
    // Groups the shown runs that differ only in this config key (e.g. "seed") into one curve
    // with a band each (gui/models/run_groups.h); empty = each run apart. A key the shown
    // runs do not differ in is ignored.
    void setGroupKey(const QString& key);
    QString groupKey() const;
    void setBandKind(viz::BandKind kind);
    void resetZoom();
    // The current run alone: no compared runs, no filter, no zoom, y axes fit to all values.
    void clearView();
    // Brings every chart up to date now, visible or not (exports, screenshots, tests).
    void refreshAll();
    // Draws every chart and run chip again in the runs' colours (one was changed).
    void recolourRuns();

    // Offers the one-click demo run in the empty state (first launch with an empty database).
    void setDemoOffered(bool offered);
    bool isDemoOffered() const;

  signals:
    void demoRequested();
    void newRunRequested();
    void viewChanged();

  protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void buildControls();
    // The controls bar, left to right (created in that order, which is also the tab order).
    void addSmoothingControl(QHBoxLayout* controls);
    void addAxisControls(QHBoxLayout* controls);  // x axis, log axes, y range, linked zoom
    QComboBox* makeYRangeCombo();
    void onYRangeActivated(int index);
    void applyChartYRange(const QString& key, viz::MetricChart* chart) const;
    void updateSharedYRange();
    std::optional<std::pair<double, double>> sharedYRange() const;
    void addChartYRangeMenu(QMenu& menu, const QString& key);
    bool askFixedYRange(const QString& what, double* min, double* max);
    void addFilterAndButtons(QHBoxLayout* controls);
    void addGroupControls(QHBoxLayout* row);  // beside the runs bar
    void populateGroupKeys();
    void updateGroups();
    viz::XAxisMode xAxisMode() const;
    viz::YRangeMode yRangeMode() const;
    QList<RunConfig> shownConfigs() const;
    viz::RunCurve groupCurve(const QList<qint64>& group, const QString& key) const;
    void onRunDataChanged(qint64 runId);
    void onSelectionChanged();
    void syncChartSet();  // creates/removes charts for the keys of the shown runs
    void relayout();
    void markAllDirty();
    void refreshVisible();
    void updateChart(const QString& key);
    void rebuildRunsBar();
    void updateChip(qint64 runId);
    void updateEmptyState();
    static QString runLabel(const HubRun& run);  // "name (#id)", in legends and the runs bar
    void linkXRange(viz::MetricChart* source);
    void alignPlotAreas();  // every shown chart's plot area starts at the same x
    void readDetail(const QString& key, double firstStep, double lastStep);
    bool readFullSeries(const QString& key, int runId, viz::MetricSeries* out) const;
    void exportCharts();
    int columnCount() const;
    bool isOnScreen(const QWidget* widget) const;

    MetricsHub* m_hub = nullptr;
    QWidget* m_body = nullptr;  // controls + runs bar + charts; hidden in the empty state
    QWidget* m_emptyActions = nullptr;
    QSpacerItem* m_emptyTop = nullptr;
    QSpacerItem* m_emptyBottom = nullptr;
    QPushButton* m_demoButton = nullptr;
    QSlider* m_smoothing = nullptr;
    QLabel* m_smoothingValue = nullptr;
    QComboBox* m_xAxis = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_logY = nullptr;
    QComboBox* m_yRange = nullptr;
    int m_lastYRangeIndex = 0;                     // restored when a Fixed… dialog is cancelled
    std::pair<double, double> m_fixedY{0.0, 1.0};  // the page's fixed range
    std::optional<std::pair<double, double>> m_sharedY;  // the shared range, as last applied
    QMap<QString, ChartYRange> m_chartYRanges;
    QCheckBox* m_linkX = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_groupLabel = nullptr;
    QComboBox* m_groupKey = nullptr;
    QComboBox* m_bandKind = nullptr;
    QList<RunConfig> m_configs;     // of the shown runs, as last grouped
    QList<QList<qint64>> m_groups;  // by groupKey(); empty: each run apart
    QHBoxLayout* m_runsBar = nullptr;
    QMap<qint64, QLabel*> m_chips;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_grid = nullptr;
    QGridLayout* m_gridLayout = nullptr;
    int m_columns = 0;

    QStringList m_keys;  // display order
    QMap<QString, viz::MetricChart*> m_charts;
    QSet<QString> m_dirty;
    bool m_linking = false;
    QTimer m_visibilityCheck;  // refreshVisible() after layout settles
    QTimer m_liveRefresh;      // paces chart updates from live steps
    QTimer m_alignPlots;       // alignPlotAreas() once the charts' layouts settle
};

}  // namespace tinyseek::gui
