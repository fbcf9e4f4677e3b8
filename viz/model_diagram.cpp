#include "viz/model_diagram.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextStream>

#include <algorithm>

#include "viz/color_map.h"
#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {

constexpr double kRowGap = 22.0;  // room for the arrow between rows
constexpr double kBoxGap = 14.0;
constexpr double kPadding = 6.0;

}  // namespace

ModelDiagram::ModelDiagram(QWidget* parent) : QWidget(parent) {
    setMouseTracking(false);
    setCursor(Qt::PointingHandCursor);
}

void ModelDiagram::setRows(const QList<DiagramRow>& rows) {
    m_rows = rows;
    m_selected = QPoint(-1, -1);
    update();
}

void ModelDiagram::setTitle(const QString& title) {
    m_title = title;
    update();
}

void ModelDiagram::setSummary(const QStringList& lines) {
    m_summary = lines;
    update();
}

void ModelDiagram::setSelected(QPoint cell) {
    m_selected = cell;
    update();
}

void ModelDiagram::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

double ModelDiagram::boxHeight() const {
    int lines = 0;
    for (const DiagramRow& row : m_rows)
        for (const DiagramBox& box : row.boxes) lines = std::max(lines, int(box.lines.size()));
    const QFontMetricsF title(figureLabelFont(font())), small(figureSmallFont(font()));
    return 2 * kPadding + title.height() + lines * small.height();
}

ModelDiagram::Layout ModelDiagram::computeLayout(const QRectF& canvas) const {
    Layout l;
    const QRectF inner =
        canvas.adjusted(kFigureMargin, kFigureMargin, -kFigureMargin, -kFigureMargin);
    const QFontMetricsF titleFm(figureTitleFont(font())), smallFm(figureSmallFont(font()));
    const QFontMetricsF labelFm(figureLabelFont(font()));
    double y = inner.top();
    if (!m_title.isEmpty()) {
        l.title = QRectF(inner.left(), y, inner.width(), titleFm.height());
        y += titleFm.height() + 4;
    }
    for (int i = 0; i < m_summary.size(); ++i) {
        l.summary << QRectF(inner.left(), y, inner.width(), smallFm.height());
        y += smallFm.height();
    }
    y += 8;
    double labelWidth = 0;
    for (const DiagramRow& row : m_rows)
        labelWidth = std::max(labelWidth, labelFm.horizontalAdvance(row.label));
    labelWidth = std::min(labelWidth + 12, inner.width() * 0.3);
    const double boxH = boxHeight();
    const double area = inner.width() - labelWidth;
    for (const DiagramRow& row : m_rows) {
        l.labels << QRectF(inner.left(), y, labelWidth - 8, boxH);
        QList<QRectF> boxes;
        const int n = std::max<int>(1, int(row.boxes.size()));
        const double w = (area - (n - 1) * kBoxGap) / n;
        for (int b = 0; b < row.boxes.size(); ++b)
            boxes << QRectF(inner.left() + labelWidth + b * (w + kBoxGap), y, w, boxH);
        l.boxes << boxes;
        y += boxH + kRowGap;
    }
    return l;
}

QSize ModelDiagram::defaultExportSize() const {
    const QFontMetricsF titleFm(figureTitleFont(font())), smallFm(figureSmallFont(font()));
    const double h = 2 * kFigureMargin + titleFm.height() + 12 +
                     m_summary.size() * smallFm.height() + m_rows.size() * (boxHeight() + kRowGap);
    return QSize(900, std::max(300, int(h) + 4));
}

QRectF ModelDiagram::boxRect(QPoint cell, const QRectF& canvas) const {
    const Layout l = computeLayout(canvas);
    if (cell.x() < 0 || cell.x() >= l.boxes.size() || cell.y() < 0 ||
        cell.y() >= l.boxes[cell.x()].size())
        return QRectF();
    return l.boxes[cell.x()][cell.y()];
}

QPoint ModelDiagram::boxAt(const QPointF& pos, const QRectF& canvas) const {
    const Layout l = computeLayout(canvas);
    for (int r = 0; r < l.boxes.size(); ++r)
        for (int b = 0; b < l.boxes[r].size(); ++b)
            if (l.boxes[r][b].contains(pos)) return QPoint(r, b);
    return QPoint(-1, -1);
}

