// Histograms over steps (viz/step_histogram.h) against hand-counted bins: the highest bin on
// top, each column a step's shares summing to 1, NaN left out, a constant series in one bin.
#include <QtTest>

#include <cmath>
#include <limits>

#include "viz/step_histogram.h"

using namespace tinyseek::viz;

class TestStepHistogram : public QObject {
    Q_OBJECT

  private slots:
    void countsEachStepsValuesIntoBins() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // Range 0..4 in 4 bins of width 1: [0,1) [1,2) [2,3) [3,4]. Step 5: 0, 1, 1, 4;
        // step 2 (given later, drawn first): 3, 3.5, NaN.
        const StepHistogram h =
            stepHistogram({5, 5, 5, 5, 2, 2, 2}, {0.0, 1.0, 1.5, 4.0, 3.0, 3.5, nan}, 4);
        QCOMPARE(h.low, 0.0);
        QCOMPARE(h.high, 4.0);
        QCOMPARE(h.shares.rows(), 4);
        QCOMPARE(h.shares.cols(), 2);
        QCOMPARE(h.steps, (std::vector<std::int64_t>{2, 5}));
        QCOMPARE(h.counts, (std::vector<int>{2, 4}));
        QCOMPARE(h.shares.colLabels, (QStringList{"2", "5"}));
        QCOMPARE(h.shares.rowLabels.front(), QStringLiteral("3 – 4"));  // highest bin on top
        QCOMPARE(h.shares.rowLabels.back(), QStringLiteral("0 – 1"));
        // Step 2: both values in the top bin (4 falls in the last bin, 3 and 3.5 too).
        QCOMPARE(h.shares.value(0, 0), 1.0f);
        // Step 5: 4 -> top; 1 and 1.5 -> [1,2) (row 2); 0 -> bottom.
        QCOMPARE(h.shares.value(0, 1), 0.25f);
        QCOMPARE(h.shares.value(1, 1), 0.0f);
        QCOMPARE(h.shares.value(2, 1), 0.5f);
        QCOMPARE(h.shares.value(3, 1), 0.25f);
        for (int c = 0; c < 2; ++c) {
            float sum = 0;
            for (int r = 0; r < 4; ++r) sum += h.shares.value(r, c);
            QCOMPARE(sum, 1.0f);
        }
    }

    void constantValuesFillOneBinAroundThem() {
        const StepHistogram h = stepHistogram({1, 2}, {0.5, 0.5}, 3);
        QCOMPARE(h.low, 0.0);
        QCOMPARE(h.high, 1.0);
        QCOMPARE(h.shares.value(1, 0), 1.0f);  // the middle of three bins
        QCOMPARE(h.shares.value(1, 1), 1.0f);
    }

    void nothingFiniteGivesAnEmptyMatrix() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(stepHistogram({}, {}, 10).shares.isEmpty());
        QVERIFY(stepHistogram({1}, {nan}, 10).shares.isEmpty());
    }
};

QTEST_MAIN(TestStepHistogram)
#include "test_step_histogram.moc"
