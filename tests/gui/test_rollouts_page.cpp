// Rollouts page: every stored rollout of the run is listed (not only the latest step), the
// step and reward filters give the rows they should, pages are read lazily, live steps
// append rows, and the CSV export holds every matching row.
#include <QDir>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <cmath>

#include "gui/models/rollout_table_model.h"
#include "gui/pages/rollouts_page.h"
#include "read_wait.h"
#include "synthetic_run.h"
#include "viz/exporters.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

// A run with `steps` steps of `perStep` rollouts each; reward total = (step * perStep + i) % 5.
std::int64_t addLongRun(RunStore& store, int steps, int perStep) {
    NewRun nr;
    nr.name = "long run";
    nr.kind = "grpo";
    const std::int64_t id = store.create_run(nr);
    for (int s = 0; s < steps; ++s) {
        StepReport r;
        r.run_id = id;
        r.step = s;
        r.wall_time = s;
        for (int i = 0; i < perStep; ++i) {
            RolloutSample x;
            x.prompt = std::to_string(s) + "+" + std::to_string(i) + "=";
            // Every fourth answers directly; the others think in three steps.
            x.completion = std::string(i % 4 == 3 ? "<think>\n</think>" : "<think>a\nb c</think>") +
                           "<answer>" + std::to_string(s + i) + "</answer>";
            x.reward.total = (s * perStep + i) % 5;
            x.reward.accuracy = x.reward.total >= 3 ? 1 : 0;
            x.advantage = 0.25 * i;
            x.length = 10 + i;
            r.rollouts.push_back(x);
        }
        store.append_step(r);
    }
    return id;
}

}  // namespace

class TestRolloutsPage : public QObject {
    Q_OBJECT

    synthetic::Database m_db;
    QString m_dir;
    std::int64_t m_longRun = 0;

