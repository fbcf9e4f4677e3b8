#include "viz/color_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace tinyseek::viz {

namespace {

// Anchor colours sampled at equal steps; intermediate values are linear in RGB. Viridis at 10
// equal steps (the published matplotlib/R map); ten anchors keep the error below the step of
// an 8-bit channel in most of the range, which is all a heatmap cell needs.
constexpr std::array<QRgb, 10> kViridis = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E,
                                           0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};
// Diverging blue - white - red (ColorBrewer RdBu, 7 classes, reversed so that high = red).
constexpr std::array<QRgb, 7> kDiverging = {0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7,
                                            0xFDDBC7, 0xEF8A62, 0xB2182B};
// Tableau 10: a qualitative palette whose colours stay apart for colour-blind readers too.
constexpr std::array<QRgb, 10> kCategorical = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F,
                                               0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};
// Run colours: same palette in an order that puts the most distinct colours first.
constexpr std::array<QRgb, 10> kRuns = {0x4E79A7, 0xE15759, 0x59A14F, 0xF28E2B, 0xB07AA1,
                                        0x76B7B2, 0xEDC948, 0x9C755F, 0xFF9DA7, 0x7F7F7F};

template <std::size_t N>
QRgb interpolate(const std::array<QRgb, N>& anchors, double t) {
    t = std::clamp(t, 0.0, 1.0) * static_cast<double>(N - 1);
    const std::size_t i = std::min(static_cast<std::size_t>(t), N - 2);
    const double f = t - static_cast<double>(i);
    auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    const QRgb a = anchors[i];
    const QRgb b = anchors[i + 1];
    return qRgb(mix(qRed(a), qRed(b)), mix(qGreen(a), qGreen(b)), mix(qBlue(a), qBlue(b)));
}

}  // namespace

ColorMap::ColorMap() = default;

ColorMap ColorMap::viridis(double minimum, double maximum) {
    ColorMap m;
    m.m_kind = Kind::Sequential;
    m.setRange(minimum, maximum);
    return m;
}

ColorMap ColorMap::diverging(double minimum, double center, double maximum) {
    ColorMap m;
    m.m_kind = Kind::Diverging;
    m.m_center = center;
    m.setRange(minimum, maximum);
    return m;
}

void ColorMap::setRange(double minimum, double maximum) {
    if (maximum < minimum) std::swap(minimum, maximum);
    m_min = minimum;
    m_max = maximum;
    if (m_kind == Kind::Sequential) m_center = 0.5 * (minimum + maximum);
}

double ColorMap::normalized(double value) const {
    if (std::isnan(value)) return 0.0;
    if (m_kind == Kind::Sequential) {
        const double span = m_max - m_min;
        if (span <= 0.0) return 0.5;
        return std::clamp((value - m_min) / span, 0.0, 1.0);
    }
    // Diverging: [min, center] -> [0, 0.5], [center, max] -> [0.5, 1].
    if (value <= m_center) {
        const double half = m_center - m_min;
        return half <= 0.0 ? 0.5 : std::clamp(0.5 - 0.5 * (m_center - value) / half, 0.0, 0.5);
    }
    const double half = m_max - m_center;
    return half <= 0.0 ? 0.5 : std::clamp(0.5 + 0.5 * (value - m_center) / half, 0.5, 1.0);
}

double ColorMap::valueAt(double t) const {
    t = std::clamp(t, 0.0, 1.0);
    if (m_kind == Kind::Sequential) return m_min + t * (m_max - m_min);
    if (t <= 0.5) return m_min + (m_center - m_min) * (t / 0.5);
    return m_center + (m_max - m_center) * ((t - 0.5) / 0.5);
}

QRgb ColorMap::rgb(double value) const {
    if (std::isnan(value)) return nanColor().rgb();
    const double t = normalized(value);
    return m_kind == Kind::Sequential ? interpolate(kViridis, t) : interpolate(kDiverging, t);
}

