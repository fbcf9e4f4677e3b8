// Exporters: PNG at the chosen size and pixel ratio, SVG that parses and carries the texts,
// PDF, untruncated CSV, exportAll folder naming. All from widgets that are never shown.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>

#include "tests/image_stats.h"
#include "viz/exporters.h"
#include "viz/heatmap_widget.h"
#include "viz/metric_chart.h"
#include "viz/token_strip.h"

using namespace tinyseek::viz;

namespace {

QString scratchDir(const QString& name) {
    const QString dir = QStringLiteral(TINYSEEK_TEST_TMP "/viz_exporters/") + name;
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    return dir;
}

MetricSeries series(int n) {
    MetricSeries s;
    for (int i = 0; i < n; ++i)
        s.append(i, 0.25 * i, 1.0 - std::exp(-i / 20000.0) + 0.05 * std::sin(i));
    return s;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return QByteArray();
    return f.readAll();
}

}  // namespace

class TestExporters : public QObject {
    Q_OBJECT

  private:
    MetricChart m_chart;  // never shown: exports must not need a visible widget

  private slots:
    void initTestCase() {
        m_chart.setTitle(QStringLiteral("Held-out accuracy"));
        m_chart.setYAxisTitle(QStringLiteral("accuracy"));
        m_chart.updateRun(1, QStringLiteral("baseline run"), series(100000));
        m_chart.updateRun(2, QStringLiteral("aux-free run"), series(5000));
        QVERIFY(!m_chart.isVisible());
    }

    void pngHasChosenSizeAndRatio() {
        const QString dir = scratchDir(QStringLiteral("png"));
        QString error;
        const QString path = dir + QStringLiteral("/chart.png");
        QVERIFY2(Exporter::exportPng(m_chart, path, QSize(400, 300), 1.0, &error),
                 qPrintable(error));
        QImage image(path);
        QCOMPARE(image.size(), QSize(400, 300));
        QVERIFY(greyStdDev(image) > 10.0);
        QCOMPARE(image.dotsPerMeterX(), 3780);  // 96 dpi at 1x

        // Default: the item's size at 2x device pixels.
        QVERIFY(Exporter::exportPng(m_chart, path, QSize(), 2.0, &error));
        QCOMPARE(QImageReader(path).size(), m_chart.defaultExportSize() * 2);
        image = QImage(path);
        QVERIFY(greyStdDev(image) > 10.0);
        QCOMPARE(image.dotsPerMeterY(), 7559);  // 192 dpi at 2x: prints at the laid-out size
        // The whole figure is drawn at 2x, not only the top-left quarter: the bottom-right
        // quarter has content too (legend, axis labels, curves).
        const QImage quarter = image.copy(image.width() / 2, image.height() / 2, image.width() / 2,
                                          image.height() / 2);
        QVERIFY(greyStdDev(quarter) > 5.0);
    }

    void svgParsesAndCarriesTexts() {
        const QString path = scratchDir(QStringLiteral("svg")) + QStringLiteral("/chart.svg");
        QString error;
        QVERIFY2(Exporter::exportSvg(m_chart, path, QSize(800, 500), &error), qPrintable(error));
        const QByteArray svg = readAll(path);
        QXmlStreamReader xml(svg);
        QString width;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
                width = xml.attributes().value(QLatin1String("width")).toString();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        for (const char* text :
             {"Held-out accuracy", "accuracy", "Step", "baseline run", "aux-free run"})
            QVERIFY2(svg.contains(text), text);
        // 800 px at 96 dpi = 211.67 mm.
        QVERIFY2(width.endsWith(QLatin1String("mm")), qPrintable(width));
        QVERIFY(std::abs(width.chopped(2).toDouble() - 800 * 25.4 / 96) < 0.5);
        // Decimated: 105k points do not become a huge file.
        QVERIFY2(svg.size() < 2'000'000, qPrintable(QString::number(svg.size())));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
    }

