// BarChart and AxisScale: bar geometry on linear and log axes, colours, value labels,
// non-positive values on a log axis, CSV.
#include <QImage>
#include <QPainter>
#include <QtTest>

#include <cmath>

#include "viz/axis_scale.h"
#include "viz/bar_chart.h"
#include "viz/color_map.h"

using namespace tinyseek::viz;

class TestBarChart : public QObject {
    Q_OBJECT

  private slots:
    void linearScaleIsNice() {
        const AxisScale s = AxisScale::linear(0.3, 9.7, false, 6);
        QCOMPARE(s.min(), 0.0);
        QCOMPARE(s.max(), 10.0);
        QCOMPARE(s.majorTicks(), (QList<double>{0, 2, 4, 6, 8, 10}));
        QCOMPARE(s.fraction(5.0), 0.5);
        const AxisScale z = AxisScale::linear(3.0, 4.0, true);
        QCOMPARE(z.min(), 0.0);
        QVERIFY(z.max() >= 4.0);
    }

    void logScaleUsesWholeDecades() {
        const AxisScale s = AxisScale::logarithmic(3.0, 4500.0);
        QCOMPARE(s.min(), 1.0);
        QCOMPARE(s.max(), 10000.0);
        QCOMPARE(s.majorTicks().size(), 5);
        QVERIFY(std::abs(s.fraction(100.0) - 0.5) < 1e-12);
        QVERIFY(!s.accepts(0.0));
        QVERIFY(!s.accepts(-1.0));
        QCOMPARE(s.minorTicks().size(), 4 * 8);
        QCOMPARE(defaultTickText(s, 10000.0), QStringLiteral("10k"));
        const AxisScale k = AxisScale::logarithmic(1.0, 32.0, 2.0);
        QCOMPARE(k.majorTicks(), (QList<double>{1, 2, 4, 8, 16, 32}));
        QCOMPARE(defaultTickText(k, 16.0), QStringLiteral("16"));
    }

    void logBarsAreProportionalToDecades() {
        BarChart chart;
        chart.setLogScale(true);
        chart.setData({QStringLiteral("MHA"), QStringLiteral("MQA"), QStringLiteral("MLA")},
                      {QStringLiteral("tiny")}, {{1000.0, 10.0, 100.0}});
        const QRectF canvas(0, 0, 800, 500);
        const QRectF mha = chart.barRect(0, 0, canvas);
        const QRectF mqa = chart.barRect(0, 1, canvas);
        const QRectF mla = chart.barRect(0, 2, canvas);
        QVERIFY(!mha.isEmpty() && !mqa.isEmpty() && !mla.isEmpty());
        QCOMPARE(mha.bottom(), mqa.bottom());  // all start at the axis minimum
        // The smallest value sits on a decade, so the axis starts one decade lower (1..1000)
        // and every bar is visible: heights 1 : 2 : 3 for 10, 100, 1000.
        QVERIFY(std::abs(mqa.height() - mha.height() / 3.0) < 1.0);
        QVERIFY(std::abs(mla.height() - 2.0 * mha.height() / 3.0) < 1.0);
        QVERIFY(mha.left() < mqa.left() && mqa.left() < mla.left());
    }

    void barsHaveGroupColoursAndLabels() {
        BarChart chart;
        chart.setTitle(QStringLiteral("bytes per token"));
        chart.setLogScale(true);
        chart.setValueFormatter(&BarChart::formatBytes);
        chart.setData({QStringLiteral("MHA"), QStringLiteral("MLA")},
                      {QStringLiteral("tiny"), QStringLiteral("V3")},
                      {{8192.0, 1152.0}, {3997696.0, 70272.0}});
        const QSize size(800, 500);
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            chart.paint(p, QRectF(QPointF(0, 0), QSizeF(size)));
        }
        for (int g = 0; g < 2; ++g)
            for (int c = 0; c < 2; ++c) {
                const QRectF bar = chart.barRect(g, c, QRectF(QPointF(0, 0), QSizeF(size)));
                QVERIFY(bar.height() > 10);
                QCOMPARE(QColor(image.pixel(bar.center().toPoint())), categoryColor(g));
            }
        QCOMPARE(chart.valueLabel(0, 0), QStringLiteral("8 KiB"));
        QCOMPARE(chart.valueLabel(1, 0), QStringLiteral("3.81 MiB"));
        QCOMPARE(BarChart::formatBytes(512), QStringLiteral("512 B"));
        QCOMPARE(BarChart::formatBytes(1536), QStringLiteral("1.5 KiB"));
    }

    void nonPositiveValuesOnLogAxis() {
        BarChart chart;
        chart.setData({QStringLiteral("a"), QStringLiteral("b")}, {QStringLiteral("g")},
                      {{-5.0, 50.0}});
        const QRectF canvas(0, 0, 600, 400);
        // Linear: the negative bar hangs below zero, the positive one stands on it.
        const QRectF neg = chart.barRect(0, 0, canvas);
        const QRectF pos = chart.barRect(0, 1, canvas);
        QVERIFY(!neg.isEmpty());
        QCOMPARE(neg.top(), pos.bottom());
        chart.setLogScale(true);
        QVERIFY(chart.barRect(0, 0, canvas).isEmpty());
        QVERIFY(!chart.barRect(0, 1, canvas).isEmpty());
        QCOMPARE(chart.valueLabel(0, 0), QString::fromUtf8("≤ 0"));
        QCOMPARE(chart.valueLabel(0, 1), QStringLiteral("50"));
    }

    void csvListsEveryBar() {
        BarChart chart;
        chart.setData({QStringLiteral("MHA"), QStringLiteral("GQA, 8")},
                      {QStringLiteral("tiny"), QStringLiteral("V2"), QStringLiteral("V3")},
                      {{1, 2}, {3, 4}, {5}});  // V3/GQA missing -> nan
        const QStringList lines = chart.csv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6);
        QCOMPARE(lines.at(0), QStringLiteral("category,group,value"));
        QCOMPARE(lines.at(1), QStringLiteral("MHA,tiny,1"));
        QCOMPARE(lines.at(6), QStringLiteral("\"GQA, 8\",V3,nan"));
    }
};

QTEST_MAIN(TestBarChart)
#include "test_bar_chart.moc"