QList<double> ColorMap::ticks(int maxTicks) const {
    QList<double> out;
    const double span = m_max - m_min;
    if (!(span > 0.0)) {
        out.append(m_min);
        return out;
    }
    const double step = niceTickStep(span, std::max(2, maxTicks - 1));
    const double first = std::ceil(m_min / step - 1e-9) * step;
    for (double v = first; v <= m_max + step * 1e-9; v += step) {
        out.append(std::abs(v) < step * 1e-9 ? 0.0 : v);
    }
    if (m_kind == Kind::Diverging) {
        const bool hasCenter = std::any_of(
            out.begin(), out.end(), [&](double v) { return std::abs(v - m_center) < step * 1e-6; });
        if (!hasCenter && m_center >= m_min && m_center <= m_max) {
            out.append(m_center);
            std::sort(out.begin(), out.end());
        }
    }
    return out;
}

namespace {

std::map<int, QColor>& chosenRunColors() {
    static std::map<int, QColor> colors;
    return colors;
}

}  // namespace

QColor runColor(int runId) {
    const auto chosen = chosenRunColors().find(runId);
    if (chosen != chosenRunColors().end()) return chosen->second;
    const int n = static_cast<int>(kRuns.size());
    if (runId >= 0 && runId < n) return QColor::fromRgb(kRuns[static_cast<std::size_t>(runId)]);
    // Golden-angle hues after the palette. Every 21 steps the hue comes round to within 8
    // degrees (21 is a Fibonacci number), so each block of 21 ids has its own lightness. The
    // offset and levels were chosen so that ids 0-59 are at least 45 apart in the redmean
    // RGB distance (tests/viz/test_run_colors.cpp holds 0-39 to 40).
    const int k = std::abs(runId - n);
    const double hue = std::fmod(84.0 + k * 137.50776, 360.0);
    constexpr int kLightness[3] = {95, 135, 175};
    return QColor::fromHsl(static_cast<int>(hue), 200, kLightness[(k / 21) % 3]);
}

void setRunColor(int runId, const QColor& color) {
    if (color.isValid())
        chosenRunColors()[runId] = color;
    else
        chosenRunColors().erase(runId);
}

void clearRunColors() {
    chosenRunColors().clear();
}

QColor categoryColor(int index) {
    if (index < 0) return QColor(200, 200, 200);
    if (index < static_cast<int>(kCategorical.size()))
        return QColor::fromRgb(kCategorical[static_cast<std::size_t>(index)]);
    // Golden angle (~137.5 deg) hue steps, alternating lightness so neighbours differ.
    const double hue = std::fmod(static_cast<double>(index) * 137.50776, 360.0);
    const int lightness = (index % 2 == 0) ? 120 : 160;
    return QColor::fromHsl(static_cast<int>(hue), 150, lightness);
}

QColor contrastingTextColor(const QColor& background) {
    // Relative luminance (ITU-R BT.709 weights on linearised sRGB).
    auto lin = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const double l = 0.2126 * lin(background.redF()) + 0.7152 * lin(background.greenF()) +
                     0.0722 * lin(background.blueF());
    return l > 0.3 ? QColor(Qt::black) : QColor(Qt::white);
}

double niceTickStep(double span, int targetTicks) {
    if (!(span > 0.0) || !std::isfinite(span)) return 1.0;
    const double raw = span / std::max(1, targetTicks);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / mag;
    const double nice = r < 1.5 ? 1.0 : (r < 3.0 ? 2.0 : (r < 7.0 ? 5.0 : 10.0));
    return nice * mag;
}

QString formatTick(double value) {
    if (value == 0.0) return QStringLiteral("0");
    const double a = std::abs(value);
    if (a >= 1e5 || a < 1e-3) return QString::number(value, 'g', 3);
    return QString::number(value, 'g', 4);
}

}  // namespace tinyseek::viz
