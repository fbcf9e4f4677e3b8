// EMA debiasing, min/max decimation and nearest-x lookup (viz/smoothing.h).
#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

#include "viz/smoothing.h"

using namespace tinyseek::viz;

class TestSmoothing : public QObject {
    Q_OBJECT

  private slots:
    void emaMatchesHandComputation() {
        // w = 0.5, values 2, 4, 8.
        // ema: 1.0, 2.5, 5.25; total weight 1 - w^t: 0.5, 0.75, 0.875
        // smoothed: 2.0, 3.3333.., 6.0
        const std::vector<double> out = emaSmooth({2.0, 4.0, 8.0}, 0.5);
        QCOMPARE(out.size(), std::size_t(3));
        QCOMPARE(out[0], 2.0);
        QVERIFY(std::abs(out[1] - 10.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(out[2] - 6.0) < 1e-12);
    }

    void emaFirstValueIsNotBiasedTowardZero() {
        // Without debiasing, w = 0.9 would give 0.1 * 5 = 0.5 at t = 1.
        const std::vector<double> out = emaSmooth({5.0, 5.0, 5.0, 5.0}, 0.9);
        for (double v : out) QVERIFY(std::abs(v - 5.0) < 1e-12);
    }

    void emaWeightZeroIsIdentity() {
        const std::vector<double> in = {1.0, -3.0, 7.5, 0.25};
        QCOMPARE(emaSmooth(in, 0.0), in);
    }

    void emaSkipsNonFinite() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const std::vector<double> out = emaSmooth({2.0, nan, 4.0}, 0.5);
        QCOMPARE(out[0], 2.0);
        QVERIFY(std::isnan(out[1]));
        // The NaN does not count: same as smoothing {2, 4} -> 2.5 / 0.75.
        QVERIFY(std::abs(out[2] - 10.0 / 3.0) < 1e-12);
    }

    void decimationKeepsSpikeAndEnds() {
        const std::size_t n = 100000;
        std::vector<double> xs(n), ys(n);
        std::mt19937 rng(7);
        std::normal_distribution<double> noise(0.0, 0.1);
        for (std::size_t i = 0; i < n; ++i) {
            xs[i] = static_cast<double>(i);
            ys[i] = 1.0 + noise(rng);
        }
        const std::size_t spike = 61234;
        ys[spike] = 50.0;
        ys[spike + 10] = -40.0;  // a downward spike in the same pixel column

        const std::vector<std::size_t> kept = decimateMinMax(xs, ys, xs.front(), xs.back(), 500);
        QVERIFY(kept.size() <= 2 * 500 + 4);
        QVERIFY(kept.size() >= 900);
        QCOMPARE(kept.front(), std::size_t(0));
        QCOMPARE(kept.back(), n - 1);
        QVERIFY(std::is_sorted(kept.begin(), kept.end()));
        QVERIFY(std::adjacent_find(kept.begin(), kept.end()) == kept.end());
        QVERIFY(std::find(kept.begin(), kept.end(), spike) != kept.end());
        QVERIFY(std::find(kept.begin(), kept.end(), spike + 10) != kept.end());

        // The decimated line spans exactly the same y range as the full line.
        double lo = 1e300, hi = -1e300;
        for (std::size_t i : kept) {
            lo = std::min(lo, ys[i]);
            hi = std::max(hi, ys[i]);
        }
        QCOMPARE(lo, -40.0);
        QCOMPARE(hi, 50.0);
    }

    void decimationIsFast() {
        const std::size_t n = 100000;
        std::vector<double> xs(n), ys(n);
        for (std::size_t i = 0; i < n; ++i) {
            xs[i] = static_cast<double>(i);
            ys[i] = std::sin(0.001 * static_cast<double>(i));
        }
        // Best of 5 so a busy machine does not make the test flaky; the budget is generous
        // (one pass over 100k doubles takes well under a millisecond).
        qint64 best = std::numeric_limits<qint64>::max();
        for (int rep = 0; rep < 5; ++rep) {
            QElapsedTimer timer;
            timer.start();
            const std::vector<double> smoothed = emaSmooth(ys, 0.9);
            const auto kept = decimateMinMax(xs, smoothed, 0.0, double(n - 1), 1000);
            best = std::min(best, timer.nsecsElapsed());
            QVERIFY(kept.size() <= 2004);
        }
        qInfo("smooth + decimate 100k points: %.3f ms", double(best) / 1e6);
        QVERIFY(best < 20'000'000);  // 20 ms
    }

    void decimationOfSubRangeAddsNeighbours() {
        std::vector<double> xs, ys;
        for (int i = 0; i < 100; ++i) {
            xs.push_back(i);
            ys.push_back(i % 7);
        }
        // Range [10.5, 20.5] holds x = 11..20; few points, so all are kept plus 10 and 21.
        const auto kept = decimateMinMax(xs, ys, 10.5, 20.5, 50);
        QCOMPARE(kept.size(), std::size_t(12));
        QCOMPARE(kept.front(), std::size_t(10));
        QCOMPARE(kept.back(), std::size_t(21));
    }

    void decimationDropsNonFinite() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const std::vector<double> xs = {0, 1, 2, 3};
        const std::vector<double> ys = {1, nan, 3, std::numeric_limits<double>::infinity()};
        const auto kept = decimateMinMax(xs, ys, 0, 3, 100);
        QCOMPARE(kept, (std::vector<std::size_t>{0, 2}));
    }

    void nearestIndexFindsClosest() {
        const std::vector<double> xs = {0.0, 10.0, 20.0, 30.0};
        QCOMPARE(nearestIndex(xs, -5.0), std::size_t(0));
        QCOMPARE(nearestIndex(xs, 4.9), std::size_t(0));
        QCOMPARE(nearestIndex(xs, 5.0), std::size_t(0));  // tie -> lower
        QCOMPARE(nearestIndex(xs, 5.1), std::size_t(1));
        QCOMPARE(nearestIndex(xs, 26.0), std::size_t(3));
        QCOMPARE(nearestIndex(xs, 99.0), std::size_t(3));
        QCOMPARE(nearestIndex({}, 1.0), std::size_t(0));
    }
};

QTEST_MAIN(TestSmoothing)
#include "test_smoothing.moc"
