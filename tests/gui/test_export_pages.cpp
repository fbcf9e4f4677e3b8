// Export of the Routing, Inference (its KV cache tab here; the rest in
// test_inference_page.cpp) and Rollouts pages' figures: every figure a page lists is
// written as PNG (decodes, 2x pixels, not blank), SVG (parses as XML, has the figure's text),
// PDF (starts with %PDF) and CSV (the figure's header and one line per data row), under the
// page's stable file names. The pages themselves render and are not blank.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

#include "gui/figures/export_figure_dialog.h"
#include "gui/figures/figure_export.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/kv_cache_panel.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "gui/pages/token_routing_view.h"
#include "read_wait.h"
#include "synthetic_run.h"
#include "tests/image_stats.h"
#include "viz/exporters.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// CSV records (RFC 4180: a quoted field may hold line breaks).
QStringList csvRecords(const QString& csv) {
    QStringList out;
    QString record;
    bool quoted = false;
    for (const QChar c : csv) {
        if (c == QLatin1Char('"')) quoted = !quoted;
        if (c == QLatin1Char('\n') && !quoted) {
            out << record;
            record.clear();
        } else {
            record += c;
        }
    }
    if (!record.isEmpty()) out << record;
    return out;
}

// Checks the four files of one figure; returns the CSV's records.
QStringList checkFiles(const QString& dir, viz::Exportable* figure) {
    const QString stem = dir + QLatin1Char('/') + figure->title();
    const QImage png(stem + QStringLiteral(".png"));
    const QSize size = figure->defaultExportSize();
    if (png.isNull() || png.size() != size * 2 || greyStdDev(png) < 5.0) {
        qWarning() << "bad PNG" << stem << png.size();
        return {};
    }
    QXmlStreamReader svg(readAll(stem + QStringLiteral(".svg")));
    bool hasText = false;
    while (!svg.atEnd()) {
        svg.readNext();
        if (svg.isStartElement() && svg.name() == QLatin1String("text")) hasText = true;
    }
    if (svg.hasError() || !hasText) {
        qWarning() << "bad SVG" << stem << svg.errorString();
        return {};
    }
    if (!readAll(stem + QStringLiteral(".pdf")).startsWith("%PDF")) {
        qWarning() << "bad PDF" << stem;
        return {};
    }
    const QString csv = QString::fromUtf8(readAll(stem + QStringLiteral(".csv")));
    if (csv != figure->csv()) {
        qWarning() << "CSV file differs from the figure's CSV" << stem;
        return {};
    }
    return csvRecords(csv);
}

}  // namespace

class TestExportPages : public QObject {
    Q_OBJECT

    synthetic::Database m_db;
    QString m_dir;

