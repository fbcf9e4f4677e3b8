// MetricsHub: steps pushed from other threads much faster than the flush timer all arrive,
// exactly once and in order, in few batches, on the GUI thread; stored runs load into the
// same series; a re-run step replaces the tail; the shared selection (current run, overlays).
#include <QDir>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>
#include <vector>

#include "gui/live/metrics_hub.h"
#include "read_wait.h"
#include "run_fixture.h"
#include "training/run_store.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

StepReport scalarReport(qint64 runId, qint64 step) {
    StepReport r;
    r.run_id = runId;
    r.step = step;
    r.wall_time = 0.001 * static_cast<double>(step);
    r.scalars[metric::kLoss] = static_cast<double>(step);
    r.scalars[metric::kReward] = 2.0 * static_cast<double>(step) + static_cast<double>(runId);
    return r;
}

QString freshDb(const QString& name) {
    const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_metrics_hub");
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name;
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    return path;
}

}  // namespace

class TestMetricsHub : public QObject {
    Q_OBJECT

  private slots:
    void everyStepArrivesOnceInOrder();
    void storedRunLoadsIntoSameSeries();
    void rerunStepReplacesTail();
    void selectionAndCurrentRun();
    void unknownRunTakesNameFromDatabase();
    void longSeriesAreHeldThinned();
};

void TestMetricsHub::everyStepArrivesOnceInOrder() {
    MetricsHub hub;
    constexpr qint64 kSteps = 20000;
    hub.setPointBudget(kSteps);  // held in full: every value can be checked
    // Per run: the steps in the order the GUI received them.
    std::map<qint64, std::vector<qint64>> received;
    int batches = 0;
    bool allOnGuiThread = true;
    connect(&hub, &MetricsHub::stepsArrived, this, [&](const QList<StepReport>& steps) {
        ++batches;
        allOnGuiThread = allOnGuiThread && QThread::currentThread() == thread();
        for (const StepReport& r : steps) received[r.run_id].push_back(r.step);
    });

    // Two producers (e.g. a run and its control arm), each as fast as it can push.
    std::atomic<bool> go{false};
    auto produce = [&](qint64 runId) {
        while (!go.load()) std::this_thread::yield();
        for (qint64 s = 0; s < kSteps; ++s) hub.on_step(scalarReport(runId, s));
    };
    std::thread a(produce, 1);
    std::thread b(produce, 2);
    go.store(true);
    a.join();
    b.join();
    // The producers finished long before the first 50 ms timer tick could deliver much.
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<qint64>(received[1].size() + received[2].size()),
                              2 * kSteps, 10000);
    QTest::qWait(2 * MetricsHub::kFlushIntervalMs);
    QCOMPARE(static_cast<qint64>(received[1].size()), kSteps);
    QCOMPARE(static_cast<qint64>(received[2].size()), kSteps);
    for (qint64 run : {1, 2})
        for (qint64 s = 0; s < kSteps; ++s) QCOMPARE(received[run][std::size_t(s)], s);
    QVERIFY(allOnGuiThread);
    // Coalesced: a handful of batches, not one signal per step.
    QVERIFY2(batches >= 1 && batches < 200, qPrintable(QString::number(batches)));
    QCOMPARE(hub.flushCount(), qint64(batches));
    QCOMPARE(hub.pendingCount(), 0);

    // The series hold every value at full resolution.
    for (qint64 run : {1, 2}) {
        const HubRun* r = hub.run(run);
        QVERIFY(r);
        QVERIFY(r->live);
        const viz::MetricSeries& reward = r->metrics.at(QStringLiteral("reward"));
        QCOMPARE(reward.size(), std::size_t(kSteps));
        for (qint64 s = 0; s < kSteps; s += 997) {
            QCOMPARE(reward.steps[std::size_t(s)], double(s));
            QCOMPARE(reward.values[std::size_t(s)], 2.0 * double(s) + double(run));
        }
        QCOMPARE(r->steps.size(), std::size_t(kSteps));
        QCOMPARE(r->latest->step, kSteps - 1);
    }
}

