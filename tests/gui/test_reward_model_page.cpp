// Reward Model page over a real database holding a "grm_scale" run written through the real
// RunStore: the scaling plot shows voting and meta RM (mean over seeds, min..max band), greedy
// and scalar RM lines and tokens per item; the judgments panel shows the first k samples of an
// item with the meta RM's picks and the pooled results (ties and invalid judgments as the lab
// counts them); both figures export; missing or unreadable data shows the empty state / the
// reason; an experiment's line on its judges' stages reads each lab's grm.json and names a
// missing one.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include "gui/pages/percent_text.h"
#include "gui/pages/reward_model_page.h"
#include "read_wait.h"
#include "training/run_store.h"
#include "viz/exporters.h"
#include "viz/scaling_plot.h"

using namespace tinyseek;
using namespace tinyseek::gui;

// A window-like parent with the signal the page follows.
class FakeWindow : public QWidget {
    Q_OBJECT

  signals:
    void databaseOpened(const QString& path);
};

class TestRewardModelPage : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void plotShowsTheTable();
    void judgmentsPanelPoolsLikeTheLab();
    void figuresExport();
    void followsTheWindowsDatabase();
    void emptyAndUnreadableDatabases();
    void stagesOfEachJudge();

  private:
    QString m_dir;
    QString m_db;
    qint64 m_run = 0;
};

namespace {

RolloutSample judgment(const std::string& completion, double meta, bool valid, bool right) {
    RolloutSample r;
    r.prompt = "57+68= a:115 b:125";
    r.completion = completion;
    r.advantage = meta;
    r.reward.format = valid ? 1.0 : 0.0;
    r.reward.accuracy = right ? 1.0 : 0.0;
    r.reward.total = right ? 1.0 : -1.0;
    r.length = 40;
    return r;
}

std::string scored(int a, int b) {
    return "<think>p:exact sum, digits 2\nc:7+8+0=15 5+6+1=12 so 125; a=115 no, b=125 ok</think>"
           "<answer>a:" +
           std::to_string(a) + " b:" + std::to_string(b) + "</answer>";
}

}  // namespace

void TestRewardModelPage::initTestCase() {
    m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/reward_model_page");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
    m_db = m_dir + QStringLiteral("/runs.db");
    RunStore store(m_db.toStdString());
    store.create_run({"grm addition", "grm", "{}"});
    m_run = store.create_run({"grm scale grm addition", "grm_scale", R"({"k_meta": 0})"});
    auto row = [&](const std::string& method, int k, int seed, double acc, double tokens) {
        store.add_scaling_result({m_run, method, k, acc, tokens, seed, 500});
    };
    // An experiment's greedy judge has a row per lab seed: the line is their mean, 0.56.
    row("greedy", 1, 0, 0.55, 90);
    row("greedy", 1, 1, 0.57, 90);
    row("scalar_rm", 1, 0, 0.40, 0);
    row("chance", 1, 0, 0.36, 0);
    const double voting[2][3] = {{0.50, 0.60, 0.70}, {0.52, 0.58, 0.74}};
    const double meta[2][3] = {{0.50, 0.66, 0.78}, {0.54, 0.64, 0.80}};
    const int ks[3] = {1, 2, 4};
    for (int s = 0; s < 2; ++s)
        for (int i = 0; i < 3; ++i) {
            row("voting", ks[i], s, voting[s][i], 90.0 * ks[i] + s);
            row("meta_rm", ks[i], s, meta[s][i], 90.0 * ks[i] + s);
        }
    // One example item (truth b) with four judgments:
    //   0: a 10 b 4 (wrong, meta 0.1)   1: a 4 b 10 (right, meta 2.0)
    //   2: invalid (meta 0)             3: a 7 b 10 (right, meta 1.0)
    StepReport ex;
    ex.run_id = m_run;
    ex.step = 0;
    ex.stage = Stage::grpo;
    ex.scalars["grm/best"] = 1;
    ex.scalars["grm/candidates"] = 2;
    ex.scalars["grm/k_max"] = 4;
    ex.rollouts = {judgment(scored(10, 4), 0.1, true, false),
                   judgment(scored(4, 10), 2.0, true, true),
                   judgment("<think>p:sum\nc:so 1</think><answer>a:3</answer>", 0.0, false, false),
                   judgment(scored(7, 10), 1.0, true, true)};
    store.append_step(ex);
    store.finish(m_run, RunStatus::completed);
}