    void pdfIsWritten() {
        const QString path = scratchDir(QStringLiteral("pdf")) + QStringLiteral("/chart.pdf");
        QString error;
        QVERIFY2(Exporter::exportPdf(m_chart, path, QSize(800, 500), &error), qPrintable(error));
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF"));
        // Page = 800 x 500 px at 96 dpi = 600 x 375 pt.
        const QRegularExpression box(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
        const auto m = box.match(QString::fromLatin1(pdf));
        QVERIFY(m.hasMatch());
        QVERIFY(std::abs(m.captured(1).toDouble() - 600) < 2);
        QVERIFY(std::abs(m.captured(2).toDouble() - 375) < 2);
    }

    void csvIsNeverTruncated() {
        const QString path = scratchDir(QStringLiteral("csv")) + QStringLiteral("/chart.csv");
        QString error;
        QVERIFY2(Exporter::exportCsv(m_chart, path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        QCOMPARE(f.readLine().trimmed(), QByteArray("run,step,wall_time,value,smoothed"));
        int rows = 0;
        QByteArray line, lastOfRun1;
        while (!f.atEnd()) {
            line = f.readLine();
            if (++rows == 100000) lastOfRun1 = line;
        }
        QCOMPARE(rows, 100000 + 5000);
        // Runs in id order, each complete.
        QVERIFY2(lastOfRun1.startsWith("baseline run,99999,24999.75,"), lastOfRun1.constData());
        QVERIFY2(line.startsWith("aux-free run,4999,1249.75,"), line.constData());
    }

    void exportAllWritesAFolder() {
        HeatmapWidget heatmap;
        Matrix m(2, 3, 1.0f);
        heatmap.setMatrix(m);
        heatmap.setTitle(QStringLiteral("Held-out accuracy"));  // clashes with the chart
        TokenStrip strip;
        strip.setTokens({QStringLiteral("1"), QStringLiteral("+")}, {0, 1});
        strip.setTitle(QStringLiteral("../Tokens: layer 2 / step 40"));
        const QString dir = scratchDir(QStringLiteral("all"));
        const ExportReport report =
            Exporter::exportAll({&m_chart, &heatmap, &strip}, dir + QStringLiteral("/run 7"));
        QVERIFY2(report.ok(), qPrintable(report.errors.join(QLatin1Char('\n'))));
        QCOMPARE(report.written.size(), 12);
        QStringList names = QDir(dir + QStringLiteral("/run 7")).entryList(QDir::Files);
        names.sort();
        QCOMPARE(names, QStringList({"Held-out_accuracy.csv", "Held-out_accuracy.pdf",
                                     "Held-out_accuracy.png", "Held-out_accuracy.svg",
                                     "Held-out_accuracy_2.csv", "Held-out_accuracy_2.pdf",
                                     "Held-out_accuracy_2.png", "Held-out_accuracy_2.svg",
                                     "Tokens_layer_2_step_40.csv", "Tokens_layer_2_step_40.pdf",
                                     "Tokens_layer_2_step_40.png", "Tokens_layer_2_step_40.svg"}));
        // The heatmap CSV has one row per cell.
        const QByteArray csv = readAll(dir + QStringLiteral("/run 7/Held-out_accuracy_2.csv"));
        QCOMPARE(csv.count('\n'), 1 + 6);

        // Only the requested formats.
        const ExportReport pngOnly = Exporter::exportAll(
            {&heatmap}, dir + QStringLiteral("/png_only"), ExportFormat::Png, QSize(300, 200), 1);
        QCOMPARE(pngOnly.written.size(), 1);
        QCOMPARE(QImageReader(pngOnly.written.first()).size(), QSize(300, 200));
    }

    void sanitizedNames() {
        QCOMPARE(Exporter::sanitizeFileName(QStringLiteral("../etc/passwd")),
                 QStringLiteral("etc_passwd"));
        QCOMPARE(Exporter::sanitizeFileName(QString::fromUtf8("KL: β=0.04")),
                 QString::fromUtf8("KL_β_0.04"));
        QCOMPARE(Exporter::sanitizeFileName(QStringLiteral("  ")), QStringLiteral("figure"));
        QCOMPARE(Exporter::sanitizeFileName(QString(200, QLatin1Char('a'))).size(), 80);
    }

    void failuresAreReported() {
        // A path whose parent is a file cannot be written; the message names the path.
        const QString dir = scratchDir(QStringLiteral("fail"));
        QFile blocker(dir + QStringLiteral("/file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString path = dir + QStringLiteral("/file/chart.png");
        QString error;
        QVERIFY(!Exporter::exportPng(m_chart, path, QSize(100, 100), 1.0, &error));
        QVERIFY2(error.contains(dir + QStringLiteral("/file")), qPrintable(error));
        QVERIFY(!Exporter::exportCsv(m_chart, path, &error));
    }

    void csvHelpers() {
        QCOMPARE(csvField(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(csvField(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(csvNumber(0.1), QStringLiteral("0.1"));
        QCOMPARE(csvNumber(1.0 / 3.0).toDouble(), 1.0 / 3.0);
        QCOMPARE(csvNumber(1.85f), QStringLiteral("1.85"));
        QCOMPARE(csvNumber(std::nan("")), QStringLiteral("nan"));
    }
};

QTEST_MAIN(TestExporters)
#include "test_exporters.moc"