void ModelDiagram::paintBox(QPainter& painter, const DiagramBox& box, const QRectF& rect,
                            bool selected) const {
    const QColor base = categoryColor(box.colorIndex);
    QColor fill = base;
    fill.setAlphaF(0.18);
    painter.setPen(QPen(base.darker(selected ? 160 : 120), selected ? 3.0 : 1.2));
    painter.setBrush(fill);
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter.setPen(figureTextColor());
    const QRectF inner = rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    const QFont titleFont = figureLabelFont(font()), smallFont = figureSmallFont(font());
    const QFontMetricsF titleFm(titleFont), smallFm(smallFont);
    QFont bold = titleFont;
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), titleFm.height()),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetricsF(bold).elidedText(box.title, Qt::ElideRight, inner.width()));
    painter.setFont(smallFont);
    double y = inner.top() + titleFm.height();
    for (const QString& line : box.lines) {
        painter.drawText(QRectF(inner.left(), y, inner.width(), smallFm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         smallFm.elidedText(line, Qt::ElideRight, inner.width()));
        y += smallFm.height();
    }
}

void ModelDiagram::paintArrows(QPainter& painter, const Layout& l) const {
    painter.setPen(QPen(figureTextColor(), 1.2));
    painter.setBrush(figureTextColor());
    for (int r = 0; r + 1 < l.boxes.size(); ++r) {
        if (l.boxes[r].isEmpty() || l.boxes[r + 1].isEmpty()) continue;
        const double x = l.boxes[r + 1].first().center().x();  // into the next row's first box
        const double y0 = l.boxes[r].first().bottom() + 2, y1 = l.boxes[r + 1].first().top() - 2;
        painter.drawLine(QPointF(x, y0), QPointF(x, y1 - 5));
        QPainterPath head;
        head.moveTo(x, y1);
        head.lineTo(x - 4, y1 - 6);
        head.lineTo(x + 4, y1 - 6);
        head.closeSubpath();
        painter.drawPath(head);
    }
}

void ModelDiagram::paint(QPainter& painter, const QRectF& canvas) const {
    painter.save();
    const Layout l = computeLayout(canvas);
    paintFigureFrame(painter, canvas, l.title, m_title, font());
    if (m_rows.isEmpty()) {
        paintFigureState(painter, canvas, l.title, font(), m_emptyText, false);
        painter.restore();
        return;
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setFont(figureSmallFont(font()));
    painter.setPen(figureTextColor());
    for (int i = 0; i < l.summary.size(); ++i)
        painter.drawText(l.summary[i], Qt::AlignHCenter | Qt::AlignVCenter, m_summary[i]);
    paintArrows(painter, l);
    const QFont labelFont = figureLabelFont(font());
    for (int r = 0; r < m_rows.size(); ++r) {
        painter.setFont(labelFont);
        painter.setPen(figureTextColor());
        painter.drawText(l.labels[r], Qt::AlignRight | Qt::AlignVCenter,
                         QFontMetricsF(labelFont).elidedText(m_rows[r].label, Qt::ElideRight,
                                                             l.labels[r].width()));
        for (int b = 0; b < m_rows[r].boxes.size(); ++b)
            paintBox(painter, m_rows[r].boxes[b], l.boxes[r][b], m_selected == QPoint(r, b));
    }
    painter.restore();
}

void ModelDiagram::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paint(painter, rect());
}

void ModelDiagram::mousePressEvent(QMouseEvent* event) {
    const QPoint cell = boxAt(event->position(), rect());
    if (event->button() == Qt::LeftButton && cell.x() >= 0) {
        setSelected(cell);
        emit boxClicked(cell.x(), cell.y());
    }
    QWidget::mousePressEvent(event);
}

void ModelDiagram::writeCsv(QTextStream& out) const {
    const auto quoted = [](QString s) {
        return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
               QLatin1Char('"');
    };
    out << "row,label,box,title,lines\n";
    for (int r = 0; r < m_rows.size(); ++r)
        for (int b = 0; b < m_rows[r].boxes.size(); ++b)
            out << r << ',' << quoted(m_rows[r].label) << ',' << b << ','
                << quoted(m_rows[r].boxes[b].title) << ','
                << quoted(m_rows[r].boxes[b].lines.join(QStringLiteral("; "))) << '\n';
}

}  // namespace tinyseek::viz
