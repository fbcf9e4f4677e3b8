// Runs page over a real database: the table lists every run with the stored name, kind, task,
// status, steps, best held-out accuracy and creation time; open / compare update the shared
// selection; rename and delete change the file (delete only after confirmation, never the run
// that is training); unreadable files show the reason instead of a table.
#include <sqlite3.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include "gui/live/metrics_hub.h"
#include "gui/pages/runs_page.h"
#include "read_wait.h"
#include "run_fixture.h"
#include "training/run_store.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

// Clicks the button with `text` in the next modal dialog (a confirmation) once it is shown.
void answerNextDialog(const QString& text) {
    QTimer::singleShot(50, [text] {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal) return answerNextDialog(text);
        for (QPushButton* b : modal->findChildren<QPushButton*>())
            if (b->text() == text) return b->click();
    });
}

// The page on `hub`'s reader, listing `db`; true once the list has been read.
bool listDatabase(RunsPage& page, MetricsHub& hub, const QString& db) {
    page.setHub(&hub);
    page.setReader(hub.reader());
    page.setDatabase(db);
    return waitForReads(*hub.reader());
}

}  // namespace

class TestRunsPage : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void init();
    void listsRuns();
    void filtersByTextOrExpression();
    void controlRunNamesItsParent();
    void precisionNamesTheFp8Recipe();
    void openAndCompare();
    void renameRun();
    void deleteAsksFirst();
    void activeRunCannotBeDeleted();
    void unreadableDatabaseShowsReason();
    void emptyFileHasNoRuns();

  private:
    QString m_dir;
    QString m_db;
    qint64 m_done = 0, m_failed = 0, m_running = 0;
};

void TestRunsPage::initTestCase() {
    m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_runs_page");
    QVERIFY(QDir().mkpath(m_dir));
}

void TestRunsPage::init() {
    m_db = m_dir + QStringLiteral("/runs.db");
    for (const char* suffix : {"", "-wal", "-shm"}) QFile::remove(m_db + QLatin1String(suffix));
    RunStore store(m_db.toStdString());
    m_done = testdata::storeRun(store, "baseline", 30, RunStatus::completed);
    m_failed = testdata::storeRun(store, "diverged", 12, RunStatus::running, 1.0, "countdown");
    store.finish(m_failed, RunStatus::failed, "NaN in loss at step 12");
    m_running = testdata::storeRun(store, "crashed", 5, RunStatus::running);
}

void TestRunsPage::precisionNamesTheFp8Recipe() {
    {
        RunStore store(m_db.toStdString());
        store.create_run({"fp8 ablation", "sft",
                          R"({"task":"addition","precision":"fp8","fp8":{"scaling":"tensor",)"
                          R"("grad_format":"e5m2","accumulator":"limited","promote_every":0}})"});
    }
    MetricsHub hub;
    RunsPage page;
    QVERIFY(listDatabase(page, hub, m_db));
    QCOMPARE(page.rowCount(), 4);
    // Newest first.
    QCOMPARE(page.cellText(0, RunsPage::Precision),
             QStringLiteral("FP8 · per tensor · E5M2 gradients · never promoted"));
    QCOMPARE(page.cellText(1, RunsPage::Precision), QStringLiteral("FP32"));
}

void TestRunsPage::filtersByTextOrExpression() {
    MetricsHub hub;
    RunsPage page;
    QVERIFY(listDatabase(page, hub, m_db));
    QCOMPARE(page.rowCount(), 3);  // baseline, diverged, crashed
    page.setFilter(QStringLiteral("BASE"));
    QCOMPARE(page.rowCount(), 1);
    QCOMPARE(page.cellText(0, RunsPage::Name), QStringLiteral("baseline"));
    page.setFilter(QStringLiteral("base|crash"));
    QCOMPARE(page.rowCount(), 2);
    page.setFilter(QStringLiteral("/^d.*d$/"));  // diverged, not crashed
    QCOMPARE(page.rowCount(), 1);
    QCOMPARE(page.cellText(0, RunsPage::Name), QStringLiteral("diverged"));
    page.setFilter(QStringLiteral("/(/"));  // invalid: nothing, and the box says so
    QCOMPARE(page.rowCount(), 0);
    page.setFilter(QString());
    QCOMPARE(page.rowCount(), 3);
}