  private slots:
    void initTestCase() {
        m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/export_pages");
        QDir(m_dir).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir));
        m_db = synthetic::create(m_dir.toStdString());
    }

    void routingFigures() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        QSignalSpy shown(page.tokenView(), &TokenRoutingView::routingShown);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && !page.tokenView()->isTracing(), 20000);
        page.setCompareRun(m_db.collapsedRun);
        QVERIFY(waitForReads(reader));
        const QList<viz::Exportable*> figures = page.exportables();
        QStringList names;
        for (viz::Exportable* f : figures) names << f->title();
        QCOMPARE(names,
                 (QStringList{"routing-load-by-layer", "routing-load-over-time", "routing-max-vio",
                              "routing-router-bias", "routing-token-experts",
                              "routing-load-by-layer-compare", "routing-load-over-time-compare"}));
        const QString dir = m_dir + QStringLiteral("/routing");
        const viz::ExportReport report = viz::Exporter::exportAll(figures, dir);
        QVERIFY2(report.ok(), qPrintable(report.errors.join(QLatin1Char('\n'))));
        QCOMPARE(report.written.size(), 7 * 4);

        const int layers = 4, experts = synthetic::kExperts, steps = synthetic::kSteps;
        QStringList csv = checkFiles(dir, figures[0]);  // layer x expert at the last step
        QCOMPARE(csv.size(), 1 + layers * experts);
        QVERIFY(csv[0].startsWith(QStringLiteral("row,col,value")));
        csv = checkFiles(dir, figures[1]);  // expert x step of one layer
        QCOMPARE(csv.size(), 1 + experts * steps);
        csv = checkFiles(dir, figures[2]);  // MaxVio of the chosen layer, 2 runs x steps
        QCOMPARE(csv[0], QStringLiteral("run,layer,step,wall_time,max_vio"));
        QCOMPARE(csv.size(), 1 + 2 * steps);
        csv = checkFiles(dir, figures[3]);  // bias per expert of one layer
        QCOMPARE(csv[0], QStringLiteral("run,layer,expert,step,wall_time,bias"));
        QCOMPARE(csv.size(), 1 + experts * steps);
        csv = checkFiles(dir, figures[4]);  // tokens of one rollout
        QVERIFY(csv[0].startsWith(QStringLiteral("index,token,category")));
        const std::string text = synthetic::prompt(35, 0) + synthetic::completion(35, 0);
        QCOMPARE(csv.size(), 1 + 1 + static_cast<int>(Tokenizer().encode(text).size()));
        QCOMPARE(checkFiles(dir, figures[5]).size(), 1 + layers * experts);
        QCOMPARE(checkFiles(dir, figures[6]).size(), 1 + experts * steps);
    }

    void kvCacheFigures() {
        InferencePage page;  // a fresh tiny model: the KV cache figures, no acceptance
        const QList<viz::Exportable*> figures = page.exportables();
        QStringList names;
        for (viz::Exportable* f : figures) names << f->title();
        QCOMPARE(names, (QStringList{"kv-bytes-per-token", "kv-measured-cache", "kv-max-batch"}));
        const QString dir = m_dir + QStringLiteral("/kv");
        const viz::ExportReport report = viz::Exporter::exportAll(figures, dir);
        QVERIFY2(report.ok(), qPrintable(report.errors.join(QLatin1Char('\n'))));
        // category,group,value: bytes/token 4 schemes x 3 models; measured 4 lengths x 4
        // groups (latent and expanded at batch 1 and 8); max batch 4 x 2.
        const int rows[] = {12, 16, 8};
        for (int i = 0; i < 3; ++i) {
            const QStringList csv = checkFiles(dir, figures[i]);
            QCOMPARE(csv.value(0), QStringLiteral("category,group,value"));
            QCOMPARE(csv.size(), 1 + rows[i]);
        }
    }

    void rolloutsTable() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.collapsedRun);
        page.setStepRange(5, 30);
        QVERIFY(waitForReads(reader));
        const QList<viz::Exportable*> figures = page.exportables();
        // The table, the selected completion's tokens and the histogram over steps.
        QCOMPARE(figures.size(), 3);
        const QString dir = m_dir + QStringLiteral("/rollouts");
        const viz::ExportReport report = viz::Exporter::exportAll(figures, dir);
        QVERIFY2(report.ok(), qPrintable(report.errors.join(QLatin1Char('\n'))));
        const QStringList csv = checkFiles(dir, figures[0]);
        QCOMPARE(csv.value(0),
                 QStringLiteral("step,prompt,completion,accuracy,format,reward,advantage,"
                                "length,malformed"));
        QCOMPARE(csv.size(), 1 + 6 * synthetic::kRolloutsPerStep);  // steps 5..30
        // Writing by extension, as the per-chart menu does.
        QVERIFY(FigureExport::writeByExtension(*figures[0], dir + QStringLiteral("/one.pdf"))
                    .isEmpty());
        QVERIFY(readAll(dir + QStringLiteral("/one.pdf")).startsWith("%PDF"));
        QVERIFY(!FigureExport::writeByExtension(*figures[0], dir + QStringLiteral("/one.bmp"))
                     .isEmpty());
    }

    void dialogWritesTheChosenSize() {
        InferencePage page;
        viz::Exportable* figure = page.kvCachePanel()->exportables().front();
        const QString dir = m_dir + QStringLiteral("/dialog");
        QVERIFY(QDir().mkpath(dir));
        ExportFigureDialog dialog(*figure, dir + QStringLiteral("/bytes.png"));
        QCOMPARE(dialog.figureSize(), figure->defaultExportSize());
        QCOMPARE(dialog.pixelRatio(), 2.0);  // 2x by default
        dialog.setFigureSize(QSize(400, 300));
        dialog.setPixelRatio(3);
        QVERIFY(dialog.exportNow().isEmpty());
        QCOMPARE(QImage(dir + QStringLiteral("/bytes.png")).size(), QSize(1200, 900));
        dialog.setPath(dir + QStringLiteral("/bytes.svg"));
        QVERIFY(dialog.exportNow().isEmpty());
        QXmlStreamReader svg(readAll(dir + QStringLiteral("/bytes.svg")));
        while (!svg.atEnd() && !(svg.readNext() == QXmlStreamReader::StartElement &&
                                 svg.name() == QLatin1String("svg"))) {
        }
        QCOMPARE(svg.attributes().value(QLatin1String("viewBox")).toString(),
                 QStringLiteral("0 0 400 300"));
        dialog.setPath(dir + QStringLiteral("/bytes.txt"));
        QVERIFY(!dialog.exportNow().isEmpty());  // unknown type: refused with the reason
    }

    void pagesRenderNotBlank() {
        // Screens of the three pages, kept in the scratch folder to look at.
        RunReader reader;
        RoutingPage routing;
        InferencePage kv;
        RolloutsPage rollouts;
        for (Page* page :
             {static_cast<Page*>(&routing), static_cast<Page*>(&kv), static_cast<Page*>(&rollouts)})
            page->setReader(&reader);
        QSignalSpy shown(routing.tokenView(), &TokenRoutingView::routingShown);
        routing.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        kv.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        rollouts.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && !routing.tokenView()->isTracing(), 20000);
        const QList<QPair<QWidget*, QString>> pages = {
            {&routing, "routing"}, {&kv, "kv_cache"}, {&rollouts, "rollouts"}};
        for (const auto& [widget, name] : pages) {
            widget->resize(1300, 820);
            widget->show();
            QVERIFY(QTest::qWaitForWindowExposed(widget));
            const QImage shot = widget->grab().toImage();
            QVERIFY2(greyStdDev(shot) > 15.0, qPrintable(name));
            QVERIFY(shot.save(m_dir + QStringLiteral("/page_%1.png").arg(name)));
        }
    }
};

QTEST_MAIN(TestExportPages)
#include "test_export_pages.moc"
