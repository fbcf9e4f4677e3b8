// RunReader, the one reader of run databases in the GUI: reads run on its own thread and are
// answered on the GUI thread, in order; an answer for a requester that is gone is dropped; a
// damaged or locked file is a readable reason, never a crash or a frozen window. The hub loads
// stored runs through it (a step that arrives live while its run is read is kept), and the
// window's pages read through the hub's reader.
#include <sqlite3.h>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/main_window.h"
#include "gui/pages/page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "gui/pages/runs_page.h"
#include "read_wait.h"
#include "run_fixture.h"
#include "scratch_settings.h"
#include "training/run_store.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

QString scratch(const QString& name) {
    const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_run_reader");
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name;
    for (const char* suffix : {"", "-wal", "-shm"}) QFile::remove(path + QLatin1String(suffix));
    return path;
}

// A database with one stored run of `steps` steps; its id in *runId.
QString storedRun(const QString& name, qint64 steps, qint64* runId) {
    const QString path = scratch(name);
    RunStore store(path.toStdString());
    *runId = testdata::storeRun(store, "stored run", steps);
    return path;
}

QString junkFile(const QString& name) {
    const QString path = scratch(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(QByteArray(4096, 'x'));
    return path;
}

// Holds the database locked against every other connection, readers included, until closed.
class ExclusiveLock {
  public:
    explicit ExclusiveLock(const QString& path) {
        sqlite3_open(QFile::encodeName(path).constData(), &m_db);
        m_ok = sqlite3_exec(m_db,
                            "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; "
                            "CREATE TABLE lock_probe(x);",
                            nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~ExclusiveLock() {
        sqlite3_exec(m_db, "ROLLBACK;", nullptr, nullptr, nullptr);
        sqlite3_close(m_db);
    }
    bool ok() const { return m_ok; }

  private:
    sqlite3* m_db = nullptr;
    bool m_ok = false;
};

}  // namespace

class TestRunReader : public QObject {
    Q_OBJECT

    QTemporaryDir m_settingsDir;

  private slots:
    void initTestCase();
    void readsOnItsThreadAnswersOnTheGuiThread();
    void answersInOrderAndDropsGoneRequesters();
    void damagedFileGivesTheReason();
    void lockedFileKeepsTheGuiResponsive();
    void hubLoadsThroughTheReader();
    void liveStepsDuringALoadAreKept();
    void windowPagesReadThroughTheHub();
};

void TestRunReader::initTestCase() {
    // The window reads its settings: never the user's real ones.
    QVERIFY(m_settingsDir.isValid());
    useScratchSettings(m_settingsDir.path(), QStringLiteral("test_run_reader"));
}

void TestRunReader::readsOnItsThreadAnswersOnTheGuiThread() {
    qint64 run = 0;
    const QString db = storedRun(QStringLiteral("threads.db"), 5, &run);
    RunReader reader;
    QObject requester;
    QThread* readThread = nullptr;
    QThread* answerThread = nullptr;
    std::int64_t steps = 0;
    reader.read<std::int64_t>(
        db, &requester,
        [&readThread, run](const RunStore& store) {
            readThread = QThread::currentThread();
            return store.run(run).n_steps;
        },
        [&](const ReadResult<std::int64_t>& result) {
            answerThread = QThread::currentThread();
            QVERIFY2(result.ok(), qPrintable(result.error));
            steps = result.value;
        });
    QVERIFY(!reader.isIdle());
    QVERIFY(waitForReads(reader));
    QCOMPARE(steps, std::int64_t(5));
    QVERIFY(readThread);
    QVERIFY(readThread != QThread::currentThread());
    QCOMPARE(readThread, reader.readerThread());
    QCOMPARE(answerThread, QThread::currentThread());

    // readNow() is the synchronous exception, on the calling thread.
    const ReadResult<QThread*> now =
        reader.readNow<QThread*>(db, [](const RunStore&) { return QThread::currentThread(); });
    QVERIFY(now.ok());
    QCOMPARE(now.value, QThread::currentThread());
}

void TestRunReader::answersInOrderAndDropsGoneRequesters() {
    qint64 run = 0;
    const QString db = storedRun(QStringLiteral("order.db"), 3, &run);
    RunReader reader;
    QSignalSpy idle(&reader, &RunReader::idle);
    QList<int> answered;
    auto gone = std::make_unique<QObject>();
    QObject stays;
    const auto ask = [&](QObject* requester, int n) {
        return reader.read<int>(
            db, requester, [n](const RunStore&) { return n; },
            [&answered](const ReadResult<int>& r) { answered << r.value; });
    };
    const quint64 first = ask(&stays, 1);
    ask(gone.get(), 2);
    const quint64 third = ask(&stays, 3);
    QVERIFY(third > first);
    QCOMPARE(reader.pendingCount(), 3);
    gone.reset();  // its answer is not delivered
    QVERIFY(waitForReads(reader));
    QCOMPARE(answered, (QList<int>{1, 3}));
    QCOMPARE(idle.count(), 1);
}

void TestRunReader::damagedFileGivesTheReason() {
    const QString junk = junkFile(QStringLiteral("junk.db"));
    RunReader reader;
    QString error;
    reader.read<std::size_t>(
        junk, nullptr, [](const RunStore& store) { return store.list_runs().size(); },
        [&error](const ReadResult<std::size_t>& r) { error = r.error; });
    QVERIFY(waitForReads(reader));
    QVERIFY(!error.isEmpty());

    // The pages say so in place of their content.
    RoutingPage routing;
    routing.setReader(&reader);
    routing.setRun(junk, 1);
    RolloutsPage rollouts;
    rollouts.setReader(&reader);
    rollouts.setRun(junk, 1);
    QVERIFY(waitForReads(reader));
    QVERIFY(!routing.isEmptyStateVisible());
    QVERIFY(routing.exportables().isEmpty());
    QVERIFY2(rollouts.countText().startsWith(QStringLiteral("Cannot show run 1")),
             qPrintable(rollouts.countText()));
    QVERIFY(rollouts.countText().contains(error));

    // The hub refuses the run at once, naming the file.
    MetricsHub hub;
    hub.setDatabase(junk);
    QVERIFY(!hub.setCurrentRun(1, &error));
    QVERIFY2(error.contains(junk), qPrintable(error));
    QCOMPARE(hub.currentRun(), qint64(0));
}

void TestRunReader::lockedFileKeepsTheGuiResponsive() {
    qint64 run = 0;
    const QString db = storedRun(QStringLiteral("locked.db"), 3, &run);
    ExclusiveLock lock(db);
    QVERIFY(lock.ok());
    RunReader reader;
    RunsPage page;
    page.setReader(&reader);
    page.setDatabase(db);
    QVERIFY(page.isRefreshing());
    // The reader waits out SQLite's busy timeout on its own thread; the GUI thread goes on.
    int ticks = 0;
    QTimer timer;
    timer.setInterval(10);
    connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
    timer.start();
    QVERIFY(waitForReads(reader, 30000));
    QVERIFY2(ticks > 50, qPrintable(QString::number(ticks)));
    QCOMPARE(page.rowCount(), 0);
    QVERIFY2(page.errorText().contains(db), qPrintable(page.errorText()));
    QVERIFY2(page.errorText().contains(QStringLiteral("locked")), qPrintable(page.errorText()));
}

void TestRunReader::hubLoadsThroughTheReader() {
    qint64 run = 0;
    const QString db = storedRun(QStringLiteral("hub.db"), 40, &run);
    MetricsHub hub;
    hub.setDatabase(db);
    QSignalSpy changed(&hub, &MetricsHub::runDataChanged);
    QVERIFY(hub.setCurrentRun(run));
    // Selected at once, with its name; the series follow from the reader thread.
    QCOMPARE(hub.currentRun(), run);
    QVERIFY(hub.run(run)->loading);
    QCOMPARE(hub.run(run)->name, QStringLiteral("stored run"));
    QVERIFY(!hub.reader()->isIdle());
    QVERIFY(waitForReads(*hub.reader()));
    QCOMPARE(changed.count(), 1);
    QVERIFY(!hub.run(run)->loading);
    QCOMPARE(hub.run(run)->steps.size(), std::size_t(40));
    QCOMPARE(hub.run(run)->metrics.at(QString::fromLatin1(metric::kLoss)).size(), std::size_t(40));
}

void TestRunReader::liveStepsDuringALoadAreKept() {
    qint64 run = 0;
    const QString db = storedRun(QStringLiteral("live.db"), 30, &run);
    {
        // A new step after the stored ones arrives while the run is read.
        MetricsHub hub;
        hub.setDatabase(db);
        QVERIFY(hub.loadRun(run));
        StepReport next = testdata::makeReport(run, 30, 10);
        next.scalars[metric::kLoss] = -30.0;
        hub.on_step(next);
        hub.flush();
        QVERIFY(waitForReads(*hub.reader()));
        const HubRun* r = hub.run(run);
        QCOMPARE(r->steps.size(), std::size_t(31));
        const viz::MetricSeries& loss = r->metrics.at(QString::fromLatin1(metric::kLoss));
        QCOMPARE(loss.size(), std::size_t(31));
        QCOMPARE(loss.values.back(), -30.0);
        QCOMPARE(loss.values[29], testdata::makeReport(run, 29, 10).scalars.at(metric::kLoss));
        QCOMPARE(r->latest->step, qint64(30));
    }
    {
        // A resumed run re-runs step 10 while its stored steps are read: the re-run replaces
        // the stored tail, as it does for a run the hub already held.
        MetricsHub hub;
        hub.setDatabase(db);
        QVERIFY(hub.loadRun(run));
        StepReport again = testdata::makeReport(run, 10, 10);
        again.scalars[metric::kLoss] = -10.0;
        hub.on_step(again);
        hub.flush();
        QVERIFY(waitForReads(*hub.reader()));
        const HubRun* r = hub.run(run);
        QCOMPARE(r->steps.size(), std::size_t(11));
        QCOMPARE(r->steps.back(), qint64(10));
        const viz::MetricSeries& loss = r->metrics.at(QString::fromLatin1(metric::kLoss));
        QCOMPARE(loss.size(), std::size_t(11));
        QCOMPARE(loss.values.back(), -10.0);
    }
}

void TestRunReader::windowPagesReadThroughTheHub() {
    qint64 run = 0;
    const QString db = storedRun(QStringLiteral("window.db"), 12, &run);
    MainWindow window;
    window.setPersistent(false);
    RunReader* reader = window.metricsHub()->reader();
    for (const QString& id : window.pageIds()) QCOMPARE(window.page(id)->reader(), reader);
    QVERIFY(window.openDatabase(db, false));
    // The Runs page's list is a request to the hub's reader, and the run to show follows it.
    QVERIFY(!reader->isIdle());
    auto* runs = qobject_cast<RunsPage*>(window.page(QStringLiteral("runs")));
    QCOMPARE(runs->rowCount(), 0);
    QVERIFY(waitForReads(*reader));
    QCOMPARE(runs->rowCount(), 1);
    QCOMPARE(window.currentRunId(), run);
    QCOMPARE(window.metricsHub()->run(run)->steps.size(), std::size_t(12));
}

QTEST_MAIN(TestRunReader)
#include "test_run_reader.moc"
