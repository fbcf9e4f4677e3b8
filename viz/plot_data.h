// Plain data that the viz widgets draw. No training types: callers convert their own records
// (step reports, stored runs) into these values. Only QString/QStringList from Qt.
#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace tinyseek::viz {

// One metric of one run over time: parallel vectors, one entry per logged step.
// Steps are expected in ascending order (the chart sorts a copy if they are not).
struct MetricSeries {
    QString name;                   // metric name, e.g. "reward/mean"
    std::vector<double> steps;      // (N,) training step
    std::vector<double> wallTimes;  // (N,) seconds since the run started
    std::vector<double> values;     // (N,) the metric; NaN/inf entries are kept but not drawn

    std::size_t size() const { return values.size(); }
    bool isEmpty() const { return values.empty(); }
    // True when the three vectors have the same length.
    bool isConsistent() const {
        return steps.size() == values.size() && wallTimes.size() == values.size();
    }
    void append(double step, double wallTime, double value) {
        steps.push_back(step);
        wallTimes.push_back(wallTime);
        values.push_back(value);
    }
    void reserve(std::size_t n) {
        steps.reserve(n);
        wallTimes.reserve(n);
        values.reserve(n);
    }
};

// A horizontal reference drawn across a chart (a published figure, a baseline): a dotted line
// at `value`, or with a finite `high` a shaded band from `value` to `high`, labelled.
struct ReferenceLine {
    QString label;
    double value = 0.0;
    double high = std::numeric_limits<double>::quiet_NaN();
    bool isBand() const { return high == high; }  // high is not NaN
};

// A dense rows x cols matrix of floats, row-major: value(r, c) = data[r * cols + c].
// Row and column labels are optional; missing labels are shown as the index.
class Matrix {
  public:
    Matrix() = default;
    Matrix(int rows, int cols, float fill = 0.0f);

    int rows() const { return m_rows; }
    int cols() const { return m_cols; }
    bool isEmpty() const { return m_rows == 0 || m_cols == 0; }

    float value(int row, int col) const { return m_data[index(row, col)]; }
    void setValue(int row, int col, float v) { m_data[index(row, col)] = v; }
    const std::vector<float>& data() const { return m_data; }
    std::vector<float>& data() { return m_data; }

    QStringList rowLabels;  // (rows,) or empty
    QStringList colLabels;  // (cols,) or empty

    // Label of a row/column: the given label, or the index as text.
    QString rowLabel(int row) const;
    QString colLabel(int col) const;

    // Smallest and largest finite value; {0, 0} when there is none.
    std::pair<float, float> finiteRange() const;

  private:
    std::size_t index(int row, int col) const {
        return static_cast<std::size_t>(row) * static_cast<std::size_t>(m_cols) +
               static_cast<std::size_t>(col);
    }

    int m_rows = 0;
    int m_cols = 0;
    std::vector<float> m_data;  // (rows, cols)
};

}  // namespace tinyseek::viz
