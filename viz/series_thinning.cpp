#include "viz/series_thinning.h"

#include <cmath>

namespace tinyseek::viz {

void thinSeries(MetricSeries& series, double bucketWidth) {
    const std::size_t n = series.size();
    if (n < 3 || !(bucketWidth > 1.0)) return;
    std::vector<std::size_t> kept;
    kept.reserve(n);
    std::size_t i = 0;
    while (i < n) {
        const double bucket = std::floor(series.steps[i] / bucketWidth);
        std::size_t lo = n, hi = n, end = i;
        for (; end < n && std::floor(series.steps[end] / bucketWidth) == bucket; ++end) {
            const double v = series.values[end];
            if (!std::isfinite(v)) continue;
            if (lo == n || v < series.values[lo]) lo = end;
            if (hi == n || v > series.values[hi]) hi = end;
        }
        if (lo == n) {  // nothing finite: the bucket's first point stands for it
            kept.push_back(i);
        } else {
            kept.push_back(std::min(lo, hi));
            if (lo != hi) kept.push_back(std::max(lo, hi));
        }
        i = end;
    }
    if (kept.back() != n - 1) kept.push_back(n - 1);
    MetricSeries out;
    out.name = series.name;
    out.reserve(kept.size());
    for (std::size_t k : kept) out.append(series.steps[k], series.wallTimes[k], series.values[k]);
    series = std::move(out);
}

double thinningWidthFor(const MetricSeries& series, std::size_t budget, double current) {
    double width = std::max(2.0, current);
    if (series.isEmpty() || budget < 4) return width;
    const double span = series.steps.back() - series.steps.front() + 1.0;
    // Buckets overlapped by the span, at most span / w + 1; each keeps two points.
    while (2.0 * (span / width + 1.0) + 1.0 > static_cast<double>(budget)) width *= 2.0;
    return width;
}

double boundSeries(MetricSeries& series, std::size_t budget, double width) {
    if (series.size() <= 2 * budget) return width;
    const double wider = thinningWidthFor(series, budget, width);
    thinSeries(series, wider);
    series.reserve(2 * budget + 1);  // room until the next thinning: capacity stays bounded
    return wider;
}

std::size_t heldBytes(const MetricSeries& series) {
    return sizeof(double) *
           (series.steps.capacity() + series.wallTimes.capacity() + series.values.capacity());
}

}  // namespace tinyseek::viz