void TestRunsPage::listsRuns() {
    MetricsHub hub;
    RunsPage page;
    page.setHub(&hub);
    page.setReader(hub.reader());
    QVERIFY(page.isEmptyStateVisible());  // no database yet
    page.setDatabase(m_db);
    QVERIFY(!page.isEmptyStateVisible());
    QVERIFY(waitForReads(*hub.reader()));
    QCOMPARE(page.rowCount(), 3);
    // Newest first.
    QCOMPARE(page.runIdAt(0), m_running);
    QCOMPARE(page.runIdAt(2), m_done);
    QCOMPARE(page.cellText(2, RunsPage::Name), QStringLiteral("baseline"));
    QCOMPARE(page.cellText(2, RunsPage::Kind), QStringLiteral("pipeline"));
    QCOMPARE(page.cellText(2, RunsPage::Task), QStringLiteral("addition"));
    QCOMPARE(page.cellText(1, RunsPage::Task), QStringLiteral("countdown"));
    QCOMPARE(page.cellText(2, RunsPage::Precision), QStringLiteral("FP32"));
    QCOMPARE(page.cellText(2, RunsPage::Status), QStringLiteral("completed"));
    QCOMPARE(page.cellText(1, RunsPage::Status), QStringLiteral("failed"));
    // Stored as running, but nothing trains it in this process.
    QCOMPARE(page.cellText(0, RunsPage::Status), QStringLiteral("interrupted"));
    QCOMPARE(page.cellText(2, RunsPage::Steps), QStringLiteral("30"));
    // Best eval/accuracy of the stored steps (logged at steps 9, 19, 29).
    const RunInfo info = RunStore(m_db.toStdString()).run(m_done);
    QVERIFY(info.best_eval_accuracy.has_value());
    QCOMPARE(page.cellText(2, RunsPage::BestAccuracy),
             QStringLiteral("%1 %").arg(*info.best_eval_accuracy * 100.0, 0, 'f', 1));
    QCOMPARE(page.cellText(0, RunsPage::BestAccuracy), QStringLiteral("—"));
    QVERIFY(page.cellText(2, RunsPage::Created).startsWith(QStringLiteral("20")));
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("runsSummary"))
                ->text()
                .startsWith(QStringLiteral("3 runs in runs.db")));

    // Sorting by steps puts the longest run first when descending.
    page.table()->sortByColumn(RunsPage::Steps, Qt::DescendingOrder);
    QCOMPARE(page.runIdAt(0), m_done);
}

void TestRunsPage::controlRunNamesItsParent() {
    qint64 control = 0;
    {
        RunStore store(m_db.toStdString());
        NewRun run;
        run.name = "baseline control";
        run.kind = "control";
        run.parent_run_id = m_done;
        control = store.create_run(run);
        store.finish(control, RunStatus::completed);
    }
    RunReader reader;
    RunsPage page;
    page.setReader(&reader);
    page.setDatabase(m_db);
    QVERIFY(waitForReads(reader));
    QCOMPARE(page.rowCount(), 4);
    QCOMPARE(page.runIdAt(0), control);  // newest first
    QCOMPARE(page.cellText(0, RunsPage::Parent), QString::number(m_done));
    QCOMPARE(page.cellText(0, RunsPage::Kind), QStringLiteral("control"));
    const QString tip =
        page.table()->model()->index(0, RunsPage::Parent).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("baseline")), qPrintable(tip));
    for (int row = 1; row < 4; ++row) QVERIFY(page.cellText(row, RunsPage::Parent).isEmpty());
}

void TestRunsPage::openAndCompare() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    RunsPage page;
    QVERIFY(listDatabase(page, hub, m_db));
    QSignalSpy opened(&page, &RunsPage::runOpened);
    QSignalSpy compared(&page, &RunsPage::runCompared);
    page.selectRun(m_done);
    QCOMPARE(page.selectedRunIds(), QList<qint64>{m_done});
    page.findChild<QPushButton*>(QStringLiteral("openRunButton"))->click();
    QCOMPARE(opened.count(), 1);
    QCOMPARE(hub.currentRun(), m_done);
    page.table()->clearSelection();
    page.selectRun(m_failed);
    page.findChild<QPushButton*>(QStringLiteral("compareRunButton"))->click();
    QCOMPARE(compared.count(), 1);
    QCOMPARE(hub.overlays(), QList<qint64>{m_failed});
    for (int row = 0; row < page.rowCount(); ++row) {
        const QString shown = page.cellText(row, RunsPage::Shown);
        if (page.runIdAt(row) == m_done)
            QCOMPARE(shown, QStringLiteral("current"));
        else if (page.runIdAt(row) == m_failed)
            QCOMPARE(shown, QStringLiteral("compared"));
        else
            QVERIFY(shown.isEmpty());
    }
}

