// Training page over a small stored run (written through the real RunStore): one chart per
// metric in reading order with the stored values, overlays with distinct colours, the page
// controls reach every chart, linked x zoom, the rendered page is not blank and shows the run
// colour, live steps reach visible charts (and wait while the page is hidden), and a 100k-step
// live series is drawn decimated.
#include <QChart>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QToolButton>

#include <cmath>

#include "gui/dialogs/y_range_dialog.h"
#include "gui/live/metric_catalog.h"
#include "gui/live/metrics_hub.h"
#include "gui/pages/training_page.h"
#include "read_wait.h"
#include "run_fixture.h"
#include "tests/image_stats.h"
#include "training/run_store.h"
#include "viz/color_map.h"
#include "viz/metric_chart.h"
#include "viz/smoothing.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

// Points of the first run in the chart of `key`; 0 while the chart has none.
std::size_t seriesSize(const TrainingPage& page, const QString& key) {
    const viz::MetricChart* chart = page.chart(key);
    if (!chart || chart->data().runs().empty()) return 0;
    return chart->data().runs().front().series.size();
}

int pixelsNear(const QImage& image, const QColor& color, int tolerance = 30) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                    std::abs(c.blue() - color.blue()) <
                tolerance)
                ++count;
        }
    return count;
}

}  // namespace

class TestTrainingPage : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void emptyStateOffersDemo();
    void chartsShowStoredMetrics();
    void overlayAndControls();
    void linkedZoom();
    void rendersNotBlank();
    void liveStepsReachVisibleCharts();
    void hundredThousandStepsStayDecimated();
    void longRunHeldInBoundedMemory();
    void yRangesFixedSharedAndPerChart();
    void logXLeavesStepZeroOut();
    void stackedPlotAreasLineUp();
    void fixedRangeDialogRefusesBadLimits();
    void zoomAndCsvReadEveryPointFromStore();
    void constantLargeValuesDoNotHang();

  private:
    QString m_dir;
    QString m_db;
    qint64 m_a = 0;
    qint64 m_b = 0;
};

void TestTrainingPage::initTestCase() {
    m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_training_page");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
    m_db = m_dir + QStringLiteral("/runs.db");
    RunStore store(m_db.toStdString());
    m_a = testdata::storeRun(store, "aux_free G=8", 120, RunStatus::completed, 1.0);
    m_b = testdata::storeRun(store, "none G=8", 90, RunStatus::stopped, 0.6);
}

void TestTrainingPage::emptyStateOffersDemo() {
    MetricsHub hub;
    TrainingPage page;
    page.setHub(&hub);
    QVERIFY(page.isEmptyStateVisible());
    QVERIFY(page.chartKeys().isEmpty());
    auto* demo = page.findChild<QPushButton*>(QStringLiteral("demoButton"));
    QVERIFY(demo);
    page.setDemoOffered(true);
    QVERIFY(page.isDemoOffered());
    QSignalSpy requested(&page, &TrainingPage::demoRequested);
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(demo->isVisible());
    QTest::mouseClick(demo, Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
    page.setDemoOffered(false);
    QVERIFY(!demo->isVisible());
}

void TestTrainingPage::chartsShowStoredMetrics() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    TrainingPage page;
    page.setHub(&hub);
    QVERIFY(hub.setCurrentRun(m_a));
    QVERIFY(waitForReads(*hub.reader()));
    QVERIFY(!page.isEmptyStateVisible());
    const QStringList keys = page.chartKeys();
    // Every stored metric has a chart, in reading order: rewards first, then accuracy.
    QCOMPARE(keys.size(), hub.metricKeys({m_a}).size());
    QCOMPARE(keys, MetricCatalog::sorted(hub.metricKeys({m_a})));
    QCOMPARE(keys.first(), QStringLiteral("reward"));
    QVERIFY(keys.indexOf(QStringLiteral("eval/accuracy")) < keys.indexOf(QStringLiteral("loss")));
    for (const char* k :
         {metric::kKl, metric::kMeanLength, metric::kEntropy, metric::kClipRatio, metric::kGradNorm,
          metric::kLearningRate, metric::kTokensPerSecond, metric::kEvalSampledAccuracy,
          metric::kRewardAccuracy, metric::kRewardFormat})
        QVERIFY2(keys.contains(QLatin1String(k)), k);

    page.refreshAll();
    viz::MetricChart* loss = page.chart(QStringLiteral("loss"));
    QVERIFY(loss);
    QCOMPARE(loss->title(), MetricCatalog::title(QStringLiteral("loss")));
    // Right-click opens the export menu (this chart through the export dialog, or all).
    QCOMPARE(loss->contextMenuPolicy(), Qt::CustomContextMenu);
    QCOMPARE(loss->data().runs().size(), std::size_t(1));
    const viz::MetricPlotData::Run& run = loss->data().runs().front();
    QCOMPARE(run.runId, int(m_a));
    QVERIFY(run.name.contains(QStringLiteral("aux_free G=8")));
    QCOMPARE(run.series.size(), std::size_t(120));
    for (int s = 0; s < 120; s += 17)
        QCOMPARE(run.series.values[std::size_t(s)],
                 testdata::makeReport(m_a, s, 40).scalars.at(metric::kLoss));
    // GRPO metrics only exist after the SFT stage (steps >= 40).
    const viz::MetricPlotData::Run& kl = page.chart(QStringLiteral("kl"))->data().runs().front();
    QCOMPARE(kl.series.steps.front(), 40.0);
    QCOMPARE(kl.series.size(), std::size_t(80));
}

