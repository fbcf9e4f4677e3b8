#include "viz/series_band.h"

#include <algorithm>
#include <cmath>

namespace tinyseek::viz {

SeriesBand seriesBand(const std::vector<MetricSeries>& series, BandKind kind) {
    SeriesBand band;
    if (series.empty()) return band;
    std::vector<std::size_t> at(series.size(), 0);  // each series' cursor
    const MetricSeries& first = series.front();
    std::vector<double> values(series.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        const double step = first.steps[i];
        bool everywhere = true;
        double wall = 0.0;
        for (std::size_t r = 0; r < series.size() && everywhere; ++r) {
            const MetricSeries& s = series[r];
            while (at[r] < s.size() && s.steps[at[r]] < step) ++at[r];
            everywhere =
                at[r] < s.size() && s.steps[at[r]] == step && std::isfinite(s.values[at[r]]);
            if (everywhere) {
                values[r] = s.values[at[r]];
                wall += s.wallTimes[at[r]];
            }
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
        band.mean.append(step, wall / n, mean);
        band.low.push_back(low);
        band.high.push_back(high);
    }
    return band;
}

}  // namespace tinyseek::viz
