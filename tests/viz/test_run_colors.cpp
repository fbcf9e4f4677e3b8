// Run colours: forty runs of one database get forty colours no two of which are alike (the
// first ten as before), and a colour the user chose replaces a run's own until cleared.
#include <QColor>
#include <QtTest>

#include <cmath>

#include "viz/color_map.h"

using namespace tinyseek::viz;

namespace {

// Distance in RGB, weighted for the eye ("redmean").
double distance(const QColor& a, const QColor& b) {
    const double r = (a.red() + b.red()) / 2.0;
    const double dr = a.red() - b.red(), dg = a.green() - b.green(), db = a.blue() - b.blue();
    return std::sqrt((2 + r / 256) * dr * dr + 4 * dg * dg + (2 + (255 - r) / 256) * db * db);
}

}  // namespace

class TestRunColors : public QObject {
    Q_OBJECT

  private slots:
    void fortyRunsFortyColours() {
        QCOMPARE(runColor(1), QColor(0xE1, 0x57, 0x59));  // the palette's second, as before
        for (int a = 0; a < 40; ++a)
            for (int b = a + 1; b < 40; ++b)
                QVERIFY2(distance(runColor(a), runColor(b)) > 40,
                         qPrintable(QStringLiteral("runs %1 and %2: %3 and %4")
                                        .arg(a)
                                        .arg(b)
                                        .arg(runColor(a).name(), runColor(b).name())));
    }

    void aChosenColourWinsUntilCleared() {
        const QColor own = runColor(12);
        setRunColor(12, QColor(10, 200, 30));
        QCOMPARE(runColor(12), QColor(10, 200, 30));
        QCOMPARE(runColor(13), runColor(13));  // others unchanged
        setRunColor(12, QColor());
        QCOMPARE(runColor(12), own);
        setRunColor(3, Qt::black);
        clearRunColors();
        QCOMPARE(runColor(3), QColor(0xF2, 0x8E, 0x2B));
    }
};

QTEST_MAIN(TestRunColors)
#include "test_run_colors.moc"
