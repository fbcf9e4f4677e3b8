#include "viz/plot_data.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tinyseek::viz {

Matrix::Matrix(int rows, int cols, float fill) {
    if (rows < 0 || cols < 0) {
        throw std::invalid_argument("Matrix: rows and cols must be >= 0, got " +
                                    std::to_string(rows) + " x " + std::to_string(cols));
    }
    m_rows = rows;
    m_cols = cols;
    m_data.assign(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols), fill);
}

QString Matrix::rowLabel(int row) const {
    return row < rowLabels.size() ? rowLabels.at(row) : QString::number(row);
}

QString Matrix::colLabel(int col) const {
    return col < colLabels.size() ? colLabels.at(col) : QString::number(col);
}

std::pair<float, float> Matrix::finiteRange() const {
    float lo = std::numeric_limits<float>::max();
    float hi = std::numeric_limits<float>::lowest();
    bool any = false;
    for (float v : m_data) {
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        any = true;
    }
    if (!any) return {0.0f, 0.0f};
    return {lo, hi};
}

}  // namespace tinyseek::viz
