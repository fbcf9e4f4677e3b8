#include "viz/series_band.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace tinyseek::viz {

namespace {

// A run's x values on the axis: steps, or wall times made non-decreasing (a resumed run may
// restart its clock; MetricPlotData draws it the same way).
std::vector<double> axisValues(const MetricSeries& s, XAxisMode axis) {
    if (axis == XAxisMode::Step) return s.steps;
    std::vector<double> xs(s.wallTimes);
    for (std::size_t i = 1; i < xs.size(); ++i) xs[i] = std::max(xs[i], xs[i - 1]);
    return xs;
}

// The run's value at x: exact at its own points, linear between two neighbours, none outside
// its range or next to a non-finite value.
std::optional<double> valueAt(const std::vector<double>& xs, const std::vector<double>& ys,
                              double x) {
    const auto it = std::lower_bound(xs.begin(), xs.end(), x);
    if (it == xs.end()) return std::nullopt;
    const std::size_t i = static_cast<std::size_t>(it - xs.begin());
    if (*it == x) return std::isfinite(ys[i]) ? std::optional<double>(ys[i]) : std::nullopt;
    if (i == 0 || !std::isfinite(ys[i]) || !std::isfinite(ys[i - 1])) return std::nullopt;
    const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

}  // namespace

SeriesBand seriesBand(const std::vector<MetricSeries>& series, BandKind kind, XAxisMode axis) {
    SeriesBand band;
    if (series.empty()) return band;
    std::vector<std::vector<double>> xs;
    for (const MetricSeries& s : series) xs.push_back(axisValues(s, axis));
    const MetricSeries& first = series.front();
    std::vector<double> values(series.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        bool everywhere = true;
        for (std::size_t r = 0; r < series.size() && everywhere; ++r) {
            const std::optional<double> v = valueAt(xs[r], series[r].values, xs[0][i]);
            everywhere = v.has_value();
            if (v) values[r] = *v;
        }
        if (!everywhere) continue;
        const double n = static_cast<double>(series.size());
        double mean = 0.0;
        for (double v : values) mean += v;
        mean /= n;
        double low = *std::min_element(values.begin(), values.end());
        double high = *std::max_element(values.begin(), values.end());
        if (kind == BandKind::StdDev) {
            double ss = 0.0;
            for (double v : values) ss += (v - mean) * (v - mean);
            const double sd = series.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
            low = mean - sd;
            high = mean + sd;
        }
        band.mean.append(first.steps[i], first.wallTimes[i], mean);
        band.low.push_back(low);
        band.high.push_back(high);
    }
    return band;
}

}  // namespace tinyseek::viz
