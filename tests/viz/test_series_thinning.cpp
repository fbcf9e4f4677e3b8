// Thinned series (viz/series_thinning.h) against the definition computed here from scratch:
// per bucket of steps the lowest and highest finite value survive, nothing is invented, the
// last point stays, nested buckets agree, and a growing series stays within its budget.
// MetricPlotData's detail (a zoomed-in stretch read in full) and its full-resolution CSV.
#include <QtTest>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "viz/metric_plot_data.h"
#include "viz/series_thinning.h"

using namespace tinyseek::viz;

namespace {

// Steps 0, 1, ... with noisy values, a spike, a dip and a few NaNs.
MetricSeries noisySeries(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    MetricSeries s;
    s.name = QStringLiteral("loss");
    for (int i = 0; i < n; ++i) {
        double v = std::sin(i * 0.01) + 0.3 * noise(rng);
        if (i == n / 3) v = 50.0;
        if (i == 2 * n / 3) v = -40.0;
        if (i % 997 == 5) v = std::numeric_limits<double>::quiet_NaN();
        s.append(i, 0.5 * i, v);
    }
    return s;
}

struct Extremes {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
};

// Lowest and highest finite value per bucket, from every point.
std::map<long, Extremes> bucketExtremes(const MetricSeries& s, double width) {
    std::map<long, Extremes> out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        Extremes& e = out[static_cast<long>(std::floor(s.steps[i] / width))];
        if (!std::isfinite(s.values[i])) continue;
        e.lo = std::min(e.lo, s.values[i]);
        e.hi = std::max(e.hi, s.values[i]);
    }
    return out;
}

// Every point of steps first..last of `full` (whose step i is at index i).
MetricSeries stretch(const MetricSeries& full, int first, int last) {
    MetricSeries out;
    for (int i = first; i <= last; ++i)
        out.append(full.steps[std::size_t(i)], full.wallTimes[std::size_t(i)],
                   full.values[std::size_t(i)]);
    return out;
}

std::set<double> stepSet(const MetricSeries& s) {
    return std::set<double>(s.steps.begin(), s.steps.end());
}

}  // namespace

class TestSeriesThinning : public QObject {
    Q_OBJECT

  private slots:
    void keepsEveryBucketsExtremesAndNothingElse() {
        const MetricSeries full = noisySeries(10000, 1);
        MetricSeries thin = full;
        const double width = 64.0;
        thinSeries(thin, width);
        const auto expected = bucketExtremes(full, width);
        const auto got = bucketExtremes(thin, width);
        QCOMPARE(got.size(), expected.size());  // no bucket lost
        for (const auto& [bucket, e] : expected) {
            QCOMPARE(got.at(bucket).lo, e.lo);
            QCOMPARE(got.at(bucket).hi, e.hi);
        }
        QVERIFY(thin.size() <= 2 * expected.size() + 1);
        // Every kept point is a logged one, in step order; the spike, dip and last survive.
        for (std::size_t i = 0; i < thin.size(); ++i) {
            const auto k = static_cast<std::size_t>(thin.steps[i]);
            QCOMPARE(thin.wallTimes[i], full.wallTimes[k]);
            QVERIFY(thin.values[i] == full.values[k] || std::isnan(full.values[k]));
            if (i > 0) QVERIFY(thin.steps[i] > thin.steps[i - 1]);
        }
        QCOMPARE(thin.steps.back(), full.steps.back());
        QVERIFY(stepSet(thin).count(10000 / 3) && stepSet(thin).count(2 * 10000 / 3));
    }

    void widerBucketsOfAThinnedSeriesEqualThinningTheFullOne() {
        const MetricSeries full = noisySeries(5000, 2);
        MetricSeries twice = full, once = full;
        thinSeries(twice, 16.0);
        thinSeries(twice, 64.0);
        thinSeries(once, 64.0);
        QCOMPARE(stepSet(twice), stepSet(once));
    }

