#include "viz/chart_callout.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {
constexpr double kPadding = 6.0;
constexpr double kSwatch = 9.0;
constexpr double kAnchorGap = 12.0;  // between the anchor and the box
}  // namespace

ChartCallout::ChartCallout(QGraphicsItem* parent) : QGraphicsItem(parent) {
    m_font = figureSmallFont(QFont());
    m_headerFont = m_font;
    m_headerFont.setBold(true);
    setZValue(1000.0);
}

void ChartCallout::setContent(const QString& header, const QList<Line>& lines) {
    prepareGeometryChange();
    m_header = header;
    m_lines = lines;
    update();
}

QSizeF ChartCallout::contentSize() const {
    const QFontMetricsF fm(m_font);
    const QFontMetricsF hfm(m_headerFont);
    double w = hfm.horizontalAdvance(m_header);
    for (const Line& l : m_lines) w = std::max(w, kSwatch + 5.0 + fm.horizontalAdvance(l.text));
    const double h = hfm.height() + m_lines.size() * fm.height();
    return QSizeF(w + 2 * kPadding, h + 2 * kPadding);
}

QRectF ChartCallout::boundingRect() const {
    return QRectF(QPointF(0, 0), contentSize());
}

void ChartCallout::placeNear(const QPointF& anchor, const QRectF& bounds) {
    const QSizeF size = contentSize();
    double x = anchor.x() + kAnchorGap;
    if (x + size.width() > bounds.right()) x = anchor.x() - kAnchorGap - size.width();
    x = std::max(x, bounds.left());
    double y = anchor.y() - size.height() / 2.0;
    y = std::clamp(y, bounds.top(), std::max(bounds.top(), bounds.bottom() - size.height()));
    setPos(x, y);
}

void ChartCallout::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QRectF box = boundingRect();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(QColor(150, 150, 150), 1.0));
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);

    const QFontMetricsF fm(m_font);
    const QFontMetricsF hfm(m_headerFont);
    double y = kPadding;
    painter->setFont(m_headerFont);
    painter->setPen(figureTextColor());
    painter->drawText(QRectF(kPadding, y, box.width(), hfm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, m_header);
    y += hfm.height();
    painter->setFont(m_font);
    for (const Line& l : m_lines) {
        const QRectF swatch(kPadding, y + (fm.height() - kSwatch) / 2.0, kSwatch, kSwatch);
        painter->fillRect(swatch, l.color);
        painter->setPen(figureTextColor());
        painter->drawText(QRectF(swatch.right() + 5.0, y, box.width(), fm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, l.text);
        y += fm.height();
    }
    painter->restore();
}

}  // namespace tinyseek::viz
