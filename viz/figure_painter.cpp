#include "viz/figure_painter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace tinyseek::viz {

namespace {

double basePointSize(const QFont& base) {
    // Fonts given in pixels report -1 points; fall back to a 9 pt base.
    const double pt = base.pointSizeF();
    return pt > 0 ? std::clamp(pt, 7.0, 14.0) : 9.0;
}

}  // namespace

QFont figureTitleFont(const QFont& base) {
    QFont f = base;
    f.setPointSizeF(basePointSize(base) * 1.3);
    f.setBold(true);
    return f;
}

QFont figureLabelFont(const QFont& base) {
    QFont f = base;
    f.setPointSizeF(basePointSize(base));
    f.setBold(false);
    return f;
}

QFont figureSmallFont(const QFont& base) {
    QFont f = base;
    f.setPointSizeF(basePointSize(base) * 0.9);
    f.setBold(false);
    return f;
}

namespace {

FigureTheme g_screenTheme = FigureTheme::Light;
FigureTheme g_exportTheme = FigureTheme::Light;
int g_scopedTheme = -1;  // a FigureThemeScope's theme, -1 = none

bool dark() {
    return currentFigureTheme() == FigureTheme::Dark;
}

}  // namespace

void setScreenFigureTheme(FigureTheme theme) {
    if (theme == g_screenTheme) return;
    g_screenTheme = theme;
    emit figureThemeNotifier().changed();
}

FigureThemeNotifier& figureThemeNotifier() {
    static FigureThemeNotifier notifier;
    return notifier;
}
FigureTheme screenFigureTheme() {
    return g_screenTheme;
}
void setExportFigureTheme(FigureTheme theme) {
    g_exportTheme = theme;
}
FigureTheme exportFigureTheme() {
    return g_exportTheme;
}

FigureTheme currentFigureTheme() {
    return g_scopedTheme < 0 ? g_screenTheme : static_cast<FigureTheme>(g_scopedTheme);
}

FigureThemeScope::FigureThemeScope(FigureTheme theme) : m_saved(g_scopedTheme) {
    g_scopedTheme = static_cast<int>(theme);
}

FigureThemeScope::~FigureThemeScope() {
    g_scopedTheme = m_saved;
}

QColor figureBackground() {
    return dark() ? QColor(37, 39, 43) : QColor(255, 255, 255);
}
QColor figureTextColor() {
    return dark() ? QColor(225, 225, 225) : QColor(40, 40, 40);
}
QColor figureMutedTextColor() {
    return dark() ? QColor(170, 170, 170) : QColor(100, 100, 100);
}
QColor figureGridColor() {
    return dark() ? QColor(66, 70, 76) : QColor(225, 225, 225);
}
QColor figureAxisColor() {
    return dark() ? QColor(140, 140, 140) : QColor(120, 120, 120);
}

namespace {

QStringList& clippedTexts() {
    static QStringList texts;
    return texts;
}

}  // namespace

QStringList clippedFigureTexts() {
    return clippedTexts();
}
void clearClippedFigureTexts() {
    clippedTexts().clear();
}

QFont fittedFont(const QFont& font, const QString& text, double room) {
    QFont f = font;
    const double size = font.pointSizeF();
    for (double scale = 1.0; scale >= 0.7 - 1e-9; scale -= 0.05) {
        f.setPointSizeF(size * scale);
        if (QFontMetricsF(f).horizontalAdvance(text) <= room) return f;
    }
    if (!clippedTexts().contains(text)) clippedTexts() << text;
    return f;
}

void drawVerticalText(QPainter& painter, const QPointF& center, const QString& text, double room) {
    painter.setFont(fittedFont(painter.font(), text, room));
    const QFontMetricsF fm(painter.font());
    const double w = fm.horizontalAdvance(text);
    painter.save();
    painter.translate(center);
    painter.rotate(-90.0);
    painter.drawText(QRectF(-w / 2.0 - 2.0, -fm.height() / 2.0, w + 4.0, fm.height()),
                     Qt::AlignCenter, text);
    painter.restore();
}

