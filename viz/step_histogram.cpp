#include "viz/step_histogram.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tinyseek::viz {

namespace {

QString binText(double x) {
    return QString::number(x, 'g', 3);
}

}  // namespace

StepHistogram stepHistogram(const std::vector<std::int64_t>& steps,
                            const std::vector<double>& values, int bins) {
    StepHistogram h;
    bins = std::max(bins, 1);
    std::map<std::int64_t, std::vector<double>> byStep;
    const std::size_t n = std::min(steps.size(), values.size());
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(values[i])) byStep[steps[i]].push_back(values[i]);
    if (byStep.empty()) return h;

    h.low = h.high = byStep.begin()->second.front();
    for (const auto& [step, v] : byStep) {
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        h.low = std::min(h.low, *lo);
        h.high = std::max(h.high, *hi);
    }
    if (h.high == h.low) {
        h.low -= 0.5;
        h.high += 0.5;
    }
    const double width = (h.high - h.low) / bins;
    h.shares = Matrix(bins, static_cast<int>(byStep.size()), 0.0f);
    for (int b = 0; b < bins; ++b) {
        const int fromTop = bins - 1 - b;  // row 0 is the highest bin
        const double lo = h.low + fromTop * width, hi = h.low + (fromTop + 1) * width;
        h.shares.rowLabels << QStringLiteral("%1 – %2").arg(binText(lo), binText(hi));
    }
    int col = 0;
    for (const auto& [step, v] : byStep) {
        for (double x : v) {
            const int b = std::min(bins - 1, static_cast<int>((x - h.low) / width));
            const int row = bins - 1 - b;
            h.shares.setValue(row, col, h.shares.value(row, col) + 1.0f / float(v.size()));
        }
        h.shares.colLabels << QString::number(step);
        h.steps.push_back(step);
        h.counts.push_back(static_cast<int>(v.size()));
        ++col;
    }
    return h;
}

}  // namespace tinyseek::viz
