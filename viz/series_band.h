// One curve with a band for a group of runs (e.g. the seeds of one configuration): at each
// point of the first run, the mean of the runs' values and either their min..max or the mean
// ± the sample standard deviation. Runs are lined up on the chart's x axis: by step, or by
// wall time (a GRPO arm and its control arm of equal training time, whose steps differ). A run
// whose own points do not fall on that x is read by linear interpolation between its two
// neighbouring points, so evaluations made at different steps (a control arm's) still line up.
#pragma once

#include <vector>

#include "viz/metric_plot_data.h"
#include "viz/plot_data.h"

namespace tinyseek::viz {

enum class BandKind { MinMax, StdDev };

struct SeriesBand {
    MetricSeries mean;        // on the first run's steps and wall times
    std::vector<double> low;  // aligned with mean
    std::vector<double> high;
};

// Points outside some run's x range, or next to a non-finite value of some run, are left out.
// Each series must be in ascending step order. With one series the band is that series.
SeriesBand seriesBand(const std::vector<MetricSeries>& series, BandKind kind,
                      XAxisMode axis = XAxisMode::Step);

}  // namespace tinyseek::viz
