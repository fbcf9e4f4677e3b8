// Small QPainter helpers shared by the custom-painted figures (heatmap, bar chart, token strip),
// so they look alike on screen and in PNG/SVG/PDF exports.
#pragma once

#include <QObject>

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

class QPainter;

namespace tinyseek::viz {

// Space between a figure's canvas edge and what it draws, in logical pixels.
constexpr double kFigureMargin = 10.0;

enum class MarkerShape { Cross, Circle, Triangle, Diamond, Square };

// Figure fonts derived from a base font (normally the widget's font). Sizes are in points so
// they scale with the device resolution; the figures are laid out from QFontMetricsF.
QFont figureTitleFont(const QFont& base);
QFont figureLabelFont(const QFont& base);
QFont figureSmallFont(const QFont& base);

// Figures follow the window's light or dark theme on screen; exported files are light by
// default (they go into documents), or dark when asked for. The colours below are those of
// the theme in force: the screen's, or inside a FigureThemeScope (the exporters open one) its
// own. GUI thread only, like all drawing.
enum class FigureTheme { Light, Dark };
void setScreenFigureTheme(FigureTheme theme);  // the window sets it with its palette
FigureTheme screenFigureTheme();
// Emits changed() after setScreenFigureTheme() changed the theme; figures that bake colours
// into items (Qt Charts) recolour then, the painted ones read the colours as they paint.
class FigureThemeNotifier : public QObject {
    Q_OBJECT

  signals:
    void changed();
};
FigureThemeNotifier& figureThemeNotifier();
void setExportFigureTheme(FigureTheme theme);  // what exports draw in (default Light)
FigureTheme exportFigureTheme();
FigureTheme currentFigureTheme();

class FigureThemeScope {
  public:
    explicit FigureThemeScope(FigureTheme theme);
    ~FigureThemeScope();
    FigureThemeScope(const FigureThemeScope&) = delete;
    FigureThemeScope& operator=(const FigureThemeScope&) = delete;

  private:
    int m_saved;
};

// Colours of figure chrome in the current theme.
QColor figureBackground();
QColor figureTextColor();
QColor figureMutedTextColor();  // axis tick labels, state messages
QColor figureGridColor();
QColor figureAxisColor();

// Text rotated by -90 degrees (reading bottom to top), centred on `center`, within `room`
// (e.g. the height of the plot or colour bar it labels). Like titles, it is set smaller (down
// to 70 %) when it needs to; a text that fits not even then is noted (clippedFigureTexts).
void drawVerticalText(QPainter& painter, const QPointF& center, const QString& text, double room);

// Texts the figures had to draw cut (a title or label wider than its room even at 70 %),
// since the last clear. The window's test at 1280x800 holds this list empty.
QStringList clippedFigureTexts();
void clearClippedFigureTexts();
// `font` made smaller, down to 70 % of its size, until `text` is at most `room` wide; when it
// is still wider, the text is noted as clipped and the smallest font returned.
QFont fittedFont(const QFont& font, const QString& text, double room);

// A marker of `size` logical pixels centred on `center`, drawn over a white halo so it stays
// visible on any cell colour.
void drawMarker(QPainter& painter, MarkerShape shape, const QPointF& center, double size,
                const QColor& color);

// A horizontal reference across `plot` at y (screen coordinates): a dotted line, or, when
// `yOther` is finite, a shaded band between y and yOther with dotted edges.
void drawReference(QPainter& painter, const QRectF& plot, double y, double yOther,
                   const QColor& color);

// The in-place empty/error state: a centred message in a light frame. Error text is red.
void drawStateMessage(QPainter& painter, const QRectF& area, const QString& text, bool isError);

// The start of a figure's paint (the caller has saved the painter): clip to `canvas`, fill it
// with the figure background, and draw `title`, if any, centred in `titleRect`.
void paintFigureFrame(QPainter& painter, const QRectF& canvas, const QRectF& titleRect,
                      const QString& title, const QFont& base);
// The empty/error state of a figure: drawStateMessage over the canvas below its title
// (`titleRect` empty = no title).
void paintFigureState(QPainter& painter, const QRectF& canvas, const QRectF& titleRect,
                      const QFont& base, const QString& text, bool isError);

}  // namespace tinyseek::viz