void TestRunsPage::renameRun() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    QVERIFY(hub.setCurrentRun(m_done));
    RunsPage page;
    QVERIFY(listDatabase(page, hub, m_db));
    QString error;
    QVERIFY2(page.renameRun(m_done, QStringLiteral("  baseline (aux_free)  "), &error),
             qPrintable(error));
    QCOMPARE(RunStore(m_db.toStdString()).run(m_done).name, std::string("baseline (aux_free)"));
    QCOMPARE(hub.run(m_done)->name, QStringLiteral("baseline (aux_free)"));
    QVERIFY(!page.renameRun(m_done, QStringLiteral("   "), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!page.renameRun(9999, QStringLiteral("x"), &error));
    QVERIFY2(error.contains(QStringLiteral("9999")), qPrintable(error));

    // Through the button and its input dialog.
    page.selectRun(m_failed);
    QTimer::singleShot(50, [] {
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        dialog->setTextValue(QStringLiteral("diverged lr=1e-2"));
        dialog->accept();
    });
    page.findChild<QPushButton*>(QStringLiteral("renameRunButton"))->click();
    QCOMPARE(RunStore(m_db.toStdString()).run(m_failed).name, std::string("diverged lr=1e-2"));
}

void TestRunsPage::deleteAsksFirst() {
    MetricsHub hub;
    hub.setDatabase(m_db);
    QVERIFY(hub.setCurrentRun(m_failed));
    RunsPage page;
    QVERIFY(listDatabase(page, hub, m_db));
    page.show();
    QSignalSpy deleted(&page, &RunsPage::runDeleted);
    page.selectRun(m_failed);
    auto* button = page.findChild<QPushButton*>(QStringLiteral("deleteRunButton"));
    QVERIFY(button->isEnabled());

    answerNextDialog(QStringLiteral("Cancel"));
    button->click();
    QCOMPARE(deleted.count(), 0);
    QCOMPARE(page.rowCount(), 3);

    answerNextDialog(QStringLiteral("Delete"));
    button->click();
    QCOMPARE(deleted.count(), 1);
    QCOMPARE(page.rowCount(), 2);
    QVERIFY_THROWS_EXCEPTION(StoreError, RunStore(m_db.toStdString()).run(m_failed));
    // The hub let go of it too.
    QCOMPARE(hub.currentRun(), qint64(0));
    QVERIFY(!hub.run(m_failed));
}

void TestRunsPage::activeRunCannotBeDeleted() {
    RunReader reader;
    RunsPage page;
    page.setReader(&reader);
    page.setDatabase(m_db);
    QVERIFY(waitForReads(reader));
    page.setActiveRun(m_running);
    page.selectRun(m_running);
    QVERIFY(!page.findChild<QPushButton*>(QStringLiteral("deleteRunButton"))->isEnabled());
    QString error;
    QVERIFY(!page.deleteRun(m_running, &error));
    QVERIFY(error.contains(QString::number(m_running)));
    QCOMPARE(page.rowCount(), 3);
}

void TestRunsPage::unreadableDatabaseShowsReason() {
    // SQLite, but not a TinySeek run store.
    const QString other = m_dir + QStringLiteral("/other.sqlite");
    QFile::remove(other);
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(other).constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE t(x);", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    RunReader reader;
    RunsPage page;
    page.setReader(&reader);
    page.refresh();  // no database: nothing to read, no error
    QVERIFY(page.errorText().isEmpty());
    page.setDatabase(other);
    QVERIFY(waitForReads(reader));
    QCOMPARE(page.rowCount(), 0);
    QVERIFY2(page.errorText().contains(other), qPrintable(page.errorText()));
}

void TestRunsPage::emptyFileHasNoRuns() {
    const QString empty = m_dir + QStringLiteral("/empty.db");
    QFile f(empty);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.close();
    RunReader reader;
    RunsPage page;
    page.setReader(&reader);
    page.setDatabase(empty);
    QVERIFY(waitForReads(reader));
    QCOMPARE(page.rowCount(), 0);
    QVERIFY(page.errorText().isEmpty());
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("runsSummary"))
                ->text()
                .contains(QStringLiteral("New Run")));
}

QTEST_MAIN(TestRunsPage)
#include "test_runs_page.moc"
