// ImportFollower: an import in the window writes its runs on the follower's thread and answers
// on the GUI thread; a followed log that another thread is writing reaches the hub as live
// steps within about a second; a log that starts over has its run read again; a path with no
// log writes nothing.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "gui/live/import_follower.h"
#include "gui/live/latency_probe.h"
#include "gui/live/metrics_hub.h"
#include "gui/pages/training_page.h"
#include "training/run_store.h"
#include "viz/metric_chart.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

QString freshDir(const QString& name) {
    QDir dir(QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_import_follower/") + name);
    dir.removeRecursively();
    dir.mkpath(QStringLiteral("."));
    return dir.path();
}

void append(const QString& file, const std::string& text) {
    std::ofstream(file.toStdString(), std::ios::app) << text;
}

std::string line(int step, double reward) {
    return "{\"step\": " + std::to_string(step) +
           ", \"data\": {\"critic/score/mean\": " + std::to_string(reward) + "}}\n";
}

}  // namespace

class TestImportFollower : public QObject {
    Q_OBJECT

  private slots:
    void importsTheFixturesOnce();
    void followsALogBeingWritten();
    void aPathWithoutALogWritesNothing();
    void theTrainingPageStaysResponsiveWhileFollowing();
};

void TestImportFollower::importsTheFixturesOnce() {
    const QString dir = freshDir(QStringLiteral("once"));
    const QString db = dir + QStringLiteral("/runs.db");
    MetricsHub hub;
    ImportFollower follower(&hub);
    QSignalSpy imported(&follower, &ImportFollower::imported);
    follower.import(db, QStringLiteral(TINYSEEK_SOURCE_DIR "/tests/imports/data"), false);
    QVERIFY(imported.wait(10000));
    const auto ids = imported.at(0).at(1).value<QList<qint64>>();
    QCOMPARE(ids.size(), 3);
    const QString report = imported.at(0).at(2).toString();
    QVERIFY2(report.contains(QStringLiteral("verl: gsm8k_grpo")), qPrintable(report));
    QCOMPARE(follower.followedCount(), 0);
    const RunStore store(db.toStdString(), {.read_only = true});
    QCOMPARE(store.list_runs().size(), std::size_t(3));
    for (const RunInfo& run : store.list_runs()) QCOMPARE(run.status, RunStatus::completed);
}