void drawMarker(QPainter& painter, MarkerShape shape, const QPointF& center, double size,
                const QColor& color) {
    const double r = size / 2.0;
    QPainterPath path;
    switch (shape) {
        case MarkerShape::Cross:
            path.moveTo(center + QPointF(-r, -r));
            path.lineTo(center + QPointF(r, r));
            path.moveTo(center + QPointF(-r, r));
            path.lineTo(center + QPointF(r, -r));
            break;
        case MarkerShape::Circle:
            path.addEllipse(center, r * 0.85, r * 0.85);
            break;
        case MarkerShape::Triangle:
            path.addPolygon(QPolygonF({center + QPointF(0, -r), center + QPointF(r, r * 0.8),
                                       center + QPointF(-r, r * 0.8), center + QPointF(0, -r)}));
            break;
        case MarkerShape::Diamond:
            path.addPolygon(
                QPolygonF({center + QPointF(0, -r), center + QPointF(r, 0), center + QPointF(0, r),
                           center + QPointF(-r, 0), center + QPointF(0, -r)}));
            break;
        case MarkerShape::Square:
            path.addRect(QRectF(center - QPointF(r * 0.8, r * 0.8), QSizeF(r * 1.6, r * 1.6)));
            break;
    }
    const double line = std::clamp(size / 6.0, 1.0, 2.5);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(Qt::NoBrush);
    // White halo first, then the marker itself.
    painter.setPen(
        QPen(QColor(255, 255, 255, 230), line + 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.drawPath(path);
    painter.setPen(QPen(color, line, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (shape != MarkerShape::Cross) painter.setBrush(color);
    painter.drawPath(path);
    painter.restore();
}

void drawReference(QPainter& painter, const QRectF& plot, double y, double yOther,
                   const QColor& color) {
    painter.save();
    if (std::isfinite(yOther)) {
        QColor fill = color;
        fill.setAlpha(40);
        painter.fillRect(QRectF(QPointF(plot.left(), std::min(y, yOther)),
                                QPointF(plot.right(), std::max(y, yOther))),
                         fill);
        painter.setPen(QPen(color, 1.5, Qt::DotLine));
        painter.drawLine(QPointF(plot.left(), yOther), QPointF(plot.right(), yOther));
    }
    painter.setPen(QPen(color, 1.5, Qt::DotLine));
    painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    painter.restore();
}

void drawStateMessage(QPainter& painter, const QRectF& area, const QString& text, bool isError) {
    painter.save();
    painter.setPen(QPen(figureGridColor(), 1.0, Qt::DashLine));
    painter.setBrush(QColor(250, 250, 250));
    const QRectF box = area.adjusted(8, 8, -8, -8);
    painter.drawRoundedRect(box, 6, 6);
    QFont f = figureLabelFont(painter.font());
    f.setPointSizeF(f.pointSizeF() * 1.2);
    painter.setFont(f);
    painter.setPen(isError ? QColor(180, 30, 30) : QColor(110, 110, 110));
    painter.drawText(box.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, text);
    painter.restore();
}

void paintFigureFrame(QPainter& painter, const QRectF& canvas, const QRectF& titleRect,
                      const QString& title, const QFont& base) {
    painter.setClipRect(canvas);
    painter.fillRect(canvas, figureBackground());
    if (title.isEmpty()) return;
    painter.setFont(fittedFont(figureTitleFont(base), title, titleRect.width()));
    painter.setPen(figureTextColor());
    painter.drawText(titleRect, Qt::AlignCenter, title);
}

void paintFigureState(QPainter& painter, const QRectF& canvas, const QRectF& titleRect,
                      const QFont& base, const QString& text, bool isError) {
    const double top = titleRect.isEmpty() ? canvas.top() : titleRect.bottom();
    painter.setFont(base);
    drawStateMessage(painter, QRectF(QPointF(canvas.left(), top), canvas.bottomRight()), text,
                     isError);
}

}  // namespace tinyseek::viz
