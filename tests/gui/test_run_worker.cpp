// RunWorker and RunController on a shrunken model (steps take milliseconds): a run in its
// own thread delivers progress and every stored step through the hub; it can be paused
// (no steps while paused), resumed and stopped (completed steps kept, status "stopped");
// failures (unwritable database, NaN parameters on resume) report their error and mark the
// run failed; the controller's state machine and its clean shutdown while a run is active.
#include <QDir>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <limits>
#include <map>

#include "core/checkpoint.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/live/run_worker.h"
#include "tests/fast_run_config.h"
#include "training/run_store.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

TrainConfig tinyConfig(std::int64_t sftSteps) {
    TrainConfig c = testing::fast_run_config(sftSteps);
    c.eval.n = 4;
    c.eval.every_sft = 5;
    c.threads = 1;
    c.seed = 5;
    return c;
}

QString freshDir(const QString& name) {
    const QString dir =
        QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_run_worker/") + name;
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    return dir;
}

// A worker whose run goes on a thread of its own, as the controller runs it, with the hub as
// its sink; the worker itself stays on the test's thread, which receives its signals.
struct ThreadedWorker {
    RunWorker* worker;
    QThread* thread;
    explicit ThreadedWorker(RunWorker* w, MetricsHub* hub)
        : worker(w), thread(QThread::create([w] { w->start(); })) {
        worker->addSink(hub);
    }
    ~ThreadedWorker() {
        worker->requestStop();
        thread->wait();
        worker->deliverReports();  // as the controller does before it deletes the worker
        delete thread;
        delete worker;
    }
};

}  // namespace

class TestRunWorker : public QObject {
    Q_OBJECT

  private slots:
    void completesAndReportsProgress();
    void pauseResumeStop();
    void unwritableDatabaseFails();
    void nanOnResumeFailsKeepingSteps();
    void controllerStatesAndShutdown();
};

void TestRunWorker::completesAndReportsProgress() {
    const QString db = freshDir(QStringLiteral("complete")) + QStringLiteral("/runs.db");
    MetricsHub hub;
    hub.setDatabase(db);
    std::vector<qint64> received;
    connect(&hub, &MetricsHub::stepsArrived, this, [&](const QList<StepReport>& steps) {
        for (const StepReport& r : steps) received.push_back(r.step);
    });
    ThreadedWorker tw(new RunWorker(db, tinyConfig(12)), &hub);
    // The run goes on its own thread; what it reports arrives on the worker's (this) thread.
    QThread* finishedOn = nullptr;
    connect(
        tw.worker, &RunWorker::finished, this,
        [&finishedOn] { finishedOn = QThread::currentThread(); }, Qt::DirectConnection);
    QSignalSpy created(tw.worker, &RunWorker::runCreated);
    QSignalSpy progress(tw.worker, &RunWorker::progress);
    QSignalSpy finished(tw.worker, &RunWorker::finished);
    tw.thread->start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("completed"));
    QVERIFY(finished.first().at(1).toString().isEmpty());
    QCOMPARE(finishedOn, QThread::currentThread());
    QVERIFY(tw.thread->wait(10000));
    QCOMPARE(created.count(), 1);
    const qint64 id = created.first().at(0).toLongLong();
    QVERIFY(id > 0);
    QCOMPARE(tw.worker->runId(), id);
    // Progress is throttled but always ends with the last step of the pipeline.
    QVERIFY(progress.count() >= 1);
    const auto last = progress.last().at(0).value<RunProgressInfo>();
    QCOMPARE(last.runId, id);
    QCOMPARE(last.step, qint64(12));
    QCOMPARE(last.totalSteps, qint64(12));
    QCOMPARE(last.stage, QStringLiteral("sft"));
    // Every stored step reached the hub exactly once, in order.
    QTRY_COMPARE(received.size(), std::size_t(12));
    RunStore store(db.toStdString());
    const std::vector<std::int64_t> stored = store.steps(id);
    QCOMPARE(std::vector<qint64>(stored.begin(), stored.end()), received);
    QCOMPARE(store.run(id).status, RunStatus::completed);
    QCOMPARE(hub.run(id)->metrics.at(QStringLiteral("loss")).size(), std::size_t(12));
}

void TestRunWorker::pauseResumeStop() {
    const QString db = freshDir(QStringLiteral("pause")) + QStringLiteral("/runs.db");
    MetricsHub hub;
    hub.setDatabase(db);
    std::vector<qint64> received;
    connect(&hub, &MetricsHub::stepsArrived, this, [&](const QList<StepReport>& steps) {
        for (const StepReport& r : steps) received.push_back(r.step);
    });
    ThreadedWorker tw(new RunWorker(db, tinyConfig(100000)), &hub);
    QSignalSpy paused(tw.worker, &RunWorker::pausedChanged);
    QSignalSpy finished(tw.worker, &RunWorker::finished);
    tw.thread->start();
    QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 3, 30000);

    tw.worker->setPaused(true);
    QVERIFY(tw.worker->isPaused());
    QCOMPARE(paused.count(), 1);
    QCOMPARE(paused.first().at(0).toBool(), true);
    // The step in flight may still land; then nothing while paused.
    QTest::qWait(400);
    const std::size_t atPause = received.size();
    QTest::qWait(600);
    QCOMPARE(received.size(), atPause);
    QVERIFY(finished.isEmpty());

    tw.worker->setPaused(false);
    QCOMPARE(paused.last().at(0).toBool(), false);
    QTRY_VERIFY_WITH_TIMEOUT(received.size() >= atPause + 3, 30000);

    tw.worker->requestStop();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("stopped"));
    hub.flush();
    const qint64 id = tw.worker->runId();
    RunStore store(db.toStdString());
    QCOMPARE(store.run(id).status, RunStatus::stopped);
    // Completed steps are kept, contiguous from 1, and the hub saw exactly those.
    const std::vector<std::int64_t> stored = store.steps(id);
    QVERIFY(stored.size() >= atPause + 3);
    for (std::size_t i = 0; i < stored.size(); ++i) QCOMPARE(stored[i], std::int64_t(i + 1));
    QTRY_COMPARE(received.size(), stored.size());
    QCOMPARE(std::vector<qint64>(stored.begin(), stored.end()), received);
}

