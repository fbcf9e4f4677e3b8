// TokenStrip: boxes coloured by category, wrapping, tooltips, legend and CSV.
#include <QImage>
#include <QPainter>
#include <QtTest>

#include "viz/color_map.h"
#include "viz/token_strip.h"

using namespace tinyseek::viz;

namespace {

void fill(TokenStrip& strip, int n) {
    QStringList tokens, tips;
    std::vector<int> categories;
    for (int i = 0; i < n; ++i) {
        tokens << QStringLiteral("tok%1").arg(i);
        categories.push_back(i % 5);
        tips << QStringLiteral("gate %1: 0.%2").arg(i % 5).arg(i);
    }
    strip.setTokens(tokens, categories, tips);
}

}  // namespace

class TestTokenStrip : public QObject {
    Q_OBJECT

  private slots:
    void boxesHaveTheirCategoryColour() {
        TokenStrip strip;
        fill(strip, 12);
        strip.setTitle(QStringLiteral("Top-1 expert"));
        const QSize size(600, strip.heightForWidth(600));
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            strip.paint(p, QRectF(QPointF(0, 0), QSizeF(size)));
        }
        const QRectF canvas(QPointF(0, 0), QSizeF(size));
        for (int i = 0; i < 12; ++i) {
            const QRectF box = strip.tokenRect(i, canvas);
            QVERIFY(!box.isEmpty());
            // Just inside the left edge, clear of the border and the text.
            const QPoint px(static_cast<int>(box.left() + 3), static_cast<int>(box.center().y()));
            QCOMPARE(QColor(image.pixel(px)), categoryColor(i % 5));
            QCOMPARE(strip.tokenAt(box.center(), canvas), i);
        }
        QCOMPARE(strip.tokenAt(QPointF(1, 1), canvas), -1);
    }

    void tokensWrapToTheWidth() {
        TokenStrip strip;
        fill(strip, 60);
        const QRectF narrow(0, 0, 300, 2000);
        const double firstTop = strip.tokenRect(0, narrow).top();
        const double lastTop = strip.tokenRect(59, narrow).top();
        QVERIFY(lastTop > firstTop + 50);
        for (int i = 0; i < 60; ++i) QVERIFY(strip.tokenRect(i, narrow).right() <= 300);
        QVERIFY(strip.heightForWidth(300) > strip.heightForWidth(1200));
    }

    void newlineTokenEndsTheLine() {
        TokenStrip strip;
        strip.setTokens({QStringLiteral("a"), QStringLiteral("\n"), QStringLiteral("b")},
                        {0, 1, 2});
        const QRectF canvas(0, 0, 800, 300);
        QCOMPARE(strip.tokenRect(1, canvas).top(), strip.tokenRect(0, canvas).top());
        QVERIFY(strip.tokenRect(2, canvas).top() > strip.tokenRect(0, canvas).bottom());
        QCOMPARE(TokenStrip::visibleText(QStringLiteral(" x\n")), QString::fromUtf8("␣x↵"));
    }

    void tooltipAndCsv() {
        TokenStrip strip;
        strip.setCategoryPattern(QStringLiteral("Expert %1"));
        strip.setTokens({QStringLiteral("4"), QStringLiteral("2"), QStringLiteral(",")}, {3, -1},
                        {QStringLiteral("w = 0.7, 0.3")});
        QCOMPARE(strip.categories().size(), std::size_t(3));  // padded with -1
        const QString tip = strip.toolTipForToken(0);
        QVERIFY2(tip.contains(QStringLiteral("Expert 3")), qPrintable(tip));
        QVERIFY(tip.contains(QStringLiteral("w = 0.7, 0.3")));
        QVERIFY(strip.toolTipForToken(1).contains(QStringLiteral("none")));
        const QStringList lines = strip.csv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0), QStringLiteral("index,token,category,category_name,tooltip"));
        QCOMPARE(lines.at(1), QStringLiteral("0,4,3,Expert 3,\"w = 0.7, 0.3\""));
        QCOMPARE(lines.at(3), QStringLiteral("2,\",\",-1,none,"));
    }

    void emptyStateIsDrawn() {
        TokenStrip strip;
        QImage image(400, 120, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            strip.paint(p, QRectF(0, 0, 400, 120));
        }
        int dark = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) dark += qGray(image.pixel(x, y)) < 160;
        QVERIFY(dark > 20);  // the "No tokens to show" text
    }
};

QTEST_MAIN(TestTokenStrip)
#include "test_token_strip.moc"
