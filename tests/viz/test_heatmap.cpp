// HeatmapWidget and ColorMap: cell pixels carry the colour-map colour of their value, the colour
// maps hit their anchor colours, tooltips and hit-testing agree with the painted layout.
#include <QFontInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QtTest>

#include <cmath>

#include "tests/image_stats.h"
#include "viz/color_map.h"
#include "viz/heatmap_widget.h"

using namespace tinyseek::viz;

namespace {

Matrix sampleMatrix() {
    // 4 layers x 8 experts, load relative to balanced: row r, col c -> 0.25 * c + 0.1 * r.
    Matrix m(4, 8);
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 8; ++c) m.setValue(r, c, 0.25f * c + 0.1f * r);
    for (int r = 0; r < 4; ++r) m.rowLabels << QStringLiteral("L%1").arg(r);
    return m;
}

QImage render(HeatmapWidget& w, QSize size, qreal dpr) {
    QImage image(size * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::white);
    QPainter p(&image);
    w.paint(p, QRectF(QPointF(0, 0), QSizeF(size)));
    return image;
}

}  // namespace

class TestHeatmap : public QObject {
    Q_OBJECT

  private slots:
    void fontsAreAvailable() {
        // Without font files Qt draws boxes silently; the figures would be unreadable.
        QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty());
    }

    void viridisHitsAnchors() {
        const ColorMap m = ColorMap::viridis(0.0, 2.0);
        QCOMPARE(m.color(0.0), QColor(0x44, 0x01, 0x54));
        QCOMPARE(m.color(2.0), QColor(0xFD, 0xE7, 0x25));
        QCOMPARE(m.color(-5.0), m.color(0.0));  // clamped
        QCOMPARE(m.color(99.0), m.color(2.0));
        QCOMPARE(m.color(std::nan("")), m.nanColor());
        // Monotone lightness: a perceptual sequential map gets lighter along the range.
        int lastGray = -1;
        for (int i = 0; i <= 20; ++i) {
            const int g = qGray(m.rgb(i * 0.1));
            QVERIFY2(g >= lastGray, qPrintable(QString("step %1").arg(i)));
            lastGray = g;
        }
    }

    void divergingIsNeutralAtCenter() {
        // Asymmetric range: 0 (dead) .. 1 (balanced) .. 4 (overloaded).
        const ColorMap m = ColorMap::diverging(0.0, 1.0, 4.0);
        QCOMPARE(m.normalized(1.0), 0.5);
        QCOMPARE(m.color(1.0), QColor(0xF7, 0xF7, 0xF7));
        QCOMPARE(m.color(0.0), QColor(0x21, 0x66, 0xAC));
        QCOMPARE(m.color(4.0), QColor(0xB2, 0x18, 0x2B));
        const QColor under = m.color(0.5);
        const QColor over = m.color(2.5);
        QVERIFY(under.blue() > under.red());
        QVERIFY(over.red() > over.blue());
        QVERIFY(std::abs(m.valueAt(m.normalized(2.5)) - 2.5) < 1e-12);
        QVERIFY(m.ticks().contains(1.0));
    }

    void cellPixelHasColourOfItsValue_data() {
        QTest::addColumn<qreal>("dpr");
        QTest::newRow("1x") << qreal(1.0);
        QTest::newRow("2x") << qreal(2.0);
    }

    void cellPixelHasColourOfItsValue() {
        QFETCH(qreal, dpr);
        HeatmapWidget w;
        w.setColorMap(ColorMap::diverging(0.0, 1.0, 2.0));
        w.setMatrix(sampleMatrix());
        w.setTitle(QStringLiteral("Expert load"));
        w.setRowAxisTitle(QStringLiteral("Layer"));
        w.setColumnAxisTitle(QStringLiteral("Expert"));
        w.setValueTitle(QStringLiteral("Load / balanced"));
        const QSize size(640, 400);
        const QImage image = render(w, size, dpr);
        const QRectF canvas(QPointF(0, 0), QSizeF(size));
        for (int r = 0; r < 4; ++r) {
            for (int c = 0; c < 8; ++c) {
                const QRectF cell = w.cellRect(r, c, canvas);
                QVERIFY(cell.width() > 10 && cell.height() > 10);
                const QPoint px = (cell.center() * dpr).toPoint();
                const QRgb expected = w.colorMap().rgb(w.matrix().value(r, c));
                QCOMPARE(QColor(image.pixel(px)), QColor(expected));
                QCOMPARE(w.cellAt(cell.center(), canvas), QPoint(r, c));
            }
        }
        // Distinct values give distinct colours: the first and last column differ.
        QVERIFY(w.colorMap().rgb(0.0) != w.colorMap().rgb(1.75));
    }

    void markersAreDrawnAndListed() {
        HeatmapWidget w;
        w.setMatrix(sampleMatrix());
        std::vector<std::uint8_t> marks(32, 0);
        marks[0] = 1;          // (0, 0) dead
        marks[3 * 8 + 7] = 2;  // (3, 7) overloaded
        w.setCellMarkers(marks, {{QStringLiteral("dead"), MarkerShape::Cross, Qt::black},
                                 {QStringLiteral("overloaded"), MarkerShape::Triangle, Qt::red}});
        const QSize size(640, 400);
        const QImage image = render(w, size, 1.0);
        const QRectF canvas(QPointF(0, 0), QSizeF(size));
        // The cross passes through the cell centre; the plain cell (1, 1) keeps its colour.
        const QPoint dead = w.cellRect(0, 0, canvas).center().toPoint();
        QVERIFY(QColor(image.pixel(dead)) != w.colorMap().color(w.matrix().value(0, 0)));
        const QPoint plain = w.cellRect(1, 1, canvas).center().toPoint();
        QCOMPARE(QColor(image.pixel(plain)), w.colorMap().color(w.matrix().value(1, 1)));
        QVERIFY(w.toolTipForCell(3, 7).contains(QStringLiteral("overloaded")));
        QVERIFY(w.toolTipForCell(0, 0).contains(QStringLiteral("dead")));
        QVERIFY(w.csv().contains(QStringLiteral("3,7,2.05,L3,7,overloaded")));

        // Markers that do not match the matrix size are dropped, not misplaced.
        w.setCellMarkers(std::vector<std::uint8_t>(5, 1), {{QStringLiteral("x")}});
        QVERIFY(!w.toolTipForCell(0, 0).contains(QStringLiteral("x")));
    }

    void tooltipNamesRowColumnAndValue() {
        HeatmapWidget w;
        w.setMatrix(sampleMatrix());
        w.setRowAxisTitle(QStringLiteral("Layer"));
        w.setColumnAxisTitle(QStringLiteral("Expert"));
        const QString tip = w.toolTipForCell(2, 5);
        QVERIFY2(tip.contains(QStringLiteral("Layer: L2")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Expert: 5")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("1.45")), qPrintable(tip));
        QVERIFY(w.toolTipForCell(9, 0).isEmpty());
        QCOMPARE(w.cellAt(QPointF(1, 1), QRectF(0, 0, 640, 400)), QPoint(-1, -1));
    }

    void csvHasEveryCell() {
        HeatmapWidget w;
        w.setMatrix(sampleMatrix());
        const QStringList lines = w.csv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 32);
        QCOMPARE(lines.first(), QStringLiteral("row,col,value,row_label,col_label,marker"));
        QCOMPARE(lines.at(1), QStringLiteral("0,0,0,L0,0,"));
        QVERIFY(lines.last().startsWith(QStringLiteral("3,7,")));
    }

    void emptyAndErrorStatesAreNotBlank() {
        HeatmapWidget w;
        w.setTitle(QStringLiteral("Expert load"));
        const QImage empty = render(w, QSize(400, 300), 1.0);
        QVERIFY(greyStdDev(empty) > 2.0);
        QCOMPARE(w.cellAt(QPointF(200, 150), QRectF(0, 0, 400, 300)), QPoint(-1, -1));

        w.setMatrix(sampleMatrix());
        const QImage data = render(w, QSize(400, 300), 1.0);
        w.setErrorText(QStringLiteral("run 3 has no routing data"));
        const QImage error = render(w, QSize(400, 300), 1.0);
        QVERIFY(greyStdDev(error) > 2.0);
        QVERIFY(error != data);
        // The error text is red: some pixels are clearly red.
        bool hasRed = false;
        for (int y = 0; y < error.height() && !hasRed; ++y)
            for (int x = 0; x < error.width() && !hasRed; ++x) {
                const QColor c = error.pixelColor(x, y);
                hasRed = c.red() > 150 && c.green() < 100 && c.blue() < 100;
            }
        QVERIFY(hasRed);
    }
};

QTEST_MAIN(TestHeatmap)
#include "test_heatmap.moc"