void TestTrainingPage::overlayAndControls() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    TrainingPage page;
    page.setHub(&hub);
    QVERIFY(hub.setCurrentRun(m_a));
    QVERIFY(hub.addOverlay(m_b));
    QVERIFY(waitForReads(*hub.reader()));
    page.refreshAll();
    viz::MetricChart* reward = page.chart(QStringLiteral("reward"));
    QCOMPARE(reward->data().runs().size(), std::size_t(2));
    QVERIFY(viz::runColor(int(m_a)) != viz::runColor(int(m_b)));
    // The runs bar names both; the overlay has a remove button.
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("runChip_%1").arg(m_a)));
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("runChip_%1").arg(m_b)));
    QVERIFY(!page.findChild<QToolButton*>(QStringLiteral("removeOverlay_%1").arg(m_a)));

    // Smoothing: every per-step chart gets the weight; the smoothed curve is the debiased
    // EMA. Held-out evaluations (a point every N steps) stay unsmoothed.
    page.setSmoothing(0.9);
    QCOMPARE(page.findChild<QSlider*>(QStringLiteral("smoothingSlider"))->value(), 90);
    int sparse = 0;
    for (const QString& key : page.chartKeys()) {
        const bool isEval = key.startsWith(QStringLiteral("eval/"));
        sparse += isEval;
        QCOMPARE(page.chart(key)->smoothing(), isEval ? 0.0 : 0.9);
    }
    QVERIFY(sparse > 0);
    const viz::MetricPlotData::Run& r = reward->data().runs().front();
    QCOMPARE(r.smoothed, viz::emaSmooth(r.series.values, 0.9));
    page.setWallTimeAxis(true);
    page.setLogY(true);
    for (const QString& key : page.chartKeys()) {
        QCOMPARE(page.chart(key)->xAxisMode(), viz::XAxisMode::WallTime);
        QVERIFY(page.chart(key)->logY());
    }
    page.setLogY(false);
    page.setWallTimeAxis(false);

    // Filter by key or title.
    page.setFilter(QStringLiteral("accuracy"));
    const QStringList visible = page.visibleChartKeys();
    QVERIFY(visible.contains(QStringLiteral("eval/accuracy")));
    QVERIFY(visible.contains(QStringLiteral("rewards/accuracy")));
    QVERIFY(!visible.contains(QStringLiteral("loss")));
    // Alternatives split by '|' (the --metrics launch option uses the same box).
    page.setFilter(QStringLiteral(" Held-out accuracy (greedy) | grad_norm"));
    QCOMPARE(page.visibleChartKeys(),
             (QStringList{QStringLiteral("eval/accuracy"), QStringLiteral("grad_norm")}));
    page.setFilter(QString());
    QCOMPARE(page.visibleChartKeys(), page.chartKeys());
    // A regular expression between slashes.
    page.setFilter(QStringLiteral("/^eval/acc/"));
    QCOMPARE(page.visibleChartKeys(), QStringList{QStringLiteral("eval/accuracy")});

    // Clear View: the current run alone, no filter, y axes on all values.
    page.setYRangeMode(viz::YRangeMode::StartAtZero);
    page.findChild<QPushButton*>(QStringLiteral("clearViewButton"))->click();
    QCOMPARE(hub.shownRuns(), QList<qint64>{m_a});
    QCOMPARE(page.visibleChartKeys(), page.chartKeys());
    QCOMPARE(page.viewState().value(QStringLiteral("yRange")).toInt(), 0);
    QVERIFY(hub.addOverlay(m_b));
    QVERIFY(waitForReads(*hub.reader()));

    // Removing the overlay from the runs bar leaves only the current run.
    auto* remove = page.findChild<QToolButton*>(QStringLiteral("removeOverlay_%1").arg(m_b));
    QVERIFY(remove);
    remove->click();
    page.refreshAll();
    QCOMPARE(hub.shownRuns(), QList<qint64>{m_a});
    QCOMPARE(page.chart(QStringLiteral("reward"))->data().runs().size(), std::size_t(1));
}