  private slots:
    void initTestCase() {
        m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/rollouts_page");
        QDir(m_dir).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir));
        m_db = synthetic::create(m_dir.toStdString(), /*withCheckpoints=*/false);
        RunStore store(m_db.path);
        m_longRun = addLongRun(store, 50, 20);
    }

    void listsTheWholeHistory() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        QVERIFY(page.isEmptyStateVisible());
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        QVERIFY(!page.isEmptyStateVisible());
        RolloutTableModel* m = page.model();
        const int expected =
            synthetic::kSteps / synthetic::kRolloutEvery * synthetic::kRolloutsPerStep;
        QCOMPARE(m->rowCount(), expected);  // 8 steps x 4
        QCOMPARE(m->totalCount(), qint64(expected));
        QCOMPARE(m->columnCount(), 9);
        QCOMPARE(m->data(m->index(0, RolloutTableModel::Step)).toLongLong(), 0LL);
        QCOMPARE(m->data(m->index(expected - 1, RolloutTableModel::Step)).toLongLong(), 35LL);
        QCOMPARE(m->data(m->index(5, RolloutTableModel::Prompt)).toString(),
                 QString::fromStdString(synthetic::prompt(5, 1)));
        QCOMPARE(m->data(m->index(5, RolloutTableModel::Reward), Qt::UserRole).toDouble(),
                 ((5 + 1) % 3) * 0.55);
        QCOMPARE(m->data(m->index(5, RolloutTableModel::Advantage), Qt::UserRole).toDouble(), -0.5);
        QVERIFY(page.countText().contains(QStringLiteral("32")));
    }

    void styleColumnMarksThinkingAndDirectAnswers() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_longRun);
        QVERIFY(waitForReads(reader));
        RolloutTableModel* m = page.model();
        for (int row : {0, 1, 2, 3, 7}) {
            QVERIFY(m->rollout(row));
            const bool direct = row % 4 == 3;
            const QModelIndex cell = m->index(row, RolloutTableModel::Style);
            QCOMPARE(m->data(cell).toString(),
                     direct ? QStringLiteral("direct") : QStringLiteral("thinks · 3 steps"));
            QCOMPARE(m->data(cell, Qt::UserRole).toInt(), direct ? 0 : 3);
            QCOMPARE(m->data(cell, Qt::BackgroundRole).isValid(), direct);
        }
    }

    void stepAndRewardFilters() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        page.setStepRange(10, 20);
        QVERIFY(waitForReads(reader));
        RolloutTableModel* m = page.model();
        QCOMPARE(m->rowCount(), 12);  // steps 10, 15, 20
        QCOMPARE(m->data(m->index(0, 0)).toLongLong(), 10LL);
        QCOMPARE(m->data(m->index(11, 0)).toLongLong(), 20LL);

        page.setStepRange(0, -1);
        page.setMinimumReward(true, 1.0);
        QVERIFY(waitForReads(reader));
        int expected = 0;
        for (int s = 0; s < synthetic::kSteps; s += synthetic::kRolloutEvery)
            for (int i = 0; i < synthetic::kRolloutsPerStep; ++i)
                expected += ((s + i) % 3) * 0.55 >= 1.0;
        QCOMPARE(m->rowCount(), expected);
        for (int r = 0; r < m->rowCount(); ++r)
            QVERIFY(m->data(m->index(r, RolloutTableModel::Reward), Qt::UserRole).toDouble() >=
                    1.0);

        page.setStepRange(10, 20);  // both filters together
        QVERIFY(waitForReads(reader));
        int both = 0;
        for (int s = 10; s <= 20; s += synthetic::kRolloutEvery)
            for (int i = 0; i < synthetic::kRolloutsPerStep; ++i) both += ((s + i) % 3) == 2;
        QCOMPARE(m->rowCount(), both);
        QVERIFY(page.countText().startsWith(QString::number(both)));
    }

    void pagesAreReadLazily() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_longRun);
        QVERIFY(waitForReads(reader));
        RolloutTableModel* m = page.model();
        QCOMPARE(m->rowCount(), 1000);
        const int before = m->pageReads();
        // Row 777 is in page 3 (200 rows a page): step 38, i 17.
        // Not read yet: asking for it reads its page on the reader thread.
        QTRY_COMPARE(m->data(m->index(777, RolloutTableModel::Prompt)).toString(),
                     QStringLiteral("38+17="));
        QCOMPARE(m->pageReads(), before + 1);
        QCOMPARE(m->data(m->index(790, RolloutTableModel::Length)).toInt(), 10 + 10);
        QCOMPARE(m->pageReads(), before + 1);  // same page, cached
        // Newlines are shown as a visible mark on one line; the raw text keeps them.
        QVERIFY(
            m->data(m->index(0, RolloutTableModel::Completion)).toString().contains(QChar(0x21B5)));
        QVERIFY(m->data(m->index(0, RolloutTableModel::Completion), Qt::UserRole)
                    .toString()
                    .contains(QLatin1Char('\n')));
        // A shown table reads only the pages on screen, not all five.
        page.resize(900, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(m->pageReads() <= before + 2);
        page.view()->scrollToBottom();
        QTest::qWait(20);
        QVERIFY(m->pageReads() <= before + 3);
    }

    void liveStepsAppendRows() {
        const QString dir = m_dir + QStringLiteral("/live");
        QVERIFY(QDir().mkpath(dir));
        const std::string path = (dir + QStringLiteral("/live.db")).toStdString();
        RunStore writer(path);
        const std::int64_t run = addLongRun(writer, 3, 5);
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(path), run);
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.model()->rowCount(), 15);
        QSignalSpy inserted(page.model(), &QAbstractItemModel::rowsInserted);
        StepReport r;
        r.run_id = run;
        r.step = 3;
        r.wall_time = 3;
        r.rollouts.resize(5);
        for (auto& x : r.rollouts) x.prompt = "1+1=";
        writer.append_step(r);  // the trainer stores the step, then the hub delivers it
        page.appendSteps({r});
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.model()->rowCount(), 20);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 15);
        QCOMPARE(inserted.first().at(2).toInt(), 19);
        QCOMPARE(page.model()->data(page.model()->index(19, 0)).toLongLong(), 3LL);
    }

    void csvHoldsEveryMatchingRow() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_longRun);
        QVERIFY(waitForReads(reader));
        page.setMinimumReward(true, 3.0);
        QVERIFY(waitForReads(reader));
        const QList<viz::Exportable*> figures = page.exportables();
        QVERIFY(!figures.isEmpty());  // the table first, then the group and the histogram
        const QString csv = figures.front()->csv();
        QVERIFY(csv.startsWith(QStringLiteral(
            "step,prompt,completion,accuracy,format,reward,advantage,length,malformed\n")));
        // Rewards 3 and 4 of 0..4: 400 rows; completions hold a quoted newline each.
        QCOMPARE(page.model()->rowCount(), 400);
        QCOMPARE(csv.count(QStringLiteral("</answer>\"")), 400);
    }

    void unknownRunShowsTheReason() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), 4242);
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.model()->rowCount(), 0);
        QVERIFY(page.countText().contains(QStringLiteral("4242")));
        QVERIFY(page.exportables().isEmpty());
    }
};

QTEST_MAIN(TestRolloutsPage)
#include "test_rollouts_page.moc"
