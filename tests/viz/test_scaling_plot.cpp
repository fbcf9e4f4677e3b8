// ScalingPlot: log2 k axis, bands, reference lines, secondary axis, tooltip, CSV.
#include <QImage>
#include <QPainter>
#include <QtTest>

#include <cmath>

#include "viz/color_map.h"
#include "viz/scaling_plot.h"

using namespace tinyseek::viz;

namespace {

const std::vector<double> kKs = {1, 2, 4, 8, 16, 32};

ScalingCurve curve(const QString& name, double a, double b, double spread) {
    ScalingCurve c;
    c.name = name;
    c.k = kKs;
    for (double k : kKs) {
        const double m = a + b * std::log2(k);
        c.mean.push_back(m);
        if (spread > 0) {
            c.low.push_back(m - spread);
            c.high.push_back(m + spread);
        }
    }
    return c;
}

void setUp(ScalingPlot& plot) {
    plot.setTitle(QStringLiteral("Accuracy vs k"));
    plot.setYAxisTitle(QStringLiteral("accuracy"));
    plot.setSecondaryAxisTitle(QStringLiteral("tokens per item"));
    plot.setYRange(0.0, 1.0);
    plot.setCurves({curve(QStringLiteral("Voting"), 0.5, 0.05, 0.1),
                    curve(QStringLiteral("Meta RM"), 0.5, 0.08, 0.0)});
    plot.setReferenceLines({{QStringLiteral("Greedy"), 0.45}});
    ScalingCurve tokens;
    tokens.name = QStringLiteral("Voting");
    tokens.k = kKs;
    for (double k : kKs) tokens.mean.push_back(200.0 * k);
    plot.setSecondaryCurves({tokens});
}

}  // namespace

class TestScalingPlot : public QObject {
    Q_OBJECT

  private slots:
    void doublingKIsEquallySpaced() {
        ScalingPlot plot;
        setUp(plot);
        const QRectF canvas(0, 0, 900, 560);
        QList<double> xs;
        for (int i = 0; i < 6; ++i) xs << plot.pointPosition(0, i, canvas).x();
        const double step = xs[1] - xs[0];
        QVERIFY(step > 50);
        for (int i = 1; i < 6; ++i) QVERIFY(std::abs((xs[i] - xs[i - 1]) - step) < 1e-6);
        // Fixed 0..1 range: y is linear in accuracy.
        const double y0 = plot.pointPosition(1, 0, canvas).y();  // 0.5
        const double y5 = plot.pointPosition(1, 5, canvas).y();  // 0.9
        QVERIFY(y5 < y0);
        QCOMPARE(plot.yScale().min(), 0.0);
        QCOMPARE(plot.yScale().max(), 1.0);
    }

