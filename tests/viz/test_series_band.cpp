// A group's band (viz/series_band.h) against hand-computed means, extremes, sample standard
// deviations and interpolated values, by step and by wall time.
#include <QtTest>

#include <cmath>
#include <limits>

#include "viz/series_band.h"

using namespace tinyseek::viz;

namespace {

MetricSeries series(std::vector<double> steps, std::vector<double> values) {
    MetricSeries s;
    for (std::size_t i = 0; i < steps.size(); ++i) s.append(steps[i], 10.0 * steps[i], values[i]);
    return s;
}

}  // namespace

class TestSeriesBand : public QObject {
    Q_OBJECT

  private slots:
    void minMaxAndMeanOnTheFirstRunsSteps() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // The second run skips step 2 (read between its steps 1 and 3: 5) and ends at step 4;
        // the third has NaN at step 3, which drops that step, and starts at step 1, which
        // drops step 0.
        const std::vector<MetricSeries> runs = {series({0, 1, 2, 3, 4}, {1, 2, 3, 4, 5}),
                                                series({0, 1, 3, 4}, {3, 4, 6, 9}),
                                                series({1, 2, 3, 4}, {9, 1, nan, 1})};
        const SeriesBand band = seriesBand(runs, BandKind::MinMax);
        QCOMPARE(band.mean.steps, (std::vector<double>{1, 2, 4}));
        QCOMPARE(band.mean.values, (std::vector<double>{5, 3, 5}));
        QCOMPARE(band.low, (std::vector<double>{2, 1, 1}));
        QCOMPARE(band.high, (std::vector<double>{9, 5, 9}));
        QCOMPARE(band.mean.wallTimes, (std::vector<double>{10, 20, 40}));
    }

    // On the wall-time axis runs line up by time: a run that logged at 0, 10, 20 s is read at
    // 5 s between them, though no step of its own is there.
    void wallTimeAxisLinesUpRunsByTime() {
        MetricSeries a, b;
        a.append(0, 5.0, 1.0);
        a.append(1, 15.0, 3.0);
        b.append(0, 0.0, 0.0);
        b.append(7, 10.0, 10.0);
        b.append(9, 20.0, 20.0);
        const SeriesBand band = seriesBand({a, b}, BandKind::MinMax, XAxisMode::WallTime);
        QCOMPARE(band.mean.values, (std::vector<double>{3.0, 9.0}));  // (1 + 5) / 2, (3 + 15) / 2
        QCOMPARE(band.low, (std::vector<double>{1.0, 3.0}));
        QCOMPARE(band.high, (std::vector<double>{5.0, 15.0}));
        QCOMPARE(band.mean.steps, (std::vector<double>{0, 1}));  // the first run's
    }

    void stdBandIsTheSampleStandardDeviation() {
        // Values 1, 3, 5: mean 3, sample variance (4 + 0 + 4) / 2 = 4, sd 2.
        const SeriesBand band =
            seriesBand({series({7}, {1}), series({7}, {3}), series({7}, {5})}, BandKind::StdDev);
        QCOMPARE(band.mean.values, std::vector<double>{3});
        QCOMPARE(band.low, std::vector<double>{1});
        QCOMPARE(band.high, std::vector<double>{5});
        const SeriesBand one = seriesBand({series({1, 2}, {4, 6})}, BandKind::StdDev);
        QCOMPARE(one.low, one.mean.values);
        QCOMPARE(one.high, one.mean.values);
        QVERIFY(seriesBand({}, BandKind::MinMax).mean.isEmpty());
    }
};

QTEST_MAIN(TestSeriesBand)
#include "test_series_band.moc"
