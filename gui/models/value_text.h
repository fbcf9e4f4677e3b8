// How a stored number reads in a table cell: "–" for a value the run did not record (NaN: an
// imported run's advantage or format, a sample without per-token values), and 0 rather than
// -0.000 for a value that rounds to zero.
#pragma once

#include <QString>

#include <cmath>

namespace tinyseek::gui {

inline QString valueText(double value, char format, int precision) {
    if (std::isnan(value)) return QStringLiteral("–");
    QString text = QString::number(value, format, precision);
    if (text.startsWith(QLatin1Char('-')) && text.toDouble() == 0.0) text.remove(0, 1);
    return text;
}

}  // namespace tinyseek::gui