    void growingSeriesStaysWithinBudget() {
        const MetricSeries full = noisySeries(100000, 3);
        constexpr std::size_t kBudget = 256;
        MetricSeries held;
        double width = 0.0;
        std::size_t most = 0;
        for (std::size_t i = 0; i < full.size(); ++i) {
            held.append(full.steps[i], full.wallTimes[i], full.values[i]);
            width = boundSeries(held, kBudget, width);
            most = std::max(most, held.size());
        }
        QVERIFY(most <= 2 * kBudget);
        QVERIFY(heldBytes(held) <= 3 * sizeof(double) * (2 * kBudget + 1));
        QVERIFY(width >= 2.0 && std::exp2(std::round(std::log2(width))) == width);
        // Thinned as it grew = thinned at the end: the same extremes per final bucket.
        const auto expected = bucketExtremes(full, width);
        const auto got = bucketExtremes(held, width);
        for (const auto& [bucket, e] : got) {
            QCOMPARE(e.lo, expected.at(bucket).lo);
            QCOMPARE(e.hi, expected.at(bucket).hi);
        }
        QCOMPARE(held.steps.back(), full.steps.back());
    }

    void shortSeriesAreLeftAlone() {
        MetricSeries s = noisySeries(100, 4);
        QCOMPARE(boundSeries(s, 64, 0.0), 0.0);
        QCOMPARE(s.size(), std::size_t(100));
    }

    void detailReplacesTheThinnedPointsOfItsStretch() {
        const MetricSeries full = noisySeries(20000, 5);
        MetricSeries thin = full;
        thinSeries(thin, 128.0);
        MetricPlotData data;
        data.setThinnedRun(1, QStringLiteral("run"), thin);
        QVERIFY(data.hasThinnedRuns());
        const MetricSeries detail = stretch(full, 1000, 1500);
        QVERIFY(data.setDetail(1, 1000, 1500, detail));
        const MetricSeries& shown = data.run(1)->series;
        std::size_t inside = 0;
        for (std::size_t i = 0; i < shown.size(); ++i) {
            if (shown.steps[i] >= 1000 && shown.steps[i] <= 1500) ++inside;
            if (i > 0) QVERIFY(shown.steps[i] > shown.steps[i - 1]);
        }
        QCOMPARE(inside, std::size_t(501));  // every step of the stretch
        QCOMPARE(data.run(1)->smoothed.size(), shown.size());
        QVERIFY(data.detailCovers(1, 1100, 1400));
        QVERIFY(!data.detailCovers(1, 900, 1400));
        // A live run's next update keeps the detail; clearing it restores the thinned points.
        data.clear();
        data.setThinnedRun(1, QStringLiteral("run"), thin);
        QCOMPARE(data.run(1)->series.size(), shown.size());
        data.clearDetails();
        QCOMPARE(data.run(1)->series.size(), thin.size());
        // The newest points of a live run that the stored detail does not reach yet stay.
        QVERIFY(data.setDetail(1, 1000, 1500, stretch(full, 1000, 1200)));
        std::size_t after = 0;
        for (double step : data.run(1)->series.steps) after += step > 1200 && step <= 1500;
        std::size_t thinnedAfter = 0;
        for (double step : thin.steps) thinnedAfter += step > 1200 && step <= 1500;
        QCOMPARE(after, thinnedAfter);
        data.clearDetails();
        // A run drawn with every point takes no detail.
        data.setRun(2, QStringLiteral("full"), full);
        QVERIFY(!data.setDetail(2, 0, 10, detail));
    }

    void csvOfAThinnedRunHasEveryPoint() {
        const MetricSeries full = noisySeries(3000, 6);
        MetricSeries thin = full;
        thinSeries(thin, 32.0);
        MetricPlotData data;
        data.setThinnedRun(7, QStringLiteral("run"), thin);
        auto rows = [&](const FullSeriesSource& source) {
            QString text;
            QTextStream out(&text);
            data.writeCsv(out, source);
            out.flush();
            return text.count(QLatin1Char('\n')) - 1;  // minus the header
        };
        QCOMPARE(rows({}), static_cast<qsizetype>(thin.size()));
        int asked = 0;
        const FullSeriesSource source = [&](int runId, MetricSeries* out) {
            asked = runId;
            *out = full;
            return true;
        };
        QCOMPARE(rows(source), static_cast<qsizetype>(full.size()));
        QCOMPARE(asked, 7);
    }

    void heldBytesCountsEveryVector() {
        MetricPlotData data;
        MetricSeries s = noisySeries(1000, 7);
        data.setRun(1, QStringLiteral("run"), s);
        // series (3 vectors) + wall-time axis + smoothed: at least 5 doubles per point.
        QVERIFY(data.heldBytes() >= 5 * sizeof(double) * 1000);
        QVERIFY(data.heldBytes() < 8 * sizeof(double) * 1000);
    }
};

QTEST_GUILESS_MAIN(TestSeriesThinning)
#include "test_series_thinning.moc"