void TestImportFollower::followsALogBeingWritten() {
    const QString dir = freshDir(QStringLiteral("follow"));
    const QString db = dir + QStringLiteral("/runs.db");
    const QString log = dir + QStringLiteral("/live.jsonl");
    append(log, line(1, 0.1));
    MetricsHub hub;
    hub.setDatabase(db);
    ImportFollower follower(&hub);
    QSignalSpy imported(&follower, &ImportFollower::imported);
    follower.import(db, log, true);
    QVERIFY(imported.wait(10000));
    const qint64 runId = imported.at(0).at(1).value<QList<qint64>>().front();
    QCOMPARE(follower.followedCount(), 1);
    // Another thread writes steps 2-40, half a line at a time.
    std::thread writer([&log] {
        for (int step = 2; step <= 40; ++step) {
            const std::string l = line(step, 0.5);
            append(log, l.substr(0, l.size() / 2));
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            append(log, l.substr(l.size() / 2));
        }
    });
    writer.join();
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(hub.run(runId) && hub.run(runId)->lastStep() == 40, 5000);
    // One poll interval and a flush, with slack for a loaded machine.
    QVERIFY2(clock.elapsed() < 2 * ImportFollower::kPollIntervalMs + 500,
             qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(hub.run(runId)->metrics.at(QStringLiteral("reward")).size(), 39);  // live: 2-40
    // The log starts over (a resumed verl run truncates it): the run is rewritten and reread.
    QSignalSpy rewritten(&follower, &ImportFollower::runRewritten);
    std::ofstream(log.toStdString(), std::ios::trunc) << line(1, 0.9);
    QVERIFY(rewritten.wait(5000));
    QCOMPARE(rewritten.at(0).at(0).toLongLong(), runId);
    follower.stopAll();
    QTRY_COMPARE(follower.followedCount(), 0);
    const RunStore store(db.toStdString(), {.read_only = true});
    QCOMPARE(store.run(runId).status, RunStatus::stopped);
    QCOMPARE(store.steps(runId).size(), std::size_t(1));
}

void TestImportFollower::aPathWithoutALogWritesNothing() {
    const QString dir = freshDir(QStringLiteral("nothing"));
    const QString db = dir + QStringLiteral("/runs.db");
    QFile notes(dir + QStringLiteral("/notes.txt"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("hello\n");
    notes.close();
    MetricsHub hub;
    ImportFollower follower(&hub);
    QSignalSpy failed(&follower, &ImportFollower::failed);
    follower.import(db, dir, false);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("events.out.tfevents")));
    QVERIFY(!QFile::exists(db));
}

// A writer appends 20 metrics per step at about 2,000 steps a second (far beyond any real
// trainer) while the Training page draws the followed run: the GUI thread's
// event loop still answers within the live path's 50 ms bound.
void TestImportFollower::theTrainingPageStaysResponsiveWhileFollowing() {
    const QString dir = freshDir(QStringLiteral("latency"));
    const QString db = dir + QStringLiteral("/runs.db");
    const QString log = dir + QStringLiteral("/fast.jsonl");
    auto stepLine = [](int step) {
        std::string l = "{\"step\": " + std::to_string(step) + ", \"data\": {";
        for (int k = 0; k < 20; ++k) {
            l += (k ? ", \"" : "\"") + std::string(k == 0 ? "critic/score/mean" : "m") +
                 (k ? std::to_string(k) : "") + "\": " + std::to_string(0.001 * step + k);
        }
        return l + "}}\n";
    };
    append(log, stepLine(1));
    MetricsHub hub;
    hub.setDatabase(db);
    TrainingPage page;
    page.setHub(&hub);
    page.resize(1280, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    ImportFollower follower(&hub);
    QSignalSpy imported(&follower, &ImportFollower::imported);
    follower.import(db, log, true);
    QVERIFY(imported.wait(10000));
    const qint64 runId = imported.at(0).at(1).value<QList<qint64>>().front();
    QVERIFY(hub.setCurrentRun(runId));
    std::atomic<bool> stop{false};
    std::atomic<int> written{1};
    std::thread writer([&] {
        for (int step = 2; !stop; ++step) {
            append(log, stepLine(step));
            written = step;
            if (step % 2 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    LatencyProbe probe(10);
    probe.start();
    QTest::qWait(4 * ImportFollower::kPollIntervalMs);
    probe.stop();
    stop = true;
    writer.join();
    // Catching up on everything written: the writer runs flat out, so under ThreadSanitizer
    // this took 11.8 s once; the wait ends as soon as the last step arrives.
    QTRY_VERIFY_WITH_TIMEOUT(hub.run(runId) && hub.run(runId)->lastStep() == written.load(), 60000);
    const double worst = probe.maximum();
    qInfo("followed %d steps x 20 metrics; event-loop lateness p99 %.1f ms, max %.1f ms",
          written.load(), probe.percentile(99), worst);
    // The bound asserted is loose (a loaded CI machine; none under ThreadSanitizer, which slows
    // every access tenfold); the figure the note reports is the one measured above, against
    // the live path's 50 ms.
#if !defined(__SANITIZE_THREAD__) && !(defined(__has_feature) && __has_feature(thread_sanitizer))
    QVERIFY2(worst < 200.0, qPrintable(QString::number(worst)));
#endif
    follower.stopAll();
    // Redrawing every chart of the followed run (decimated, as for a local run).
    const int charts = int(page.findChildren<viz::MetricChart*>().size());
    QElapsedTimer timer;
    timer.start();
    page.refreshAll();
    qInfo("refresh of %d charts of %d steps: %.2f ms per chart", charts, written.load(),
          double(timer.nsecsElapsed()) / 1e6 / std::max(1, charts));
    QVERIFY(charts >= 20);
}

QTEST_MAIN(TestImportFollower)
#include "test_import_follower.moc"
