// The hover callout of MetricChart: a small box with a header line and one coloured line per
// run, placed beside the crosshair and kept inside the plot area.
#pragma once

#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QList>
#include <QRectF>
#include <QString>

namespace tinyseek::viz {

class ChartCallout : public QGraphicsItem {
  public:
    struct Line {
        QColor color;
        QString text;
    };

    explicit ChartCallout(QGraphicsItem* parent = nullptr);

    void setContent(const QString& header, const QList<Line>& lines);
    QString header() const { return m_header; }
    const QList<Line>& lines() const { return m_lines; }
    // Places the box next to `anchor` (parent coordinates): right of it if it fits inside
    // `bounds`, otherwise left; vertically clamped into `bounds`.
    void placeNear(const QPointF& anchor, const QRectF& bounds);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

  private:
    QSizeF contentSize() const;

    QString m_header;
    QList<Line> m_lines;
    QFont m_font;
    QFont m_headerFont;
};

}  // namespace tinyseek::viz
