// Colour maps for heatmaps and fixed categorical palettes for runs and categories.
#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace tinyseek::viz {

// value -> colour. Sequential maps go from `minimum` to `maximum`; diverging maps put the
// neutral colour at `center` and stretch each half independently, so an asymmetric range
// (e.g. load 0..3 centred on 1.0 = balanced) still has white exactly at the centre.
// Values outside the range are clamped to the end colours; NaN maps to nanColor().
class ColorMap {
  public:
    enum class Kind { Sequential, Diverging };

    // Perceptually uniform sequential map (viridis: dark purple -> teal -> yellow).
    static ColorMap viridis(double minimum, double maximum);
    // Blue -> near-white -> red diverging map, neutral at `center`.
    static ColorMap diverging(double minimum, double center, double maximum);

    ColorMap();  // viridis on [0, 1]

    QColor color(double value) const { return QColor::fromRgb(rgb(value)); }
    QRgb rgb(double value) const;
    // Position of `value` on the colour axis in [0, 1] (0.5 = center for diverging maps).
    double normalized(double value) const;
    // Inverse of normalized(): the value at position t in [0, 1] of the colour axis.
    double valueAt(double t) const;

    Kind kind() const { return m_kind; }
    double minimum() const { return m_min; }
    double maximum() const { return m_max; }
    double center() const { return m_center; }
    void setRange(double minimum, double maximum);  // keeps the centre for diverging maps
    QColor nanColor() const { return QColor(190, 190, 190); }

    // Tick values for a colour bar: "nice" numbers inside [min, max] (and the centre of a
    // diverging map), at most about `maxTicks`.
    QList<double> ticks(int maxTicks = 6) const;

  private:
    Kind m_kind = Kind::Sequential;
    double m_min = 0.0;
    double m_center = 0.5;
    double m_max = 1.0;
};

// The colour of a run: the one the user chose (setRunColor), else a fixed colour by id, the
// same whatever the order runs are added in: ids 0-9 from a qualitative palette, further ids
// step around the hue circle by the golden angle, so no two runs of a database share one.
QColor runColor(int runId);
// The user's choice for a run (GUI thread; the window restores them per database); an
// invalid colour removes it. clearRunColors() forgets every choice.
void setRunColor(int runId, const QColor& color);
void clearRunColors();
// Colour for category i (expert index, bar group). The first 10 come from a qualitative
// palette; further indices step around the hue circle by the golden angle so neighbours differ.
QColor categoryColor(int index);
// Black or white, whichever reads better on `background` (relative luminance > 0.3 -> black).
QColor contrastingTextColor(const QColor& background);
// "Nice" tick step (1, 2 or 5 times a power of ten) so that `span` holds about `targetTicks`.
double niceTickStep(double span, int targetTicks);
// Compact number text for axis and colour-bar labels ("0.25", "1.5e+04", "3").
QString formatTick(double value);

}  // namespace tinyseek::viz