void TestTrainingPage::linkedZoom() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    TrainingPage page;
    page.setHub(&hub);
    QVERIFY(hub.setCurrentRun(m_a));
    QVERIFY(waitForReads(*hub.reader()));
    page.resize(1400, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.refreshAll();
    viz::MetricChart* loss = page.chart(QStringLiteral("loss"));
    viz::MetricChart* lr = page.chart(QStringLiteral("learning_rate"));
    loss->zoomToRange(20.0, 60.0, 0.0, 5.0);
    double x0, x1, y0, y1;
    lr->visibleRange(&x0, &x1, &y0, &y1);
    QCOMPARE(x0, 20.0);
    QCOMPARE(x1, 60.0);
    QVERIFY(!lr->isAutoRange());
    // y follows the data visible in that x range: the lr values of steps 20..60.
    QVERIFY(y0 <= 1e-4 && y1 >= 2e-3 && y1 < 3e-3);
    page.resetZoom();
    for (const QString& key : page.chartKeys()) QVERIFY(page.chart(key)->isAutoRange());
    // Unlinked: the others keep their range.
    page.findChild<QCheckBox*>(QStringLiteral("linkXCheck"))->setChecked(false);
    loss->zoomToRange(10.0, 30.0, 0.0, 5.0);
    QVERIFY(lr->isAutoRange());
}

void TestTrainingPage::rendersNotBlank() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    TrainingPage page;
    page.setHub(&hub);
    QVERIFY(hub.setCurrentRun(m_a));
    QVERIFY(hub.addOverlay(m_b));
    QVERIFY(waitForReads(*hub.reader()));
    page.resize(1400, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    // Visible charts are brought up to date after the layout settles.
    QTRY_VERIFY(seriesSize(page, QStringLiteral("reward")) > 0);
    QTest::qWait(100);
    const QImage image = page.grab().toImage();
    image.save(m_dir + QStringLiteral("/training_page.png"));
    QVERIFY(greyStdDev(image) > 10.0);
    // Both runs' smoothed curves are drawn in their own colours.
    QVERIFY2(pixelsNear(image, viz::runColor(int(m_a))) > 300,
             qPrintable(QString::number(pixelsNear(image, viz::runColor(int(m_a))))));
    QVERIFY(pixelsNear(image, viz::runColor(int(m_b))) > 300);
}