void TestMetricsHub::storedRunLoadsIntoSameSeries() {
    const QString path = freshDb(QStringLiteral("load.db"));
    std::int64_t id = 0;
    {
        RunStore store(path.toStdString());
        id = testdata::storeRun(store, "stored run", 60);
    }
    MetricsHub hub;
    hub.setDatabase(path);
    QSignalSpy changed(&hub, &MetricsHub::runDataChanged);
    QString error;
    QVERIFY2(hub.loadRun(id, &error), qPrintable(error));
    QVERIFY(waitForReads(*hub.reader()));
    QCOMPARE(changed.count(), 1);
    const HubRun* run = hub.run(id);
    QVERIFY(run);
    QCOMPARE(run->name, QStringLiteral("stored run"));
    QCOMPARE(run->kind, QStringLiteral("pipeline"));
    QVERIFY(!run->live);
    QCOMPARE(run->steps.size(), std::size_t(60));
    // Same numbers as the reports that were stored.
    const viz::MetricSeries& loss = run->metrics.at(QString::fromLatin1(metric::kLoss));
    QCOMPARE(loss.size(), std::size_t(60));
    for (int s = 0; s < 60; ++s) {
        const StepReport r = testdata::makeReport(id, s, 20);
        QCOMPARE(loss.values[std::size_t(s)], r.scalars.at(metric::kLoss));
        QCOMPARE(loss.wallTimes[std::size_t(s)], r.wall_time);
    }
    // Evaluation runs every 10 steps: its series has only those points.
    const viz::MetricSeries& eval = run->metrics.at(QString::fromLatin1(metric::kEvalAccuracy));
    QCOMPARE(eval.size(), std::size_t(6));
    QCOMPARE(eval.steps.front(), 9.0);
    // The latest step comes back in full.
    QVERIFY(run->latest.has_value());
    QCOMPARE(run->latest->step, qint64(59));
    QCOMPARE(run->latest->expert_load, testdata::makeReport(id, 59, 20).expert_load);
    QVERIFY(hub.metricKeys({id}).contains(QStringLiteral("rewards/accuracy")));

    // A missing run is an error naming it, and nothing is added.
    QVERIFY(!hub.loadRun(id + 100, &error));
    QVERIFY2(error.contains(QString::number(id + 100)), qPrintable(error));
    QVERIFY(!hub.run(id + 100));
    // Without a database there is nothing to load from.
    MetricsHub empty;
    QVERIFY(!empty.loadRun(1, &error));
    QVERIFY(!error.isEmpty());
}

void TestMetricsHub::rerunStepReplacesTail() {
    // A resumed run re-runs the steps after its checkpoint: the hub keeps one value per step.
    MetricsHub hub;
    for (qint64 s = 0; s < 10; ++s) hub.on_step(scalarReport(5, s));
    hub.flush();
    for (qint64 s = 6; s < 9; ++s) {
        StepReport r = scalarReport(5, s);
        r.scalars[metric::kLoss] = -1.0 * double(s);
        hub.on_step(r);
    }
    hub.flush();
    const viz::MetricSeries& loss = hub.run(5)->metrics.at(QStringLiteral("loss"));
    QCOMPARE(loss.steps, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
    QCOMPARE(loss.values, (std::vector<double>{0, 1, 2, 3, 4, 5, -6, -7, -8}));
    QCOMPARE(hub.run(5)->steps.size(), std::size_t(9));
}

void TestMetricsHub::selectionAndCurrentRun() {
    const QString path = freshDb(QStringLiteral("selection.db"));
    std::int64_t a = 0, b = 0, c = 0;
    {
        RunStore store(path.toStdString());
        a = testdata::storeRun(store, "a", 15);
        b = testdata::storeRun(store, "b", 15);
        c = testdata::storeRun(store, "c", 15);
    }
    MetricsHub hub;
    QSignalSpy dbChanged(&hub, &MetricsHub::databaseChanged);
    hub.setDatabase(path);
    QCOMPARE(dbChanged.count(), 1);
    QSignalSpy current(&hub, &MetricsHub::currentRunChanged);
    QSignalSpy selection(&hub, &MetricsHub::selectionChanged);

    QVERIFY(hub.setCurrentRun(a));
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.last().at(0).toString(), path);
    QCOMPARE(current.last().at(1).toLongLong(), a);
    QVERIFY(hub.addOverlay(b));
    QVERIFY(hub.addOverlay(c));
    QVERIFY(hub.addOverlay(c));  // already there: no change
    QCOMPARE(hub.shownRuns(), (QList<qint64>{a, b, c}));
    QCOMPARE(selection.count(), 3);

    // Making an overlay current moves it to the front; the old current run is dropped.
    QVERIFY(hub.setCurrentRun(c));
    QCOMPARE(hub.shownRuns(), (QList<qint64>{c, b}));
    QVERIFY(!hub.run(a));
    hub.removeOverlay(b);
    QVERIFY(!hub.run(b));
    QCOMPARE(hub.shownRuns(), (QList<qint64>{c}));

    // A live run stays loaded when it is deselected.
    for (qint64 s = 0; s < 3; ++s) hub.on_step(scalarReport(a, 100 + s));
    hub.flush();
    QVERIFY(hub.run(a) && hub.run(a)->live);
    QVERIFY(hub.setCurrentRun(a));
    QVERIFY(hub.setCurrentRun(c));
    QVERIFY(hub.run(a));
    hub.setRunLive(a, false);
    QVERIFY(!hub.run(a));  // neither live nor shown any more

    // An unknown run cannot become current; the selection stays.
    QString error;
    QVERIFY(!hub.setCurrentRun(999, &error));
    QCOMPARE(hub.currentRun(), c);

    // Another database: everything goes.
    QSignalSpy removed(&hub, &MetricsHub::runRemoved);
    hub.setDatabase(freshDb(QStringLiteral("other.db")));
    QCOMPARE(hub.currentRun(), qint64(0));
    QVERIFY(hub.runIds().isEmpty());
    QCOMPARE(removed.count(), 1);
    QCOMPARE(current.last().at(1).toLongLong(), qint64(0));
}

