// Pure functions behind the metric charts: EMA smoothing with debiasing, min/max decimation
// per pixel column, nearest-x lookup. No Qt, so they are unit-tested and benchmarked directly.
#pragma once

#include <cstddef>
#include <vector>

namespace tinyseek::viz {

// Exponential moving average with TensorBoard's debiasing.
//   ema_t = w * ema_{t-1} + (1 - w) * v_t,  ema_0 = 0
//   smoothed_t = ema_t / (1 - w^t)
// Dividing by (1 - w^t), the total weight given so far, removes the bias toward the zero start:
// the first output equals the first input. Non-finite inputs pass through unchanged and do not
// enter the average (t counts only finite values). weight is in [0, 1); 0 returns the input.
std::vector<double> emaSmooth(const std::vector<double>& values, double weight);

// Indices of the points to draw so that a line through them looks like the full line on a plot
// `columns` pixels wide. xs must be ascending (ties allowed); ys has the same length.
// For every pixel column in [xMin, xMax] the points with the smallest and the largest y are kept
// (in index order), so spikes survive; the first and last point inside the range are always kept,
// and so is one neighbour just outside each end so the line reaches the plot border.
// Points with a non-finite y are dropped. If the range holds at most 2 * columns finite points,
// all of them are returned. Output is ascending, without duplicates, at most 2 * columns + 4.
std::vector<std::size_t> decimateMinMax(const std::vector<double>& xs,
                                        const std::vector<double>& ys, double xMin, double xMax,
                                        int columns);

// Index of the element of the ascending vector xs closest to x (the lower one on a tie).
// Returns xs.size() when xs is empty.
std::size_t nearestIndex(const std::vector<double>& xs, double x);

// True when xs is in non-decreasing order.
bool isAscending(const std::vector<double>& xs);

}  // namespace tinyseek::viz
