// Runs grouped by configuration (gui/models/run_groups.h) and drawn as bands on the Training
// page: the seeds of one experiment fall together, a control arm of the same config stays
// apart by kind, other keys can be picked, and a group's chart holds its mean and band.
#include <QDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include "gui/live/metrics_hub.h"
#include "gui/models/run_groups.h"
#include "gui/pages/training_page.h"
#include "read_wait.h"
#include "training/run_store.h"
#include "viz/metric_chart.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

QString config(int seed, double lr, const char* name = "x") {
    return QString::fromStdString(
        nlohmann::json{{"name", name}, {"seed", seed}, {"grpo", {{"lr", lr}, {"steps", 5}}}}
            .dump());
}

// A control arm's config: its step budget, measured from the GRPO stage's time, in sft.steps.
QString control(int seed, int budget) {
    nlohmann::json j = nlohmann::json::parse(config(seed, 1e-4).toStdString());
    j["sft"] = {{"steps", budget}};
    return QString::fromStdString(j.dump());
}

}  // namespace

class TestRunGroups : public QObject {
    Q_OBJECT

  private slots:
    void groupsRunsThatDifferOnlyInTheKey() {
        const QList<RunConfig> runs = {
            {1, QStringLiteral("pipeline"), config(1, 1e-4, "a")},
            {2, QStringLiteral("control"), control(1, 120)},
            {3, QStringLiteral("pipeline"), config(2, 1e-4, "b")},
            {4, QStringLiteral("control"), control(2, 135)},
            {5, QStringLiteral("pipeline"), config(3, 3e-4)},
            {6, QStringLiteral("pipeline"), QStringLiteral("not json")},
        };
        QCOMPARE(differingConfigKeys(runs),
                 (QStringList{QStringLiteral("grpo.lr"), QStringLiteral("seed"),
                              QStringLiteral("sft.steps")}));
        QCOMPARE(groupRuns(runs, QStringLiteral("seed")),
                 (QList<QList<qint64>>{{1, 3}, {2, 4}, {5}, {6}}));
        QCOMPARE(groupRuns(runs, QStringLiteral("grpo.lr")),
                 (QList<QList<qint64>>{{1}, {2}, {3}, {4}, {5}, {6}}));
        // Without a key only identical configs (names aside) of one kind fall together.
        QCOMPARE(groupRuns(runs, QString()), (QList<QList<qint64>>{{1}, {2}, {3}, {4}, {5}, {6}}));
    }

    void trainingPageDrawsAGroupAsItsMeanInABand() {
        const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/run_groups");
        QDir(dir).removeRecursively();
        QVERIFY(QDir().mkpath(dir));
        const QString db = dir + QStringLiteral("/runs.db");
        qint64 ids[3] = {};
        {
            RunStore store(db.toStdString());
            for (int seed = 1; seed <= 3; ++seed) {
                ids[seed - 1] = store.create_run({"seed " + std::to_string(seed),
                                                  "pipeline",
                                                  config(seed, 1e-4).toStdString(),
                                                  {}});
                for (int step = 0; step < 4; ++step) {
                    StepReport r;
                    r.run_id = ids[seed - 1];
                    r.step = step;
                    r.wall_time = step;
                    r.scalars["reward"] = seed * 10.0 + step;  // 10.., 20.., 30..
                    store.append_step(r);
                }
            }
        }
        MetricsHub hub;
        hub.setDatabase(db);
        TrainingPage page;
        page.setHub(&hub);
        QVERIFY(hub.setCurrentRun(ids[0]));
        QVERIFY(hub.addOverlay(ids[1]));
        QVERIFY(hub.addOverlay(ids[2]));
        QVERIFY(waitForReads(*hub.reader()));
        page.refreshAll();
        viz::MetricChart* chart = page.chart(QStringLiteral("reward"));
        QVERIFY(chart);
        QCOMPARE(chart->data().runs().size(), std::size_t(3));

        page.setGroupKey(QStringLiteral("seed"));
        QCOMPARE(page.groupKey(), QStringLiteral("seed"));
        page.refreshAll();
        QCOMPARE(chart->data().runs().size(), std::size_t(1));
        const auto& group = chart->data().runs().front();
        QCOMPARE(group.runId, int(ids[0]));
        QVERIFY2(group.name.endsWith(
                     QStringLiteral("(#%1 #%2 #%3)").arg(ids[0]).arg(ids[1]).arg(ids[2])),
                 qPrintable(group.name));
        QCOMPARE(group.series.values, (std::vector<double>{20, 21, 22, 23}));
        QCOMPARE(group.bandLow, (std::vector<double>{10, 11, 12, 13}));
        QCOMPARE(group.bandHigh, (std::vector<double>{30, 31, 32, 33}));
        page.setBandKind(viz::BandKind::StdDev);  // sd of 10, 20, 30 is 10
        page.refreshAll();
        QCOMPARE(chart->data().runs().front().bandLow, (std::vector<double>{10, 11, 12, 13}));
        page.setGroupKey(QString());
        page.refreshAll();
        QCOMPARE(chart->data().runs().size(), std::size_t(3));
    }
};

QTEST_MAIN(TestRunGroups)
#include "test_run_groups.moc"