void TestRewardModelPage::plotShowsTheTable() {
    RunReader reader;
    RewardModelPage page;
    page.setReader(&reader);
    page.setDatabase(m_db);
    QVERIFY(waitForReads(reader));
    QCOMPARE(page.runId(), m_run);
    QCOMPARE(page.availableRuns(), QList<qint64>{m_run});
    // The experiment list names each run, not only its id.
    const auto* runs = page.findChild<QComboBox*>(QStringLiteral("runCombo"));
    QVERIFY(runs);
    QCOMPARE(runs->itemText(0), QStringLiteral("Run %1 · grm scale grm addition").arg(m_run));
    QVERIFY(!page.isEmptyStateVisible());
    const viz::ScalingPlot* plot = page.plot();
    QCOMPARE(plot->curves().size(), 2);
    const viz::ScalingCurve& v = plot->curves()[0];
    const viz::ScalingCurve& m = plot->curves()[1];
    QCOMPARE(v.name, QStringLiteral("Voting@k"));
    QCOMPARE(m.name, QStringLiteral("Meta RM@k"));
    QCOMPARE(v.k, (std::vector<double>{1, 2, 4}));
    QCOMPARE(v.mean[0], 0.51);
    QCOMPARE(v.mean[2], 0.72);
    QCOMPARE(v.low[1], 0.58);
    QCOMPARE(v.high[1], 0.60);
    QCOMPARE(m.mean[2], 0.79);
    const QString csv = plot->csv();
    QVERIFY2(csv.contains(QStringLiteral("Greedy judge")), qPrintable(csv));
    QVERIFY(csv.contains(QStringLiteral("Scalar RM")));
    QVERIFY(csv.contains(QStringLiteral("0.56")));
    QVERIFY(!csv.contains(QStringLiteral("0.55")));
    QVERIFY(csv.contains(QStringLiteral("0.4")));
    QVERIFY(csv.contains(QStringLiteral("Random pick among the candidates")));
    QVERIFY(csv.contains(QStringLiteral("0.36")));
    // Tokens per item: the mean over seeds of voting's tokens, on the secondary axis.
    QVERIFY(csv.contains(QStringLiteral("Tokens per item,secondary,4,360.5")));
}

void TestRewardModelPage::judgmentsPanelPoolsLikeTheLab() {
    RunReader reader;
    RewardModelPage page;
    page.setReader(&reader);
    page.setDatabase(m_db);
    QVERIFY(waitForReads(reader));
    QTableWidget* table = page.judgmentsTable();

    page.setK(2);
    QCOMPARE(page.currentK(), 2);
    QCOMPARE(table->rowCount(), 2);
    // Voting over samples 0 and 1 ties (a 14, b 14); the meta RM keeps sample 1 only.
    QVERIFY2(page.pooledText().contains(
                 QStringLiteral("Voting@2 (2 valid): a 14, b 14 → tie for the top (credit 0.5)")),
             qPrintable(page.pooledText()));
    QVERIFY(page.pooledText().contains(
        QStringLiteral("top 1 by meta-RM score): a 4, b 10 → b (right)")));
    QCOMPARE(table->item(0, 5)->text(), QString());
    QCOMPARE(table->item(1, 5)->text(), QStringLiteral("kept"));
    QCOMPARE(table->item(0, 3)->text(), QStringLiteral("a:10 b:4"));
    QCOMPARE(table->item(0, 6)->text(), QStringLiteral("no"));
    QCOMPARE(table->item(1, 6)->text(), QStringLiteral("yes"));

    page.setK(4);
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("(invalid)"));
    QCOMPARE(table->item(2, 5)->text(), QString());
    QCOMPARE(table->item(1, 5)->text(), QStringLiteral("kept"));
    QCOMPARE(table->item(3, 5)->text(), QStringLiteral("kept"));
    QCOMPARE(table->item(0, 5)->text(), QString());
    QCOMPARE(table->item(1, 2)->text(),
             QStringLiteral("7+8+0=15 5+6+1=12 so 125; a=115 no, b=125 ok"));
    QVERIFY2(
        page.pooledText().contains(QStringLiteral("Voting@4 (3 valid): a 21, b 24 → b (right)")),
        qPrintable(page.pooledText()));
    QVERIFY(page.pooledText().contains(QStringLiteral("a 11, b 20 → b (right)")));

    page.setK(1);
    QVERIFY(page.pooledText().contains(QStringLiteral("a 10, b 4 → a (wrong)")));
}

void TestRewardModelPage::figuresExport() {
    RunReader reader;
    RewardModelPage page;
    page.setReader(&reader);
    page.setDatabase(m_db);
    QVERIFY(waitForReads(reader));
    page.setK(4);
    const QList<viz::Exportable*> figures = page.exportables();
    QCOMPARE(figures.size(), 2);
    QCOMPARE(figures[0]->title(), QStringLiteral("reward-model-scaling"));
    QCOMPARE(figures[1]->title(), QStringLiteral("reward-model-judgments"));
    const QString csv = figures[1]->csv();
    // Records, not lines: a judgment's raw text is a quoted field that may hold line breaks.
    int records = 0;
    bool quoted = false;
    for (const QChar c : csv) {
        if (c == QLatin1Char('"')) quoted = !quoted;
        if (c == QLatin1Char('\n') && !quoted) ++records;
    }
    QCOMPARE(records, 5);  // header + 4 samples
    QVERIFY(csv.contains(QStringLiteral("a:7 b:10")));
    const QString out = m_dir + QStringLiteral("/export");
    const viz::ExportReport report = viz::Exporter::exportAll(figures, out);
    QVERIFY2(report.ok(), qPrintable(report.errors.join(QLatin1Char('\n'))));
    QCOMPARE(report.written.size(), 8);
    for (const QString& path : report.written)
        QVERIFY2(QFileInfo(path).size() > 100, qPrintable(path));
}

