// The main window keeps the Routing, KV Cache and Rollouts pages on the run every page shows:
// opening a database shows its newest run on them, choosing another run follows, live steps
// from the MetricsHub extend them, a run overlaid for comparison is the Routing page's
// comparison too, and File > Export becomes available with a run.
#include <QAction>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "gui/live/metrics_hub.h"
#include "gui/main_window.h"
#include "gui/models/rollout_table_model.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "read_wait.h"
#include "scratch_settings.h"
#include "synthetic_run.h"

using namespace tinyseek;
using namespace tinyseek::gui;

class TestPageWiring : public QObject {
    Q_OBJECT

    QTemporaryDir m_settingsDir;
    QString m_dir;
    synthetic::Database m_db;

  private slots:
    void initTestCase() {
        // Never touch the user's real settings.
        QVERIFY(m_settingsDir.isValid());
        useScratchSettings(m_settingsDir.path(), QStringLiteral("test_page_wiring"));
        m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/page_wiring");
        QDir(m_dir).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir));
        m_db = synthetic::create(m_dir.toStdString(), /*withCheckpoints=*/false);
    }

    void pagesFollowTheCurrentRun() {
        MainWindow window;
        window.setPersistent(false);
        auto* routing = qobject_cast<RoutingPage*>(window.page(QStringLiteral("routing")));
        auto* kv = qobject_cast<InferencePage*>(window.page(QStringLiteral("inference")));
        auto* rollouts = qobject_cast<RolloutsPage*>(window.page(QStringLiteral("rollouts")));
        QVERIFY(routing && kv && rollouts);
        auto* exportAction = window.findChild<QAction*>(QStringLiteral("actionExport"));
        QVERIFY(exportAction && !exportAction->isEnabled());

        // Opening the database shows its newest run.
        QVERIFY(window.openDatabase(QString::fromStdString(m_db.path), false));
        QVERIFY(waitForReads(*window.metricsHub()->reader()));
        QCOMPARE(window.currentRunId(), qint64(m_db.collapsedRun));
        QCOMPARE(routing->runId(), qint64(m_db.collapsedRun));
        QCOMPARE(routing->history().stepCount(), synthetic::kSteps);
        QCOMPARE(rollouts->model()->runId(), m_db.collapsedRun);
        QVERIFY(kv->modelDescription().contains(QStringLiteral("none run")));
        QVERIFY(exportAction->isEnabled());

        // Another run: every page follows.
        QVERIFY(window.metricsHub()->setCurrentRun(m_db.balancedRun));
        QVERIFY(waitForReads(*window.metricsHub()->reader()));
        QCOMPARE(routing->runId(), qint64(m_db.balancedRun));
        QCOMPARE(rollouts->model()->runId(), m_db.balancedRun);
        QVERIFY(kv->modelDescription().contains(QStringLiteral("aux_free run")));

        // A live step of the shown run reaches the Routing and Rollouts pages through the hub.
        StepReport r;
        r.run_id = m_db.balancedRun;
        r.step = synthetic::kSteps;
        r.wall_time = 100.0;
        r.expert_load = ExpertMatrix(synthetic::kLayers, synthetic::kExperts, 0.125f);
        r.rollouts.resize(3);
        RunStore(m_db.path).append_step(r);  // the trainer stores it before the hub delivers
        const int rowsBefore = rollouts->model()->rowCount();
        window.metricsHub()->on_step(r);
        window.metricsHub()->flush();
        QVERIFY(waitForReads(*window.metricsHub()->reader()));
        QCOMPARE(routing->history().stepCount(), synthetic::kSteps + 1);
        QCOMPARE(routing->currentStep(), qint64(synthetic::kSteps));
        QCOMPARE(rollouts->model()->rowCount(), rowsBefore + 3);

        // A run overlaid for comparison also becomes the Routing page's comparison.
        QCOMPARE(routing->compareRunId(), qint64(0));
        QVERIFY(window.metricsHub()->addOverlay(m_db.collapsedRun));
        QCOMPARE(routing->compareRunId(), qint64(m_db.collapsedRun));

        // Closing the run (no current run) empties the pages again.
        window.metricsHub()->clearCurrentRun();
        QVERIFY(routing->isEmptyStateVisible());
        QVERIFY(rollouts->isEmptyStateVisible());
        QVERIFY(kv->modelDescription().contains(QStringLiteral("no run is open")));
        QVERIFY(!exportAction->isEnabled());
    }
};

QTEST_MAIN(TestPageWiring)
#include "test_page_wiring.moc"
