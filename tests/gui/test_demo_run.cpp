// The demo run an empty database offers: one click starts the default demo in that database
// (toolbar, status-bar progress and the Training page follow the live run, whose first step
// reaches the charts); Pause turns Start into Resume; Cancel stops it keeping its steps.
//
// Its own program, apart from test_run_window.cpp, because it trains the full default model:
// the first step also evaluates the held-out set, which takes minutes under ThreadSanitizer,
// whose build runs the run-window tests (README.md "Tests") and whose thread handoffs this
// test would only repeat.
#include <QDir>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "gui/dialogs/new_run_dialog.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/main_window.h"
#include "gui/pages/training_page.h"
#include "scratch_settings.h"
#include "training/run_store.h"
#include "training/train_config.h"

using namespace tinyseek;
using namespace tinyseek::gui;

class TestDemoRun : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void emptyDatabaseOffersDemo();

  private:
    QString freshDb(const QString& name);
    QTemporaryDir m_settingsDir;
    QString m_dir;
};

void TestDemoRun::initTestCase() {
    QVERIFY(m_settingsDir.isValid());
    useScratchSettings(m_settingsDir.path(), QStringLiteral("test_demo_run"));
    m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_demo_run");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
}

QString TestDemoRun::freshDb(const QString& name) {
    const QString path = m_dir + QLatin1Char('/') + name;
    RunStore store(path.toStdString());
    return path;
}

void TestDemoRun::emptyDatabaseOffersDemo() {
    MainWindow window;
    window.setPersistent(false);
    auto* training = qobject_cast<TrainingPage*>(window.page(QStringLiteral("training")));
    QVERIFY(training);
    // First launch, no database: the demo is offered.
    QVERIFY(training->isDemoOffered());
    const QString db = freshDb(QStringLiteral("demo.db"));
    QVERIFY(window.openDatabase(db, false));
    QVERIFY(training->isDemoOffered());
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // One click starts the default demo run in that database.
    auto* demo = training->findChild<QPushButton*>(QStringLiteral("demoButton"));
    QVERIFY(demo && demo->isVisible());
    QSignalSpy started(window.runController(), &RunController::runStarted);
    QTest::mouseClick(demo, Qt::LeftButton);
    QVERIFY(window.runController()->isActive());
    QVERIFY(!training->isDemoOffered());
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY(window.pauseAction()->isEnabled() && window.stopAction()->isEnabled());
    QVERIFY(!window.newRunAction()->isEnabled());
    auto* bar = window.findChild<QProgressBar*>(QStringLiteral("progressBar"));
    QVERIFY(bar->isVisible());
    const TrainConfig demoConfig = NewRunDialog::defaultConfig();
    QCOMPARE(bar->maximum(), int(demoConfig.sft.steps + demoConfig.grpo.steps));
    QVERIFY(started.wait(60000));
    const qint64 id = started.first().at(0).toLongLong();
    QCOMPARE(window.currentRunId(), id);
    // The first steps reach the Training page's charts.
    QTRY_VERIFY_WITH_TIMEOUT(
        window.metricsHub()->run(id) && window.metricsHub()->run(id)->steps.size() >= 1, 60000);
    QTRY_VERIFY(!training->chartKeys().isEmpty());
    QVERIFY(training->chartKeys().contains(QStringLiteral("loss")));

    // Pause turns Start into Resume; Cancel in the status bar stops the run.
    window.pauseAction()->trigger();
    QCOMPARE(window.startAction()->text(), QStringLiteral("Resume"));
    QVERIFY(window.startAction()->isEnabled());
    QSignalSpy finished(window.runController(), &RunController::runFinished);
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("cancelButton")),
                      Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("stopped"));
    QVERIFY(!window.runController()->isActive());
    QVERIFY(window.startAction()->isEnabled() && !window.stopAction()->isEnabled());
    QVERIFY(bar->isHidden());
    const RunInfo info = RunStore(db.toStdString()).run(id);
    QCOMPARE(info.status, RunStatus::stopped);
    QVERIFY(info.n_steps >= 1);
    QVERIFY(QString::fromStdString(info.name).startsWith(QStringLiteral("Demo")));
    // The database has a run now: no more demo offer.
    QVERIFY(!training->isDemoOffered());
}

QTEST_MAIN(TestDemoRun)
#include "test_demo_run.moc"