    void logYSpacesDecadesEqually() {
        ScalingPlot plot;
        ScalingCurve c;
        c.name = QStringLiteral("error");
        c.k = {256, 512, 1024, 2048};
        c.mean = {1e-6, 1e-4, 1e-2, 0.0};  // the zero cannot be drawn on a log axis
        plot.setCurves({c});
        plot.setLogY(true);
        QVERIFY(plot.yScale().isLog());
        QCOMPARE(plot.yScale().min(), 1e-6);
        QCOMPARE(plot.yScale().max(), 1e-2);
        const QRectF canvas(0, 0, 900, 560);
        const double y0 = plot.pointPosition(0, 0, canvas).y();
        const double y1 = plot.pointPosition(0, 1, canvas).y();
        const double y2 = plot.pointPosition(0, 2, canvas).y();
        QVERIFY(y1 < y0);
        QVERIFY(std::abs((y0 - y1) - (y1 - y2)) < 1e-6);  // two decades each
        QImage image(900, 560, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        plot.paint(painter, canvas);  // the zero is left out, not drawn at -infinity
    }

    void referenceLabelAvoidsTheCurves() {
        // A curve that ends on the reference line at k = 32 pushes its label to the left end;
        // one that starts on it at k = 1 pushes it to the right end.
        const QRectF canvas(0, 0, 900, 560);
        for (const bool rising : {true, false}) {
            ScalingPlot plot;
            plot.setYRange(0.0, 1.0);
            plot.setCurves({rising ? curve(QStringLiteral("Voting"), 0.3, 0.1, 0.0)
                                   : curve(QStringLiteral("Voting"), 0.8, -0.1, 0.0)});
            plot.setReferenceLines({{QStringLiteral("Greedy judge"), 0.8}});
            const QRectF label = plot.referenceLabelRect(0, canvas);
            QVERIFY(label.isValid());
            const double first = plot.pointPosition(0, 0, canvas).x();
            const double last = plot.pointPosition(0, 5, canvas).x();
            if (rising)
                QVERIFY2(label.right() < (first + last) / 2, "label should be on the left");
            else
                QVERIFY2(label.left() > (first + last) / 2, "label should be on the right");
            // Just above its line.
            const double lineY = plot.pointPosition(0, rising ? 5 : 0, canvas).y();
            QVERIFY(std::abs(label.bottom() - lineY) < 3.0);
        }
        ScalingPlot none;
        QVERIFY(!none.referenceLabelRect(0, canvas).isValid());
    }

    void referenceLabelsDoNotCoverEachOther() {
        // Three lines within a few pixels (scalar RM 0.368, random pick 0.362, another 0.365):
        // no two labels overlap, and each stays beside its own line (just above or below).
        const QRectF canvas(0, 0, 900, 560);
        ScalingPlot plot;
        plot.setYRange(0.0, 1.0);
        plot.setCurves({curve(QStringLiteral("Voting"), 0.5, 0.05, 0.0)});
        plot.setReferenceLines({{QStringLiteral("Scalar RM"), 0.368},
                                {QStringLiteral("Random pick"), 0.362},
                                {QStringLiteral("Greedy judge"), 0.365}});
        const QList<QRectF> labels = plot.referenceLabelRects(canvas);
        QCOMPARE(labels.size(), 3);
        for (int a = 0; a < 3; ++a) {
            QCOMPARE(plot.referenceLabelRect(a, canvas), labels[a]);
            for (int b = a + 1; b < 3; ++b)
                QVERIFY2(!labels[a].intersects(labels[b]),
                         qPrintable(QStringLiteral("labels %1 and %2 overlap").arg(a).arg(b)));
        }
        // Line y from the curve's own scale: the curve passes 0.5 at k = 1.
        const double y05 = plot.pointPosition(0, 0, canvas).y();
        const double y0 = y05 + (y05 - plot.pointPosition(0, 1, canvas).y()) / 0.05 * 0.5;
        for (int r = 0; r < 3; ++r) {
            const double lineY =
                y0 - (y0 - y05) / 0.5 * std::vector<double>{0.368, 0.362, 0.365}[r];
            QVERIFY(std::abs(labels[r].bottom() - lineY) < 3.0 ||
                    std::abs(labels[r].top() - lineY) < 3.0);
        }
    }

    void secondaryAxisHasItsOwnScale() {
        ScalingPlot plot;
        setUp(plot);
        QCOMPARE(plot.secondaryScale().min(), 0.0);
        QVERIFY(plot.secondaryScale().max() >= 6400.0);
        const QRectF canvas(0, 0, 900, 560);
        // 6400 tokens and accuracy 0.5 differ wildly but both land inside the plot.
        const QPointF top = plot.pointPosition(0, 5, canvas, true);
        const QPointF bottom = plot.pointPosition(0, 0, canvas, true);
        QVERIFY(top.y() < bottom.y());
        QCOMPARE(top.x(), plot.pointPosition(0, 5, canvas).x());
    }

    void bandAndPointsArePainted() {
        ScalingPlot plot;
        setUp(plot);
        const QSize size(900, 560);
        const QRectF canvas(QPointF(0, 0), QSizeF(size));
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            plot.paint(p, canvas);
        }
        // The marker centre of Meta RM at k = 8 has the method's colour.
        const QPoint marker = plot.pointPosition(1, 3, canvas).toPoint();
        const QColor m = image.pixelColor(marker);
        const QColor expected = categoryColor(1);
        QVERIFY2(std::abs(m.red() - expected.red()) + std::abs(m.green() - expected.green()) +
                         std::abs(m.blue() - expected.blue()) <
                     30,
                 qPrintable(m.name()));
        // Half way between Voting's mean and its upper edge (0.05 of 1.0 above the line):
        // tinted by the band, not white.
        const QPointF mean = plot.pointPosition(0, 2, canvas);  // k = 4
        const QPointF onePointAbove = plot.pointPosition(0, 3, canvas);
        const double pxPerUnit =
            (plot.pointPosition(1, 5, canvas).y() - plot.pointPosition(1, 0, canvas).y()) /
            (0.9 - 0.5);
        const QPoint inBand(static_cast<int>((mean.x() + onePointAbove.x()) / 2),
                            static_cast<int>(mean.y() + 0.06 * pxPerUnit));
        const QColor band = image.pixelColor(inBand);
        QVERIFY2(band != QColor(Qt::white) && band.blue() > band.red(), qPrintable(band.name()));
    }

    void tooltipNamesThePoint() {
        ScalingPlot plot;
        setUp(plot);
        const QRectF canvas(0, 0, 900, 560);
        const QString tip =
            plot.toolTipAt(plot.pointPosition(0, 3, canvas) + QPointF(2, 1), canvas);
        QVERIFY2(tip.contains(QStringLiteral("Voting, k = 8: 0.65")), qPrintable(tip));
        QVERIFY(tip.contains(QStringLiteral("0.55")));
        QVERIFY(tip.contains(QStringLiteral("0.75")));
        QVERIFY(plot.toolTipAt(QPointF(2, 2), canvas).isEmpty());
        const QString cost = plot.toolTipAt(plot.pointPosition(0, 5, canvas, true), canvas);
        QVERIFY2(cost.contains(QStringLiteral("6400")), qPrintable(cost));
    }

    void csvHasEveryPoint() {
        ScalingPlot plot;
        setUp(plot);
        const QStringList lines = plot.csv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6 + 6 + 1 + 6);
        QCOMPARE(lines.at(0), QStringLiteral("series,kind,k,value,low,high"));
        QCOMPARE(lines.at(1), QStringLiteral("Voting,method,1,0.5,0.4,0.6"));
        QCOMPARE(lines.at(7), QStringLiteral("Meta RM,method,1,0.5,,"));
        QCOMPARE(lines.at(13), QStringLiteral("Greedy,reference,,0.45,,"));
        QCOMPARE(lines.at(19), QStringLiteral("Voting,secondary,32,6400,,"));
    }

    void emptyState() {
        ScalingPlot plot;
        const QRectF canvas(0, 0, 400, 300);
        QImage image(400, 300, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            plot.paint(p, canvas);
        }
        int dark = 0;
        for (int y = 0; y < 300; ++y)
            for (int x = 0; x < 400; ++x) dark += qGray(image.pixel(x, y)) < 160;
        QVERIFY(dark > 20);
        QVERIFY(plot.toolTipAt(QPointF(200, 150), canvas).isEmpty());
    }
};

QTEST_MAIN(TestScalingPlot)
#include "test_scaling_plot.moc"