void TestMetricsHub::unknownRunTakesNameFromDatabase() {
    // The RunLoop creates the control arm itself: its first step brings its name along.
    const QString path = freshDb(QStringLiteral("control.db"));
    std::int64_t id = 0;
    {
        RunStore store(path.toStdString());
        NewRun run;
        run.name = "addition control (sft)";
        run.kind = "control";
        id = store.create_run(run);
    }
    MetricsHub hub;
    hub.setDatabase(path);
    hub.on_step(scalarReport(id, 0));
    QTRY_VERIFY(hub.run(id));
    QVERIFY(waitForReads(*hub.reader()));
    QCOMPARE(hub.run(id)->name, QStringLiteral("addition control (sft)"));
    QCOMPARE(hub.run(id)->kind, QStringLiteral("control"));
}

// Past the point budget a series is thinned, live or loaded: it stays within the budget and
// keeps its extremes (the first and last steps here) while the store keeps every point.
void TestMetricsHub::longSeriesAreHeldThinned() {
    MetricsHub live;
    live.setPointBudget(200);
    for (qint64 s = 0; s < 10000; ++s) live.on_step(scalarReport(1, s));
    live.flush();
    const HubRun* run = live.run(1);
    QVERIFY(run && run->isThinned(QStringLiteral("loss")));
    const viz::MetricSeries& loss = run->metrics.at(QStringLiteral("loss"));
    QVERIFY(loss.size() <= 400);
    QCOMPARE(loss.values.front(), 0.0);  // loss = step: the lowest and highest values
    QCOMPARE(loss.values.back(), 9999.0);
    QCOMPARE(run->steps.size(), std::size_t(10000));  // the step list stays whole

    const QString path = freshDb(QStringLiteral("thinned.db"));
    std::int64_t id = 0;
    std::vector<double> stored;
    {
        RunStore store(path.toStdString());
        id = testdata::storeRun(store, "long", 1500);
        for (const MetricPoint& p : store.metric_series(id, metric::kReward))
            stored.push_back(p.value);
    }
    MetricsHub hub;
    hub.setPointBudget(100);
    hub.setDatabase(path);
    QVERIFY(hub.loadRun(id));
    QVERIFY(waitForReads(*hub.reader()));
    const viz::MetricSeries& reward = hub.run(id)->metrics.at(QStringLiteral("reward"));
    QVERIFY(hub.run(id)->isThinned(QStringLiteral("reward")));
    QVERIFY(reward.size() <= 201);
    QCOMPARE(*std::min_element(reward.values.begin(), reward.values.end()),
             *std::min_element(stored.begin(), stored.end()));
    QCOMPARE(*std::max_element(reward.values.begin(), reward.values.end()),
             *std::max_element(stored.begin(), stored.end()));
    QCOMPARE(reward.steps.back(), 1499.0);
    QVERIFY(hub.heldBytes() < 100 * 1024);
}

QTEST_MAIN(TestMetricsHub)
#include "test_metrics_hub.moc"
