// A group's band (viz/series_band.h) against hand-computed means, extremes and sample standard
// deviations, on steps only some runs logged.
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
    void minMaxAndMeanAtStepsEveryRunLogged() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // Step 2 is missing from the second run, step 3's third value is NaN: both left out.
        const std::vector<MetricSeries> runs = {series({0, 1, 2, 3, 4}, {1, 2, 3, 4, 5}),
                                                series({0, 1, 3, 4}, {3, 4, 6, 9}),
                                                series({0, 1, 2, 3, 4}, {5, 9, 1, nan, 1})};
        const SeriesBand band = seriesBand(runs, BandKind::MinMax);
        QCOMPARE(band.mean.steps, (std::vector<double>{0, 1, 4}));
        QCOMPARE(band.mean.values, (std::vector<double>{3, 5, 5}));
        QCOMPARE(band.low, (std::vector<double>{1, 2, 1}));
        QCOMPARE(band.high, (std::vector<double>{5, 9, 9}));
        QCOMPARE(band.mean.wallTimes, (std::vector<double>{0, 10, 40}));
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