void TestTrainingPage::liveStepsReachVisibleCharts() {
    const QString db = m_dir + QStringLiteral("/live.db");
    QFile::remove(db);
    qint64 id = 0;
    {
        RunStore store(db.toStdString());
        NewRun run;
        run.name = "live";
        run.kind = "pipeline";
        id = store.create_run(run);
    }
    MetricsHub hub;
    hub.setDatabase(db);
    TrainingPage page;
    page.setHub(&hub);
    page.resize(1400, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    for (qint64 s = 0; s < 50; ++s) hub.on_step(testdata::makeReport(id, s, 10));
    hub.flush();
    QVERIFY(hub.setCurrentRun(id));
    QTRY_VERIFY(page.chart(QStringLiteral("reward")));
    QTRY_COMPARE(seriesSize(page, QStringLiteral("loss")), std::size_t(50));

    // Hidden page: steps are kept, charts wait.
    page.hide();
    for (qint64 s = 50; s < 80; ++s) hub.on_step(testdata::makeReport(id, s, 10));
    hub.flush();
    QTest::qWait(50);
    QCOMPARE(seriesSize(page, QStringLiteral("loss")), std::size_t(50));
    page.show();
    QTRY_COMPARE(seriesSize(page, QStringLiteral("loss")), std::size_t(80));
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("runChip_%1").arg(id))
                ->text()
                .contains(QStringLiteral("step 79")));
}

