// Bounded memory for long series: a metric logged every step of a 100,000-step run is held
// thinned, the way a chart draws it anyway. Steps are cut into buckets [k·w, (k+1)·w) of a
// width w (a power of two); each bucket keeps its points with the lowest and the highest finite
// value, so spikes and dips survive, and the series keeps its last point (the newest value).
// Buckets of width 2w are unions of buckets of width w, so thinning a thinned series again
// with a wider bucket gives what thinning the full series would have given.
#pragma once

#include <cstddef>

#include "viz/plot_data.h"

namespace tinyseek::viz {

// Points a held series keeps at most (a little over it between two thinnings: see bound()).
constexpr std::size_t kSeriesPointBudget = 4096;

// Thins `series` (ascending steps) with buckets `bucketWidth` steps wide, in place.
void thinSeries(MetricSeries& series, double bucketWidth);

// The narrowest power-of-two bucket width, at least `current`, with which `series` keeps at
// most `budget` points (2 per bucket, plus the last).
double thinningWidthFor(const MetricSeries& series, std::size_t budget, double current);

// What the holders of growing series call after appending: once the series has more than
// 2 × budget points it is thinned to at most budget + 1; returns the width it is held at
// (`width` unchanged when nothing was done, 0 for a series held in full).
double boundSeries(MetricSeries& series, std::size_t budget, double width);

// Bytes the three vectors of a series hold (their capacity).
std::size_t heldBytes(const MetricSeries& series);

}  // namespace tinyseek::viz