void TestRewardModelPage::followsTheWindowsDatabase() {
    FakeWindow window;
    RunReader reader;
    auto* page = new RewardModelPage(&window);
    page->setReader(&reader);
    QVERIFY(page->isEmptyStateVisible());
    emit window.databaseOpened(m_db);
    QVERIFY(waitForReads(reader));
    QCOMPARE(page->runId(), m_run);
    QVERIFY(!page->isEmptyStateVisible());
}

void TestRewardModelPage::emptyAndUnreadableDatabases() {
    const QString empty = m_dir + QStringLiteral("/empty.db");
    { RunStore store(empty.toStdString()); }
    RunReader reader;
    RewardModelPage page;
    page.setReader(&reader);
    page.setDatabase(empty);
    QVERIFY(waitForReads(reader));
    QVERIFY(page.isEmptyStateVisible());
    QCOMPARE(page.runId(), qint64(0));

    const QString junk = m_dir + QStringLiteral("/junk.db");
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
    f.close();
    page.setDatabase(junk);
    QVERIFY(waitForReads(reader));
    QVERIFY(!page.isEmptyStateVisible());
    const QLabel* error = page.findChild<QLabel*>(QStringLiteral("error"));
    QVERIFY(error);
    QVERIFY2(error->text().contains(junk), qPrintable(error->text()));
}

// Two lab seeds: the first's manifest says RFT was undone (validation 0.6309 -> 0.6250) and
// GRPO kept, with 527 own judgments and 1,393 hints in RFT's pool; the second's directory is
// gone. The line reads the first and says why the second has nothing.
void TestRewardModelPage::stagesOfEachJudge() {
    const QString dir = m_dir + QStringLiteral("/stages");
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/seed-1")));
    QFile manifest(dir + QStringLiteral("/seed-1/grm.json"));
    QVERIFY(manifest.open(QIODevice::WriteOnly));
    manifest.write(R"({"format": "tinyseek-grm", "version": 3, "config": {"seed": 5},
        "summary": {"val_accuracy_cold": 0.630859375, "val_accuracy_rft": 0.625,
                    "rft_judge_kept": false, "val_accuracy_rl": 0.6484375,
                    "rl_judge_kept": true, "rft_kept": 1920, "rft_hinted": 1393}})");
    manifest.close();
    const QString db = dir + QStringLiteral("/runs.db");
    {
        RunStore store(db.toStdString());
        const QJsonArray dirs{dir + QStringLiteral("/seed-1"), dir + QStringLiteral("/seed-2")};
        const QJsonObject config{{QStringLiteral("lab_dirs"), dirs},
                                 {QStringLiteral("lab_seeds"), 2}};
        const qint64 run =
            store.create_run({"grm experiment", "grm_scale",
                              QJsonDocument(config).toJson(QJsonDocument::Compact).toStdString()});
        store.add_scaling_result({run, "greedy", 1, 0.6, 90, 0, 500});
        store.finish(run, RunStatus::completed);
    }
    RunReader reader;
    RewardModelPage page;
    page.setReader(&reader);
    page.setDatabase(db);
    QVERIFY(waitForReads(reader));
    const QLabel* stages = page.findChild<QLabel*>(QStringLiteral("stages"));
    QVERIFY(stages);
    const QString text = stages->text();
    const QString seed5 =
        QStringLiteral("lab seed 5: %1 → %2 (undone) → %3")
            .arg(percentText(0.630859375), percentText(0.625), percentText(0.6484375));
    QVERIFY2(text.contains(seed5), qPrintable(text));
    QVERIFY2(seed5.contains(QStringLiteral("63")) && seed5.contains(QStringLiteral("64.8")),
             qPrintable(seed5));
    const QString pool = QStringLiteral("527 + ") + QLocale().toString(qint64(1393));
    QVERIFY2(text.contains(pool), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("no stage results (") + dir +
                           QStringLiteral("/seed-2/grm.json")),
             qPrintable(text));
    // A run whose config names no lab directory shows no such line.
    page.setDatabase(m_db);
    QVERIFY(waitForReads(reader));
    QVERIFY(stages->text().isEmpty());
}

QTEST_MAIN(TestRewardModelPage)
#include "test_reward_model_page.moc"