void TestTrainingPage::hundredThousandStepsStayDecimated() {
    MetricsHub hub;
    TrainingPage page;
    page.setHub(&hub);
    page.resize(1400, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    constexpr qint64 kSteps = 100000;
    for (qint64 s = 0; s < kSteps; ++s) {
        StepReport r;
        r.run_id = 7;
        r.step = s;
        r.wall_time = 0.05 * double(s);
        r.scalars[metric::kLoss] = 2.0 * std::exp(-double(s) / 20000.0) + 0.1 * std::sin(s * 0.1);
        r.scalars[metric::kReward] = s == 61234 ? 50.0 : 0.5 + 0.1 * std::cos(s * 0.01);
        hub.on_step(r);
    }
    hub.flush();
    QVERIFY(hub.setCurrentRun(7));
    QElapsedTimer timer;
    timer.start();
    page.refreshAll();
    const qint64 refreshMs = timer.elapsed();
    viz::MetricChart* reward = page.chart(QStringLiteral("reward"));
    QVERIFY(reward);
    // Held thinned (the hub's point budget), the spike among the points kept.
    QVERIFY(reward->data().runs().front().thinned);
    QVERIFY(reward->data().runs().front().series.size() <= 2 * hub.pointBudget() + 1);
    QTest::qWait(100);
    // What is drawn is decimated to about two points per pixel column, and keeps the spike.
    const QList<QPointF> raw = reward->drawnPoints(7, false);
    QVERIFY2(raw.size() > 100 && raw.size() < 2 * 1400 + 8,
             qPrintable(QString::number(raw.size())));
    bool spike = false;
    for (const QPointF& p : raw) spike = spike || p.y() == 50.0;
    QVERIFY(spike);
    timer.restart();
    reward->zoomBy(0.5, QPointF(200, 150));
    reward->panBy(QPointF(-40, 0));
    reward->showHoverAt(QPointF(250, 150));
    const qint64 interactMs = timer.elapsed();
    QVERIFY(!reward->hoverText().isEmpty());
    qInfo("100k steps x 2 metrics: refresh %lld ms; zoom + pan + hover %lld ms", refreshMs,
          interactMs);
}

namespace {

// Resident memory of this process (Linux), in bytes; 0 when it cannot be read.
double residentBytes() {
    QFile status(QStringLiteral("/proc/self/statm"));
    if (!status.open(QIODevice::ReadOnly)) return 0.0;
    const QList<QByteArray> fields = status.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * 4096.0 : 0.0;
}

}  // namespace

// The memory figure the README quotes: a run of 100,000 steps x 50 metrics,
// streamed live into the hub and shown on the Training page, all 50 charts drawn.
void TestTrainingPage::longRunHeldInBoundedMemory() {
    const double rssBefore = residentBytes();
    MetricsHub hub;
    TrainingPage page;
    page.setHub(&hub);
    page.resize(1280, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    constexpr qint64 kSteps = 100000;
    constexpr int kMetrics = 50;
    std::vector<std::string> keys;
    for (int m = 0; m < kMetrics; ++m) keys.push_back("probe/m" + std::to_string(100 + m));
    QElapsedTimer timer;
    timer.start();
    for (qint64 s = 0; s < kSteps; ++s) {
        StepReport r;
        r.run_id = 9;
        r.step = s;
        r.wall_time = 0.01 * double(s);
        for (int m = 0; m < kMetrics; ++m)
            r.scalars[keys[std::size_t(m)]] = std::sin(s * 1e-3 * (m + 1));
        hub.on_step(r);
        if (s % 2000 == 1999) hub.flush();  // as the 50 ms timer would
    }
    hub.flush();
    const qint64 streamMs = timer.elapsed();
    QVERIFY(hub.setCurrentRun(9));
    page.refreshAll();
    QCOMPARE(page.chartKeys().size(), kMetrics);
    std::size_t chartBytes = 0;
    for (const QString& key : page.chartKeys()) chartBytes += page.chart(key)->data().heldBytes();
    const double mb = 1024.0 * 1024.0;
    const double rssAfter = residentBytes();
    qInfo(
        "100k steps x 50 metrics: hub %.1f MB, charts %.1f MB, resident +%.0f MB; streamed in "
        "%lld ms",
        double(hub.heldBytes()) / mb, double(chartBytes) / mb, (rssAfter - rssBefore) / mb,
        streamMs);
    // Held in full it would be 24 B per point in the hub and 40 B in each chart: 305 MB.
    QVERIFY(double(hub.heldBytes() + chartBytes) < 100.0 * mb);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // (A sanitizer's allocator keeps freed blocks in quarantine: resident memory there says
    // nothing about what the window holds.)
    if (rssBefore > 0.0) QVERIFY((rssAfter - rssBefore) < 100.0 * mb);
#endif
}

// A stored run held thinned: a chart zoomed into a stretch reads its every point from the
// store, and a CSV export writes every stored point, not the thinned ones.
void TestTrainingPage::zoomAndCsvReadEveryPointFromStore() {
    const QString db = m_dir + QStringLiteral("/thinned.db");
    QFile::remove(db);
    constexpr qint64 kSteps = 3000;
    qint64 id = 0;
    {
        RunStore store(db.toStdString());
        id = testdata::storeRun(store, "long", kSteps);
    }
    MetricsHub hub;
    hub.setPointBudget(100);
    hub.setDatabase(db);
    TrainingPage page;
    page.setHub(&hub);
    page.resize(1400, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(hub.setCurrentRun(id));
    QVERIFY(waitForReads(*hub.reader()));
    QVERIFY(hub.run(id)->isThinned(QStringLiteral("loss")));
    page.refreshAll();
    viz::MetricChart* loss = page.chart(QStringLiteral("loss"));
    QVERIFY(loss);
    const std::size_t thinnedSize = loss->data().run(int(id))->series.size();
    QVERIFY(thinnedSize <= 201);

    loss->zoomToRange(1000, 1200, 0.0, 10.0);
    QTRY_VERIFY(loss->data().detailCovers(int(id), 1000, 1200));
    const viz::MetricSeries& shown = loss->data().run(int(id))->series;
    std::size_t inRange = 0;
    for (double step : shown.steps) inRange += (step >= 1000 && step <= 1200) ? 1 : 0;
    QCOMPARE(inRange, std::size_t(201));
    loss->resetZoom();
    QCOMPARE(loss->data().run(int(id))->series.size(), thinnedSize);

    QString csv;
    QTextStream out(&csv);
    loss->writeCsv(out);
    out.flush();
    QCOMPARE(csv.count(QLatin1Char('\n')), kSteps + 1);  // header + every stored step
}

namespace {

// The page on a stored database with its hub, sized; show() makes a run current and waits
// until its series are read.
struct PageOnDatabase {
    MetricsHub hub;
    TrainingPage page;
    PageOnDatabase(const QString& db, QSize size) {
        hub.setDatabase(db);
        page.setHub(&hub);
        page.resize(size);
    }
    bool show(qint64 runId) { return hub.setCurrentRun(runId) && waitForReads(*hub.reader()); }
};

std::pair<double, double> yRangeOf(const viz::MetricChart* chart) {
    double x0, x1, y0, y1;
    chart->visibleRange(&x0, &x1, &y0, &y1);
    return {y0, y1};
}

}  // namespace

void TestTrainingPage::yRangesFixedSharedAndPerChart() {
    PageOnDatabase on(m_db, QSize(1400, 900));
    MetricsHub& hub = on.hub;
    TrainingPage& page = on.page;
    QVERIFY(on.show(m_a));
    page.setFilter(QStringLiteral("loss|tokens_per_second|eval/accuracy"));
    page.refreshAll();
    const auto loss = [&] { return page.chart(QStringLiteral("loss")); };
    const auto speed = [&] { return page.chart(QStringLiteral("tokens_per_second")); };

    page.setFixedYRange(-1.0, 3.0);
    page.refreshAll();
    QCOMPARE(yRangeOf(loss()), std::make_pair(-1.0, 3.0));
    QCOMPARE(yRangeOf(speed()), std::make_pair(-1.0, 3.0));

    // Shared: one range for every shown chart, holding each chart's every value (the stored
    // values, read here from the fixture, not from the charts).
    page.setSharedYRange();
    page.refreshAll();
    const auto shared = yRangeOf(loss());
    QCOMPARE(yRangeOf(speed()), shared);
    QCOMPARE(yRangeOf(page.chart(QStringLiteral("eval/accuracy"))), shared);
    double lo = 1e300, hi = -1e300;
    for (int s = 0; s < 120; ++s) {
        const StepReport r = testdata::makeReport(m_a, s, 40);
        for (const char* k : {metric::kLoss, metric::kTokensPerSecond, metric::kEvalAccuracy})
            if (r.scalars.count(k)) {
                lo = std::min(lo, r.scalars.at(k));
                hi = std::max(hi, r.scalars.at(k));
            }
    }
    QVERIFY(shared.first <= lo && shared.first > lo - 0.1 * (hi - lo));
    QVERIFY(shared.second >= hi && shared.second < hi + 0.1 * (hi - lo));

    // A chart of its own: loss from zero, out of the shared range (which then no longer
    // has to hold loss values: it is the speed and accuracy charts' alone).
    page.setChartYRange(QStringLiteral("loss"),
                        TrainingPage::ChartYRange{viz::YRangeMode::Fixed, 0.0, 4.0});
    page.refreshAll();
    QCOMPARE(yRangeOf(loss()), std::make_pair(0.0, 4.0));
    QCOMPARE(yRangeOf(speed()), shared);

    // Everything survives the view state's round trip (what the window stores per database).
    const QVariantMap view = page.viewState();
    TrainingPage again;
    again.setHub(&hub);
    again.resize(1400, 900);
    again.restoreViewState(view);
    again.refreshAll();
    QVERIFY(again.isYRangeShared());
    QCOMPARE(again.chartYRange(QStringLiteral("loss"))->max, 4.0);
    QCOMPARE(yRangeOf(again.chart(QStringLiteral("loss"))), std::make_pair(0.0, 4.0));
    QCOMPARE(yRangeOf(again.chart(QStringLiteral("tokens_per_second"))), shared);
    again.clearView();
    QVERIFY(!again.chartYRange(QStringLiteral("loss")));
    QVERIFY(!again.isYRangeShared());
}

void TestTrainingPage::logXLeavesStepZeroOut() {
    PageOnDatabase on(m_db, QSize(1400, 900));
    TrainingPage& page = on.page;
    QVERIFY(on.show(m_a));
    page.setLogX(true);
    page.refreshAll();
    viz::MetricChart* loss = page.chart(QStringLiteral("loss"));
    QVERIFY(loss->logX());
    double x0, x1, y0, y1;
    loss->visibleRange(&x0, &x1, &y0, &y1);
    QCOMPARE(x0, 1.0);  // whole decades: steps 1..119 -> 1..1000
    QCOMPARE(x1, 1000.0);
    const QList<QPointF> points = loss->drawnPoints(int(m_a), false);
    QCOMPARE(points.size(), 119);  // every step but 0
    QCOMPARE(points.front().x(), 1.0);
    QCOMPARE(page.viewState().value(QStringLiteral("logX")).toBool(), true);
}

void TestTrainingPage::stackedPlotAreasLineUp() {
    // Two columns: the first and third chart stand stacked.
    PageOnDatabase on(m_db, QSize(1000, 1400));
    TrainingPage& page = on.page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(on.show(m_a));
    page.setFilter(QStringLiteral("loss|tokens_per_second|learning_rate"));
    page.refreshAll();
    QList<viz::MetricChart*> charts;
    for (const QString& key : page.visibleChartKeys()) charts << page.chart(key);
    QCOMPARE(charts.size(), 3);
    // The y labels differ in width ("0.5", "5200", "0.0015"), so their plot areas would not
    // start at the same x on their own...
    const auto naturalSpread = [&] {
        double lo = 1e9, hi = -1e9;
        for (const viz::MetricChart* c : charts) {
            lo = std::min(lo, c->naturalPlotLeft());
            hi = std::max(hi, c->naturalPlotLeft());
        }
        return hi - lo;
    };
    QTRY_VERIFY(naturalSpread() > 4.0);
    // ... and once laid out they do: in chart coordinates (the charts of one grid column have
    // the same x and width), so the plot areas of stacked charts start at the same page x.
    const auto alignedSpread = [&] {
        double lo = 1e9, hi = -1e9;
        for (const viz::MetricChart* c : charts) {
            lo = std::min(lo, c->chart()->plotArea().left());
            hi = std::max(hi, c->chart()->plotArea().left());
        }
        return hi - lo;
    };
    QTRY_VERIFY(alignedSpread() < 1.0);
    QCOMPARE(charts[0]->mapTo(&page, QPoint(0, 0)).x(), charts[2]->mapTo(&page, QPoint(0, 0)).x());
}

void TestTrainingPage::fixedRangeDialogRefusesBadLimits() {
    YRangeDialog dialog(QStringLiteral("every chart"), 0.0, 1.0, false);
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(dialog.isValid() && ok->isEnabled());
    dialog.setRange(2.0, 1.0);
    QVERIFY(!dialog.isValid() && !ok->isEnabled());
    QVERIFY(!dialog.findChild<QLabel*>(QStringLiteral("yRangeProblem"))->text().isEmpty());
    YRangeDialog log(QStringLiteral("every chart"), 0.0, 10.0, true);
    QVERIFY(!log.isValid());  // a log axis cannot start at 0
    log.setRange(0.01, 10.0);
    QVERIFY(log.isValid());
    QCOMPARE(log.minimum(), 0.01);
}

void TestTrainingPage::constantLargeValuesDoNotHang() {
    // Two equal values far from 0 (e.g. the completion length at its budget): Qt Charts first
    // widens the axis to a few ulps around the value; the tick step must not drop below them.
    MetricsHub hub;
    TrainingPage page;
    page.setHub(&hub);
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    for (qint64 s = 1; s <= 2; ++s) {
        StepReport r;
        r.run_id = 3;
        r.step = s;
        r.wall_time = double(s);
        r.scalars[metric::kMeanLength] = 830.88;
        r.scalars[metric::kTokensPerSecond] = 123456.789;
        hub.on_step(r);
    }
    hub.flush();
    QVERIFY(hub.setCurrentRun(3));
    QTRY_COMPARE(seriesSize(page, QString::fromLatin1(metric::kMeanLength)), std::size_t(2));
    viz::MetricChart* chart = page.chart(QString::fromLatin1(metric::kMeanLength));
    double x0, x1, y0, y1;
    chart->visibleRange(&x0, &x1, &y0, &y1);
    QVERIFY(y0 < 830.88 && y1 > 830.88);
    QVERIFY(y1 - y0 > 1.0);  // padded around the value, not a range of a few ulps
}

QTEST_MAIN(TestTrainingPage)
#include "test_training_page.moc"
