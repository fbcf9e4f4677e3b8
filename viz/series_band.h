// One curve with a band for a group of runs (e.g. the seeds of one configuration): at every
// step all of them logged, the mean of their values and either their min..max or the mean
// ± the sample standard deviation. Wall time is the mean of the runs' wall times at the step.
#pragma once

#include <vector>

#include "viz/plot_data.h"

namespace tinyseek::viz {

enum class BandKind { MinMax, StdDev };

struct SeriesBand {
    MetricSeries mean;        // ascending steps
    std::vector<double> low;  // aligned with mean
    std::vector<double> high;
};

// Steps missing from any series, or where any value is not finite, are left out. Each series
// must be in ascending step order. With one series the band is that series, low = high.
SeriesBand seriesBand(const std::vector<MetricSeries>& series, BandKind kind);

}  // namespace tinyseek::viz
