// Evaluation page: the stored pass@k curves of the current run and its control arm, drawn as
// stored (pass@k, maj@k or both); the accuracy by difficulty as a bucket x step heatmap with
// the buckets in natural order and NaN where an evaluation lacks a bucket; the Training page
// leaves the bucket metrics out of its grid; a measurement that cannot start says why.
#include <QDir>
#include <QLabel>
#include <QTest>

#include <cmath>

#include "gui/live/metrics_hub.h"
#include "gui/pages/evaluation_page.h"
#include "gui/pages/training_page.h"
#include "read_wait.h"
#include "training/run_store.h"
#include "viz/heatmap_widget.h"
#include "viz/scaling_plot.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

void addEvaluation(RunStore& store, std::int64_t run, std::int64_t step,
                   const std::map<std::string, std::pair<double, double>>& buckets) {
    StepReport r;
    r.run_id = run;
    r.step = step;
    r.wall_time = double(step);
    r.scalars[metric::kEvalAccuracy] = 0.5;
    for (const auto& [label, value] : buckets) {
        r.scalars[std::string(metric::kEvalBucketPrefix) + label] = value.first;
        r.scalars[std::string(metric::kEvalBucketCountPrefix) + label] = value.second;
    }
    store.append_step(r);
}

}  // namespace

class TestEvaluationPage : public QObject {
    Q_OBJECT

    QString m_db;
    std::int64_t m_run = 0, m_control = 0, m_bare = 0;
    StoredPassAtK m_grpo, m_sft;

  private slots:
    void initTestCase() {
        const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/evaluation_page");
        QDir(dir).removeRecursively();
        QVERIFY(QDir().mkpath(dir));
        m_db = dir + QStringLiteral("/runs.db");
        RunStore store(m_db.toStdString());
        m_run = store.create_run({"grpo arm", "pipeline", "{}", {}});
        m_control = store.create_run({"control arm", "control", "{}", m_run});
        m_bare = store.create_run({"no curves", "sft", "{}", {}});
        addEvaluation(store, m_run, 0, {{"carries 10", {0.1, 5}}, {"digits 2+1", {0.2, 20}}});
        addEvaluation(
            store, m_run, 10,
            {{"carries 10", {0.3, 5}}, {"carries 2", {0.4, 50}}, {"digits 2+1", {0.5, 20}}});
        addEvaluation(store, m_control, 10, {{"carries 2", {0.9, 50}}});
        addEvaluation(store, m_bare, 0, {});
        m_grpo = {m_run, 10, 1.0, 100, 8, 7, {1, 2, 8}, {0.5, 0.6, 0.7}, {0.5, 0.5, 0.55}, {}};
        m_sft = {m_control, 12, 1.0, 100, 8, 7, {1, 2, 8}, {0.4, 0.55, 0.75}, {0.4, 0.4, 0.45}, {}};
        store.add_pass_at_k(m_grpo);
        store.add_pass_at_k(m_sft);
    }

    void drawsTheStoredCurvesOfTheRunAndItsControlArm() {
        MetricsHub hub;
        hub.setDatabase(m_db);
        EvaluationPage page;
        page.setHub(&hub);
        QVERIFY(page.isEmptyStateVisible());
        QVERIFY(hub.setCurrentRun(m_run));
        QVERIFY(waitForReads(*hub.reader()));
        QTRY_VERIFY(!page.isBusy());
        QVERIFY(!page.isEmptyStateVisible());
        const QList<viz::ScalingCurve> both = page.passPlot()->curves();
        QCOMPARE(both.size(), 4);  // pass@k and maj@k of each arm
        QVERIFY(both[0].name.contains(QStringLiteral("grpo arm · step 10")));
        QCOMPARE(both[0].k, (std::vector<double>{1, 2, 8}));
        QCOMPARE(both[0].mean, m_grpo.pass);
        QCOMPARE(both[1].mean, m_grpo.majority);
        QVERIFY(both[2].name.contains(QStringLiteral("control arm · step 12")));
        QCOMPARE(both[3].mean, m_sft.majority);
        page.setMeasure(EvaluationPage::Measure::Pass);
        QCOMPARE(page.passPlot()->curves().size(), 2);
        QCOMPARE(page.passPlot()->curves()[1].mean, m_sft.pass);
        QVERIFY(page.passSummary().contains(QStringLiteral("pass@8 70.0%")));

        QVERIFY(hub.setCurrentRun(m_bare));
        QVERIFY(waitForReads(*hub.reader()));
        QTRY_VERIFY(!page.isBusy());
        QVERIFY(page.passPlot()->curves().isEmpty());
    }

    void drawsAccuracyByDifficultyAsBucketsOverSteps() {
        MetricsHub hub;
        hub.setDatabase(m_db);
        EvaluationPage page;
        page.setHub(&hub);
        QVERIFY(hub.setCurrentRun(m_run));
        QVERIFY(waitForReads(*hub.reader()));
        QTRY_VERIFY(!page.isBusy());
        const viz::Matrix& m = page.difficultyMap()->matrix();
        QCOMPARE(m.rows(), 3);
        QCOMPARE(m.cols(), 2);
        // Natural order (2 before 10), the latest problem count in the label.
        QCOMPARE(m.rowLabels,
                 (QStringList{QStringLiteral("carries 2 (50)"), QStringLiteral("carries 10 (5)"),
                              QStringLiteral("digits 2+1 (20)")}));
        QCOMPARE(m.colLabels, (QStringList{QStringLiteral("0"), QStringLiteral("10")}));
        QVERIFY(std::isnan(m.value(0, 0)));  // "carries 2" was not evaluated at step 0
        QCOMPARE(m.value(0, 1), 0.4f);
        QCOMPARE(m.value(1, 0), 0.1f);
        QCOMPARE(m.value(2, 1), 0.5f);

        // The Training page leaves the bucket metrics to this page.
        TrainingPage training;
        training.setHub(&hub);
        QTRY_VERIFY(!training.chartKeys().isEmpty());
        QCOMPARE(training.chartKeys(), QStringList{QString::fromLatin1(metric::kEvalAccuracy)});
    }

    void aMeasurementWithoutCheckpointSaysWhy() {
        MetricsHub hub;
        hub.setDatabase(m_db);
        EvaluationPage page;
        page.setHub(&hub);
        QVERIFY(hub.setCurrentRun(m_bare));
        QVERIFY(waitForReads(*hub.reader()));
        QTRY_VERIFY(!page.isBusy());
        QVERIFY(page.measureCurrentRun());
        QTRY_VERIFY(!page.isBusy());
        QVERIFY2(page.passSummary().contains(QStringLiteral("has no checkpoint")),
                 qPrintable(page.passSummary()));
        RunStore store(m_db.toStdString(), {.read_only = true});
        QVERIFY(store.pass_at_k_curves(m_bare).empty());
    }
};

QTEST_MAIN(TestEvaluationPage)
#include "test_evaluation_page.moc"
