#include "viz/smoothing.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace tinyseek::viz {

std::vector<double> emaSmooth(const std::vector<double>& values, double weight) {
    std::vector<double> out(values.size());
    const double w = std::clamp(weight, 0.0, 0.999999);
    double ema = 0.0;
    double totalWeight = 0.0;  // = 1 - w^t after t finite values
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            out[i] = v;
            continue;
        }
        ema = w * ema + (1.0 - w) * v;
        totalWeight = w * totalWeight + (1.0 - w);
        out[i] = ema / totalWeight;
    }
    return out;
}

namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// One finite neighbour outside each end of the range, so the line continues to the plot
// border.
void pushFiniteBefore(const std::vector<double>& ys, std::size_t first,
                      std::vector<std::size_t>& out) {
    for (std::size_t i = first; i-- > 0;) {
        if (std::isfinite(ys[i])) {
            out.push_back(i);
            return;
        }
    }
}

void pushFiniteAfter(const std::vector<double>& ys, std::size_t last, std::size_t n,
                     std::vector<std::size_t>& out) {
    for (std::size_t i = last; i < n; ++i) {
        if (std::isfinite(ys[i])) {
            out.push_back(i);
            return;
        }
    }
}

// The lowest and highest point of one pixel column.
struct ColumnExtremes {
    std::size_t minIdx = kNone;
    std::size_t maxIdx = kNone;

    // Keeps the extremes in index order so the line visits them left to right.
    void flushTo(std::vector<std::size_t>& out) const {
        if (minIdx == kNone) return;
        const std::size_t a = std::min(minIdx, maxIdx);
        const std::size_t b = std::max(minIdx, maxIdx);
        if (out.empty() || out.back() < a) out.push_back(a);
        if (b != a && out.back() < b) out.push_back(b);
    }
};

// One pass over the finite points of [first, last): bucket them by pixel column and keep each
// column's min and max, plus the first and last point of the range.
void pushColumnExtremes(const std::vector<double>& xs, const std::vector<double>& ys,
                        std::size_t first, std::size_t last, double xMin, double xMax, int columns,
                        std::vector<std::size_t>& out) {
    const double span = xMax - xMin;
    const double scale = span > 0.0 ? columns / span : 0.0;
    std::size_t firstFinite = kNone;
    std::size_t lastFinite = kNone;
    int column = -1;
    ColumnExtremes extremes;
    for (std::size_t i = first; i < last; ++i) {
        const double y = ys[i];
        if (!std::isfinite(y)) continue;
        if (firstFinite == kNone) {
            firstFinite = i;
            out.push_back(i);  // the first point in range is always kept
        }
        lastFinite = i;
        const int c = std::min(columns - 1, static_cast<int>((xs[i] - xMin) * scale));
        if (c != column) {
            extremes.flushTo(out);
            column = c;
            extremes.minIdx = extremes.maxIdx = i;
            continue;
        }
        if (y < ys[extremes.minIdx]) extremes.minIdx = i;
        if (y > ys[extremes.maxIdx]) extremes.maxIdx = i;
    }
    extremes.flushTo(out);
    if (lastFinite != kNone && out.back() < lastFinite) out.push_back(lastFinite);
}

}  // namespace

std::vector<std::size_t> decimateMinMax(const std::vector<double>& xs,
                                        const std::vector<double>& ys, double xMin, double xMax,
                                        int columns) {
    std::vector<std::size_t> out;
    const std::size_t n = std::min(xs.size(), ys.size());
    if (n == 0 || !(xMax >= xMin)) return out;
    columns = std::max(columns, 1);

    // [first, last) = points with xMin <= x <= xMax.
    const auto begin = xs.begin();
    const auto end = xs.begin() + static_cast<std::ptrdiff_t>(n);
    const std::size_t first = static_cast<std::size_t>(std::lower_bound(begin, end, xMin) - begin);
    const std::size_t last = static_cast<std::size_t>(std::upper_bound(begin, end, xMax) - begin);
    std::size_t finiteInRange = 0;
    for (std::size_t i = first; i < last; ++i) finiteInRange += std::isfinite(ys[i]) ? 1 : 0;

    pushFiniteBefore(ys, first, out);
    if (finiteInRange <= 2 * static_cast<std::size_t>(columns)) {
        for (std::size_t i = first; i < last; ++i)
            if (std::isfinite(ys[i])) out.push_back(i);
    } else {
        pushColumnExtremes(xs, ys, first, last, xMin, xMax, columns, out);
    }
    pushFiniteAfter(ys, last, n, out);
    return out;
}

std::size_t nearestIndex(const std::vector<double>& xs, double x) {
    if (xs.empty()) return 0;
    const auto it = std::lower_bound(xs.begin(), xs.end(), x);
    if (it == xs.begin()) return 0;
    if (it == xs.end()) return xs.size() - 1;
    const auto prev = std::prev(it);
    // Ties go to the lower index: prefer prev when it is at least as close.
    const std::size_t i = static_cast<std::size_t>(it - xs.begin());
    return (x - *prev) <= (*it - x) ? i - 1 : i;
}

bool isAscending(const std::vector<double>& xs) {
    return std::is_sorted(xs.begin(), xs.end());
}

}  // namespace tinyseek::viz
