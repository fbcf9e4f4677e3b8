// Numeric axes for the custom-painted charts (BarChart, ScalingPlot): a linear or logarithmic
// scale with "nice" ticks, and painter helpers for tick marks, labels and grid lines.
#pragma once

#include <QList>
#include <QRectF>
#include <QString>

#include <functional>

class QPainter;

namespace tinyseek::viz {

using ValueFormatter = std::function<QString(double)>;

class AxisScale {
  public:
    // Range rounded outwards to a 1/2/5 tick step; includeZero stretches it to contain 0
    // (bars start at zero). An empty or invalid range becomes [0, 1].
    static AxisScale linear(double dataMin, double dataMax, bool includeZero = false,
                            int targetTicks = 6);
    // Range rounded outwards to whole powers of `base` (the only labelled ticks); values <= 0
    // must be left out by the caller. An invalid range becomes [1, base].
    static AxisScale logarithmic(double dataMin, double dataMax, double base = 10.0);

    bool isLog() const { return m_log; }
    double min() const { return m_min; }
    double max() const { return m_max; }
    double base() const { return m_base; }
    // Can v be placed on this axis? (finite, and > 0 on a log axis)
    bool accepts(double v) const;
    // Position of v along the axis: 0 at min, 1 at max (not clamped).
    double fraction(double v) const;
    QList<double> majorTicks() const;
    // Unlabelled grid ticks: 2..9 x each decade on a base-10 log axis, none otherwise.
    QList<double> minorTicks() const;

  private:
    bool m_log = false;
    double m_min = 0.0;
    double m_max = 1.0;
    double m_base = 10.0;
    double m_step = 0.2;  // linear tick step
};

// Default tick text: formatTick() for linear axes; powers of two as integers (k = 1, 2, 4);
// decades as 0.01, 0.1, 1, 10, 100, 1k, 10k, 1M, ...
QString defaultTickText(const AxisScale& scale, double value);

// Maps an axis value into the plot: y grows upwards from plot.bottom(); x grows rightwards.
double valueToY(const AxisScale& scale, double v, const QRectF& plot);
double valueToX(const AxisScale& scale, double v, const QRectF& plot);

// Paints grid lines across `plot` (minor ones lighter) and tick labels on the left or right
// (vertical axis) or bottom (horizontal axis) edge. Returns the width (vertical) or height
// (horizontal) the labels took. The painter's font is used for the labels.
double paintVerticalAxis(QPainter& painter, const AxisScale& scale, const QRectF& plot,
                         bool onRight, bool grid, const ValueFormatter& format = {});
double paintHorizontalAxis(QPainter& painter, const AxisScale& scale, const QRectF& plot, bool grid,
                           const ValueFormatter& format = {});
// Widest tick label of a vertical axis, for layout.
double tickLabelWidth(const QPainter& painter, const AxisScale& scale,
                      const ValueFormatter& format = {});

}  // namespace tinyseek::viz
