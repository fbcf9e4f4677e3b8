// Titles fit: at the smallest window the workbench is laid out for (1280x800), every page of a
// run with long names, compared with another run, is painted, and no figure title or rotated
// label had to be drawn cut (viz::clippedFigureTexts: a text wider than its room even at 70 %
// of its size). The screenshots are written for a look (TINYSEEK_TEST_TMP/titles_fit).
#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/main_window.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/page.h"
#include "gui/pages/page_registry.h"
#include "read_wait.h"
#include "scratch_settings.h"
#include "synthetic_run.h"
#include "viz/figure_painter.h"

using namespace tinyseek;
using namespace tinyseek::gui;

class TestTitlesFit : public QObject {
    Q_OBJECT

    QTemporaryDir m_settingsDir;

  private slots:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        useScratchSettings(m_settingsDir.path(), QStringLiteral("test_titles_fit"));
    }

    void noFigureTextIsCutAt1280x800() {
        const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/titles_fit");
        QDir(dir).removeRecursively();
        QVERIFY(QDir().mkpath(dir));
        const synthetic::Database db = synthetic::create(dir.toStdString());
        {  // names as long as the default pipeline's
            RunStore store(db.path);
            store.rename_run(db.balancedRun, "addition sft+grpo, seed 1, pool 256 (aux_free)");
            store.rename_run(db.collapsedRun, "addition sft+grpo, seed 2, pool 256 (none)");
        }
        MainWindow window;
        window.setPersistent(false);
        if (auto* inference =
                qobject_cast<InferencePage*>(window.page(QStringLiteral("inference"))))
            inference->setHeldOutPrompts(4);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openDatabase(QString::fromStdString(db.path), false));
        QVERIFY(waitForReads(*window.metricsHub()->reader()));
        QVERIFY(window.metricsHub()->addOverlay(db.balancedRun));
        QVERIFY(waitForReads(*window.metricsHub()->reader()));
        QStringList cut;
        for (const QString& id : pageIds()) {
            QVERIFY(window.showPage(id));
            Page* page = window.page(id);
            QVERIFY(QTest::qWaitFor([page] { return !page->isBusy(); }, 60000));
            QVERIFY(waitForReads(*window.metricsHub()->reader()));
            QCoreApplication::processEvents();
            viz::clearClippedFigureTexts();
            window.grab().save(dir + QLatin1Char('/') + id + QStringLiteral(".png"));
            for (const QString& text : viz::clippedFigureTexts())
                cut << QStringLiteral("%1: %2").arg(id, text);
        }
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TestTitlesFit)
#include "test_titles_fit.moc"