void TestRunWorker::unwritableDatabaseFails() {
    const QString db = freshDir(QStringLiteral("unwritable")) + QStringLiteral("/no/such/dir/x.db");
    MetricsHub hub;
    ThreadedWorker tw(new RunWorker(db, tinyConfig(3)), &hub);
    QSignalSpy created(tw.worker, &RunWorker::runCreated);
    QSignalSpy finished(tw.worker, &RunWorker::finished);
    tw.thread->start();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
    const QString error = finished.first().at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("x.db")), qPrintable(error));
    QCOMPARE(created.count(), 0);

    // Resuming a run that does not exist names it.
    const QString db2 = freshDir(QStringLiteral("missing")) + QStringLiteral("/runs.db");
    { RunStore store(db2.toStdString()); }
    ThreadedWorker tw2(new RunWorker(db2, qint64(42)), &hub);
    QSignalSpy finished2(tw2.worker, &RunWorker::finished);
    tw2.thread->start();
    QVERIFY(finished2.wait(30000));
    QCOMPARE(finished2.first().at(0).toString(), QStringLiteral("failed"));
    QVERIFY2(finished2.first().at(1).toString().contains(QStringLiteral("42")),
             qPrintable(finished2.first().at(1).toString()));
}

void TestRunWorker::nanOnResumeFailsKeepingSteps() {
    const QString db = freshDir(QStringLiteral("nan")) + QStringLiteral("/runs.db");
    qint64 id = 0;
    {
        // Stopped after step 3: the stop writes the checkpoint the resume starts from.
        struct StopAt3 : StepSink {
            RunLoop* loop = nullptr;
            void on_step(const StepReport& r) override {
                if (r.step == 3) loop->request_cancel();
            }
        } stopper;
        RunLoop loop(tinyConfig(20), db.toStdString());
        stopper.loop = &loop;
        loop.add_sink(&stopper);
        id = loop.create();
        QCOMPARE(loop.run(), RunStatus::stopped);
    }
    RunStore store(db.toStdString());
    const CheckpointInfo last = *store.latest_checkpoint(id);
    QCOMPARE(last.step, std::int64_t(3));
    // Poison the final norm: every logit of the resumed run becomes NaN.
    Checkpoint ck = load_checkpoint(last.path);
    ck.params.ptr("model.norm.weight")[0] = std::numeric_limits<float>::quiet_NaN();
    OptimizerStateView opt{
        &ck.optimizer->exp_avg, &ck.optimizer->exp_avg_sq, ck.optimizer->step, {}};
    save_checkpoint(last.path, ck.params, ck.tokenizer, &opt, ck.metadata);

    MetricsHub hub;
    hub.setDatabase(db);
    ThreadedWorker tw(new RunWorker(db, id), &hub);
    QSignalSpy finished(tw.worker, &RunWorker::finished);
    tw.thread->start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
    const QString error = finished.first().at(1).toString();
    QVERIFY2(!error.isEmpty(), "a failed run names its error");
    const RunInfo info = store.run(id);
    QCOMPARE(info.status, RunStatus::failed);
    QCOMPARE(QString::fromStdString(info.error), error);
    // The steps completed before the failure stay.
    QCOMPARE(store.steps(id), (std::vector<std::int64_t>{1, 2, 3}));
}

void TestRunWorker::controllerStatesAndShutdown() {
    const QString db = freshDir(QStringLiteral("controller")) + QStringLiteral("/runs.db");
    { RunStore store(db.toStdString()); }
    MetricsHub hub;
    hub.setDatabase(db);
    auto* controller = new RunController(&hub);
    QSignalSpy states(controller, &RunController::stateChanged);
    QSignalSpy started(controller, &RunController::runStarted);
    QSignalSpy current(&hub, &MetricsHub::currentRunChanged);
    QString error;
    QVERIFY(controller->startNew(db, tinyConfig(100000), &error));
    QCOMPARE(controller->state(), RunController::State::Running);
    // One run at a time.
    QVERIFY(!controller->startNew(db, tinyConfig(3), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(started.wait(30000));
    const qint64 id = started.first().at(0).toLongLong();
    // The new run becomes the current run of every page, and is live.
    QCOMPARE(hub.currentRun(), id);
    QCOMPARE(current.last().at(1).toLongLong(), id);
    QTRY_VERIFY_WITH_TIMEOUT(hub.run(id) && hub.run(id)->steps.size() >= 2, 30000);
    QVERIFY(hub.run(id)->live);

    controller->pause();
    QCOMPARE(controller->state(), RunController::State::Paused);
    controller->resumeRun();
    QCOMPARE(controller->state(), RunController::State::Running);

    // Destroying the controller while it trains stops the run cleanly.
    delete controller;
    RunStore store(db.toStdString());
    QCOMPARE(store.run(id).status, RunStatus::stopped);
    QVERIFY(!hub.run(id) || !hub.run(id)->live);
    // Running, Paused, Running, Stopping, Idle.
    QCOMPARE(states.count(), 5);
    QCOMPARE(states.last().at(0).value<RunController::State>(), RunController::State::Idle);
}

QTEST_MAIN(TestRunWorker)
#include "test_run_worker.moc"
