// The window around a training run: closing during a run asks first and then stops cleanly;
// a failing run shows its error; a later launch reopens the last database and run; a stopped
// run resumes from the Runs page. (The demo run an empty database offers: test_demo_run.cpp.)
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "gui/app_settings.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/main_window.h"
#include "gui/pages/runs_page.h"
#include "read_wait.h"
#include "scratch_settings.h"
#include "tests/fast_run_config.h"
#include "training/run_loop.h"
#include "training/run_store.h"
#include "training/train_config.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

TrainConfig tinyConfig(std::int64_t sftSteps) {
    TrainConfig c = testing::fast_run_config(sftSteps);
    c.eval.n = 4;
    c.eval.every_sft = 5;
    c.threads = 1;
    c.name = "window test";
    return c;
}

// Clicks the button with `text` in the next modal dialog once it is shown.
void answerNextDialog(const QString& text) {
    QTimer::singleShot(50, [text] {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal) return answerNextDialog(text);
        for (QPushButton* b : modal->findChildren<QPushButton*>())
            if (b->text() == text) return b->click();
    });
}

}  // namespace

class TestRunWindow : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void init();
    void closingDuringRunAsksThenStops();
    void failureShowsError();
    void laterLaunchReopensLastRun();
    void resumeStoppedRunFromRunsPage();

  private:
    QString freshDb(const QString& name);
    QTemporaryDir m_settingsDir;
    QString m_dir;
};

void TestRunWindow::initTestCase() {
    QVERIFY(m_settingsDir.isValid());
    useScratchSettings(m_settingsDir.path(), QStringLiteral("test_run_window"));
    m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_run_window");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
}

void TestRunWindow::init() {
    QSettings().clear();
}

QString TestRunWindow::freshDb(const QString& name) {
    const QString path = m_dir + QLatin1Char('/') + name;
    RunStore store(path.toStdString());
    return path;
}

void TestRunWindow::closingDuringRunAsksThenStops() {
    const QString db = freshDb(QStringLiteral("close.db"));
    auto* window = new MainWindow;
    window->setPersistent(false);
    QVERIFY(window->openDatabase(db, false));
    window->show();
    QSignalSpy started(window->runController(), &RunController::runStarted);
    QVERIFY(window->startRun(tinyConfig(100000)));
    QVERIFY(started.wait(60000));
    const qint64 id = started.first().at(0).toLongLong();
    QTRY_VERIFY_WITH_TIMEOUT(
        window->metricsHub()->run(id) && window->metricsHub()->run(id)->steps.size() >= 2, 60000);

    // Cancel keeps the window and the run.
    answerNextDialog(QStringLiteral("Cancel"));
    QVERIFY(!window->close());
    QVERIFY(window->isVisible());
    QVERIFY(window->runController()->isActive());

    answerNextDialog(QStringLiteral("Stop and Quit"));
    QVERIFY(window->close());
    QVERIFY(!window->runController()->isActive());
    delete window;
    RunStore store(db.toStdString());
    QCOMPARE(store.run(id).status, RunStatus::stopped);
    const std::vector<std::int64_t> steps = store.steps(id);
    QVERIFY(steps.size() >= 2);
    for (std::size_t i = 0; i < steps.size(); ++i) QCOMPARE(steps[i], std::int64_t(i + 1));
}

void TestRunWindow::failureShowsError() {
    const QString db = freshDb(QStringLiteral("fail.db"));
    MainWindow window;
    window.setPersistent(false);
    QVERIFY(window.openDatabase(db, false));
    window.show();
    TrainConfig bad = tinyConfig(5);
    bad.grpo.group_size = 1;  // refused by TrainConfig::validate in the worker
    bad.pipeline = {Stage::sft, Stage::grpo};
    QSignalSpy finished(window.runController(), &RunController::runFinished);
    QVERIFY(window.startRun(bad));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("failed"));
    const QString error = finished.first().at(2).toString();
    QVERIFY2(error.contains(QStringLiteral("group_size")), qPrintable(error));
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox*>(QStringLiteral("runFailedMessage"))));
    QVERIFY(box->isVisible());
    QVERIFY(box->text().contains(QStringLiteral("group_size")));
    box->close();
    QVERIFY(window.startAction()->isEnabled());
}

void TestRunWindow::laterLaunchReopensLastRun() {
    const QString db = freshDb(QStringLiteral("reopen.db"));
    qint64 first = 0, second = 0;
    {
        RunStore store(db.toStdString());
        NewRun r;
        r.name = "first";
        r.kind = "sft";
        first = store.create_run(r);
        r.name = "second";
        second = store.create_run(r);
    }
    {
        MainWindow window;  // persistent, as a normal launch
        QVERIFY(window.openDatabase(db, false));
        QVERIFY(waitForReads(*window.metricsHub()->reader()));
        // Nothing remembered yet: the newest run is shown.
        QCOMPARE(window.currentRunId(), second);
        QVERIFY(window.metricsHub()->setCurrentRun(first));
    }
    QCOMPARE(AppSettings().lastDatabase(), QFileInfo(db).absoluteFilePath());
    QCOMPARE(AppSettings().lastRun(QFileInfo(db).absoluteFilePath()), first);
    MainWindow next;
    QSignalSpy current(&next, &MainWindow::currentRunChanged);
    QVERIFY(next.openDatabase(AppSettings().lastDatabase(), false));
    QVERIFY(waitForReads(*next.metricsHub()->reader()));
    QCOMPARE(next.currentRunId(), first);
    QCOMPARE(current.last().at(1).toLongLong(), first);
}

void TestRunWindow::resumeStoppedRunFromRunsPage() {
    const QString db = m_dir + QStringLiteral("/resume.db");
    qint64 id = 0;
    {
        // Stopped after step 3; the stop writes the checkpoint the resume continues from.
        struct StopAt3 : StepSink {
            RunLoop* loop = nullptr;
            void on_step(const StepReport& r) override {
                if (r.step == 3) loop->request_cancel();
            }
        } stopper;
        RunLoop loop(tinyConfig(8), db.toStdString());
        stopper.loop = &loop;
        loop.add_sink(&stopper);
        id = loop.create();
        QCOMPARE(loop.run(), RunStatus::stopped);
    }
    MainWindow window;
    window.setPersistent(false);
    QVERIFY(window.openDatabase(db, false));
    QVERIFY(waitForReads(*window.metricsHub()->reader()));
    auto* runs = qobject_cast<RunsPage*>(window.page(QStringLiteral("runs")));
    runs->selectRun(id);
    auto* resume = runs->findChild<QPushButton*>(QStringLiteral("resumeRunButton"));
    QVERIFY(resume && resume->isEnabled());
    QSignalSpy finished(window.runController(), &RunController::runFinished);
    resume->click();
    QVERIFY(window.runController()->isActive());
    QVERIFY(!resume->isEnabled());  // one run at a time
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("completed"));
    QCOMPARE(finished.first().at(0).toLongLong(), id);
    RunStore store(db.toStdString());
    QCOMPARE(store.run(id).status, RunStatus::completed);
    QCOMPARE(store.steps(id), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
    // The hub holds the whole run: the stored steps and the resumed ones, once each.
    QCOMPARE(window.currentRunId(), id);
    QCOMPARE(window.metricsHub()->run(id)->steps, (std::vector<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));
    // Completed: nothing left to resume.
    runs->selectRun(id);
    QVERIFY(!resume->isEnabled());
}

QTEST_MAIN(TestRunWindow)
#include "test_run_window.moc"
