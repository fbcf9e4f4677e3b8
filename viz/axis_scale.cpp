#include "viz/axis_scale.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "viz/color_map.h"
#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {
constexpr double kTick = 4.0;

double logOf(double v, double base) {
    return std::log(v) / std::log(base);
}
}  // namespace

AxisScale AxisScale::linear(double dataMin, double dataMax, bool includeZero, int targetTicks) {
    AxisScale s;
    if (!std::isfinite(dataMin) || !std::isfinite(dataMax) || dataMax < dataMin) {
        dataMin = 0.0;
        dataMax = 1.0;
    }
    if (includeZero) {
        dataMin = std::min(dataMin, 0.0);
        dataMax = std::max(dataMax, 0.0);
    }
    if (dataMax == dataMin) {
        const double pad = dataMax == 0.0 ? 1.0 : std::abs(dataMax) * 0.1;
        dataMin -= includeZero && dataMin == 0.0 ? 0.0 : pad;
        dataMax += pad;
    }
    s.m_step = niceTickStep(dataMax - dataMin, targetTicks);
    s.m_min = std::floor(dataMin / s.m_step + 1e-9) * s.m_step;
    s.m_max = std::ceil(dataMax / s.m_step - 1e-9) * s.m_step;
    return s;
}

AxisScale AxisScale::logarithmic(double dataMin, double dataMax, double base) {
    AxisScale s;
    s.m_log = true;
    s.m_base = base > 1.0 ? base : 10.0;
    if (!(dataMin > 0.0) || !(dataMax >= dataMin) || !std::isfinite(dataMax)) {
        dataMin = 1.0;
        dataMax = s.m_base;
    }
    s.m_min = std::pow(s.m_base, std::floor(logOf(dataMin, s.m_base) + 1e-9));
    s.m_max = std::pow(s.m_base, std::ceil(logOf(dataMax, s.m_base) - 1e-9));
    if (s.m_max <= s.m_min) s.m_max = s.m_min * s.m_base;
    return s;
}

bool AxisScale::accepts(double v) const {
    return std::isfinite(v) && (!m_log || v > 0.0);
}

double AxisScale::fraction(double v) const {
    if (m_log) {
        const double lo = logOf(m_min, m_base);
        const double hi = logOf(m_max, m_base);
        return (logOf(v, m_base) - lo) / (hi - lo);
    }
    return (v - m_min) / (m_max - m_min);
}

QList<double> AxisScale::majorTicks() const {
    QList<double> ticks;
    if (m_log) {
        for (double v = m_min; v <= m_max * (1 + 1e-9); v *= m_base) ticks.append(v);
        return ticks;
    }
    for (double v = m_min; v <= m_max + m_step * 1e-6; v += m_step)
        ticks.append(std::abs(v) < m_step * 1e-9 ? 0.0 : v);
    return ticks;
}

QList<double> AxisScale::minorTicks() const {
    QList<double> ticks;
    if (!m_log || m_base != 10.0) return ticks;
    for (double decade = m_min; decade < m_max * (1 - 1e-9); decade *= 10.0)
        for (int m = 2; m <= 9; ++m) ticks.append(decade * m);
    return ticks;
}

QString defaultTickText(const AxisScale& scale, double value) {
    if (scale.isLog() && scale.base() == 2.0 && value >= 1.0)
        return QString::number(static_cast<qint64>(std::llround(value)));
    if (scale.isLog() && value >= 1000.0) {
        // Decades as SI prefixes: 1k, 10k, 100k, 1M, ... (shorter than 1e+04).
        static const char* const prefixes[] = {"k", "M", "G", "T", "P"};
        double v = value;
        int p = -1;
        while (v >= 1000.0 && p < 4) {
            v /= 1000.0;
            ++p;
        }
        return QString::number(v, 'g', 3) + QLatin1String(prefixes[p]);
    }
    if (scale.isLog() && value < 1e-3) return QString::number(value, 'g', 2);
    return formatTick(value);
}

double valueToY(const AxisScale& scale, double v, const QRectF& plot) {
    return plot.bottom() - scale.fraction(v) * plot.height();
}

double valueToX(const AxisScale& scale, double v, const QRectF& plot) {
    return plot.left() + scale.fraction(v) * plot.width();
}

double tickLabelWidth(const QPainter& painter, const AxisScale& scale,
                      const ValueFormatter& format) {
    const QFontMetricsF fm(painter.font());
    double w = 0.0;
    for (double t : scale.majorTicks())
        w = std::max(w, fm.horizontalAdvance(format ? format(t) : defaultTickText(scale, t)));
    return w;
}

double paintVerticalAxis(QPainter& painter, const AxisScale& scale, const QRectF& plot,
                         bool onRight, bool grid, const ValueFormatter& format) {
    const QFontMetricsF fm(painter.font());
    painter.save();
    if (grid) {
        painter.setPen(QPen(QColor(242, 242, 242), 1.0));
        for (double t : scale.minorTicks()) {
            const double y = valueToY(scale, t, plot);
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        }
        painter.setPen(QPen(figureGridColor(), 1.0));
        for (double t : scale.majorTicks()) {
            const double y = valueToY(scale, t, plot);
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        }
    }
    double width = 0.0;
    painter.setPen(figureTextColor());
    const double edge = onRight ? plot.right() : plot.left();
    for (double t : scale.majorTicks()) {
        const double y = valueToY(scale, t, plot);
        const QString text = format ? format(t) : defaultTickText(scale, t);
        const double w = fm.horizontalAdvance(text);
        width = std::max(width, w);
        painter.drawLine(QPointF(edge, y), QPointF(edge + (onRight ? kTick : -kTick), y));
        const QRectF box =
            onRight ? QRectF(edge + kTick + 3.0, y - fm.height() / 2, w + 2, fm.height())
                    : QRectF(edge - kTick - 3.0 - w - 2, y - fm.height() / 2, w + 2, fm.height());
        painter.drawText(box, (onRight ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, text);
    }
    painter.restore();
    return width + kTick + 3.0;
}

double paintHorizontalAxis(QPainter& painter, const AxisScale& scale, const QRectF& plot, bool grid,
                           const ValueFormatter& format) {
    const QFontMetricsF fm(painter.font());
    painter.save();
    if (grid) {
        painter.setPen(QPen(figureGridColor(), 1.0));
        for (double t : scale.majorTicks()) {
            const double x = valueToX(scale, t, plot);
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        }
    }
    painter.setPen(figureTextColor());
    for (double t : scale.majorTicks()) {
        const double x = valueToX(scale, t, plot);
        const QString text = format ? format(t) : defaultTickText(scale, t);
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + kTick));
        painter.drawText(QRectF(x - 100.0, plot.bottom() + kTick + 1.0, 200.0, fm.height()),
                         Qt::AlignHCenter | Qt::AlignTop, text);
    }
    painter.restore();
    return kTick + 1.0 + fm.height();
}

}  // namespace tinyseek::viz
