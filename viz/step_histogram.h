// Histograms over steps, as TensorBoard's histogram view shows weights: each step a column,
// each value bin a row (the highest values on top), each cell the share of that step's values
// in the bin, for a HeatmapWidget.
#pragma once

#include <cstdint>
#include <vector>

#include "viz/plot_data.h"

namespace tinyseek::viz {

struct StepHistogram {
    Matrix shares;                    // (bins, distinct steps); a step's column sums to 1
    std::vector<std::int64_t> steps;  // the column's step
    std::vector<int> counts;          // values counted in each column
    double low = 0.0, high = 0.0;     // the binned range
};

// steps[i] and values[i] belong together (any order); NaN values are left out, and a step
// with none has no column. `bins` equal bins over [min, max] of the values (the last bin
// includes the maximum; one value only: a bin of width 1 around it). Row labels are the bins'
// ranges, column labels the steps.
StepHistogram stepHistogram(const std::vector<std::int64_t>& steps,
                            const std::vector<double>& values, int bins);

}  // namespace tinyseek::viz
