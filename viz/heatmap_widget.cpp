#include "viz/heatmap_widget.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QTextStream>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {

constexpr double kBarGap = 18.0;
constexpr double kBarWidth = 16.0;
constexpr double kTickLength = 4.0;

// Device pixels covered by `rect` (includes the device pixel ratio and any painter scaling).
QSize deviceSize(const QPainter& painter, const QRectF& rect) {
    const QRectF d = painter.deviceTransform().mapRect(rect);
    return QSize(std::max(1, static_cast<int>(std::lround(d.width()))),
                 std::max(1, static_cast<int>(std::lround(d.height()))));
}

// Smallest step of the form 1, 2, 5 x 10^k that is >= minimum, so labels land on round indices.
int niceLabelStep(double minimum) {
    if (minimum <= 1.0) return 1;
    for (int decade = 1;; decade *= 10) {
        for (int m : {1, 2, 5})
            if (m * decade >= minimum) return m * decade;
    }
}

bool isVectorDevice(const QPainter& painter) {
    const QPaintEngine* engine = painter.paintEngine();
    if (!engine) return false;
    return engine->type() == QPaintEngine::SVG || engine->type() == QPaintEngine::Pdf;
}

}  // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_emptyText = tr("No data yet");
}

void HeatmapWidget::setMatrix(const Matrix& matrix) {
    m_matrix = matrix;
    if (m_marks.size() != m_matrix.data().size()) m_marks.clear();
    m_cellNotes.clear();
    if (m_autoRange) {
        const auto [lo, hi] = m_matrix.finiteRange();
        if (m_colorMap.kind() == ColorMap::Kind::Diverging) {
            const double c = m_colorMap.center();
            // Symmetric distance around the centre keeps equal deviations equally saturated.
            const double d = std::max({std::abs(lo - c), std::abs(hi - c), 1e-12});
            m_colorMap.setRange(c - d, c + d);
        } else {
            m_colorMap.setRange(lo, hi > lo ? hi : lo + 1.0);
        }
    }
    rebuildImage();
}

void HeatmapWidget::setColorMap(const ColorMap& map) {
    m_colorMap = map;
    m_autoRange = false;
    rebuildImage();
}

void HeatmapWidget::setAutoRange(bool on) {
    m_autoRange = on;
    if (on) setMatrix(m_matrix);
}

void HeatmapWidget::setTitle(const QString& title) {
    m_title = title;
    update();
}

void HeatmapWidget::setRowAxisTitle(const QString& text) {
    m_rowTitle = text;
    update();
}

void HeatmapWidget::setColumnAxisTitle(const QString& text) {
    m_colTitle = text;
    update();
}

void HeatmapWidget::setValueTitle(const QString& text) {
    m_valueTitle = text;
    update();
}

void HeatmapWidget::setCellMarkers(const std::vector<std::uint8_t>& marks,
                                   const QList<CellMarkerStyle>& styles) {
    m_markerStyles = styles;
    m_marks = marks.size() == m_matrix.data().size() ? marks : std::vector<std::uint8_t>();
    update();
}

void HeatmapWidget::setCellNotes(const QStringList& notes) {
    m_cellNotes = notes;
}

void HeatmapWidget::clearCellMarkers() {
    m_marks.clear();
    m_markerStyles.clear();
    update();
}

void HeatmapWidget::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

void HeatmapWidget::setErrorText(const QString& text) {
    m_errorText = text;
    update();
}

void HeatmapWidget::rebuildImage() {
    if (m_matrix.isEmpty()) {
        m_image = QImage();
        update();
        return;
    }
    m_image = QImage(m_matrix.cols(), m_matrix.rows(), QImage::Format_RGB32);
    for (int r = 0; r < m_matrix.rows(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(r));
        for (int c = 0; c < m_matrix.cols(); ++c) line[c] = m_colorMap.rgb(m_matrix.value(r, c));
    }
    update();
}

QString HeatmapWidget::stateText(bool* isError) const {
    *isError = !m_errorText.isEmpty();
    if (*isError) return m_errorText;
    if (m_matrix.isEmpty()) return m_emptyText;
    return QString();
}

HeatmapWidget::Layout HeatmapWidget::computeLayout(const QRectF& canvas) const {
    Layout l;
    const QFontMetricsF titleFm(figureTitleFont(font()));
    const QFontMetricsF fm(figureLabelFont(font()));
    const QFontMetricsF smallFm(figureSmallFont(font()));
    double top = canvas.top() + kFigureMargin;
    if (!m_title.isEmpty()) {
        l.title = QRectF(canvas.left(), top, canvas.width(), titleFm.height() * 1.3);
        top = l.title.bottom() + 4.0;
    }

    double rowLabelWidth = 0.0;
    for (int r = 0; r < m_matrix.rows(); ++r)
        rowLabelWidth = std::max(rowLabelWidth, fm.horizontalAdvance(m_matrix.rowLabel(r)));
    double colLabelWidth = 0.0;
    for (int c = 0; c < m_matrix.cols(); ++c)
        colLabelWidth = std::max(colLabelWidth, fm.horizontalAdvance(m_matrix.colLabel(c)));
    double tickLabelWidth = 0.0;
    for (double t : m_colorMap.ticks())
        tickLabelWidth = std::max(tickLabelWidth, smallFm.horizontalAdvance(formatTick(t)));

    const double left = canvas.left() + kFigureMargin +
                        (m_rowTitle.isEmpty() ? 0 : fm.height() + 6) + rowLabelWidth + kTickLength +
                        4.0;
    const double right = canvas.right() - kFigureMargin - kBarGap - kBarWidth - kTickLength - 4.0 -
                         tickLabelWidth - (m_valueTitle.isEmpty() ? 0 : fm.height() + 8);
    double bottom = canvas.bottom() - kFigureMargin;
    if (!m_markerStyles.isEmpty()) {
        l.legend = QRectF(left, bottom - fm.height() * 1.4, right - left, fm.height() * 1.4);
        bottom = l.legend.top() - 4.0;
    }
    if (!m_colTitle.isEmpty()) bottom -= fm.height() + 4.0;
    bottom -= fm.height() + kTickLength + 2.0;  // column labels
    l.plot = QRectF(QPointF(left, top + 4.0),
                    QPointF(std::max(left + 10.0, right), std::max(top + 14.0, bottom)));
    l.colorBar = QRectF(l.plot.right() + kBarGap, l.plot.top(), kBarWidth, l.plot.height());
    l.valueTitleColumn = QRectF(QPointF(l.colorBar.right(), l.plot.top()),
                                QPointF(canvas.right(), canvas.bottom() - kFigureMargin));

    if (!m_matrix.isEmpty()) {
        const double cellW = l.plot.width() / m_matrix.cols();
        const double cellH = l.plot.height() / m_matrix.rows();
        l.colLabelStep = niceLabelStep(std::ceil((colLabelWidth + 8.0) / cellW));
        l.rowLabelStep = niceLabelStep(std::ceil(fm.height() / cellH));
    }
    return l;
}

QRectF HeatmapWidget::cellRect(int row, int col, const QRectF& canvas) const {
    if (row < 0 || col < 0 || row >= m_matrix.rows() || col >= m_matrix.cols()) return QRectF();
    const QRectF plot = computeLayout(canvas).plot;
    const double cellW = plot.width() / m_matrix.cols();
    const double cellH = plot.height() / m_matrix.rows();
    return QRectF(plot.left() + col * cellW, plot.top() + row * cellH, cellW, cellH);
}

QPoint HeatmapWidget::cellAt(const QPointF& pos, const QRectF& canvas) const {
    bool isError = false;
    if (!stateText(&isError).isEmpty()) return QPoint(-1, -1);
    const QRectF plot = computeLayout(canvas).plot;
    if (!plot.contains(pos)) return QPoint(-1, -1);
    const int col = std::min(m_matrix.cols() - 1, static_cast<int>((pos.x() - plot.left()) /
                                                                   plot.width() * m_matrix.cols()));
    const int row =
        std::min(m_matrix.rows() - 1,
                 static_cast<int>((pos.y() - plot.top()) / plot.height() * m_matrix.rows()));
    return QPoint(row, col);
}

QString HeatmapWidget::toolTipForCell(int row, int col) const {
    if (row < 0 || col < 0 || row >= m_matrix.rows() || col >= m_matrix.cols()) return QString();
    const QString rowName = m_rowTitle.isEmpty() ? tr("Row") : m_rowTitle;
    const QString colName = m_colTitle.isEmpty() ? tr("Column") : m_colTitle;
    const QString valueName = m_valueTitle.isEmpty() ? tr("Value") : m_valueTitle;
    QString text = tr("%1: %2").arg(rowName, m_matrix.rowLabel(row)) + QLatin1Char('\n') +
                   tr("%1: %2").arg(colName, m_matrix.colLabel(col)) + QLatin1Char('\n') +
                   tr("%1: %2").arg(valueName, QString::number(m_matrix.value(row, col), 'g', 4));
    if (!m_marks.empty()) {
        const int k = m_marks[static_cast<std::size_t>(row) * m_matrix.cols() + col];
        if (k >= 1 && k <= m_markerStyles.size())
            text += QLatin1Char('\n') + m_markerStyles.at(k - 1).label;
    }
    const qsizetype cell = static_cast<qsizetype>(row) * m_matrix.cols() + col;
    if (cell < m_cellNotes.size() && !m_cellNotes.at(cell).isEmpty())
        text += QLatin1Char('\n') + m_cellNotes.at(cell);
    return text;
}

void HeatmapWidget::paint(QPainter& painter, const QRectF& canvas) const {
    painter.save();
    const Layout l = computeLayout(canvas);
    paintFigureFrame(painter, canvas, l.title, m_title, font());
    bool isError = false;
    const QString state = stateText(&isError);
    if (!state.isEmpty()) {
        paintFigureState(painter, canvas, l.title, font(), state, isError);
        painter.restore();
        return;
    }

    // Cells: upscale the one-pixel-per-cell image to the device pixels it covers with
    // nearest-neighbour sampling (sharp cell edges, exact cell colours), then draw it 1:1.
    // Vector devices get a 3x oversampled image so zoomed-in viewers stay crisp.
    QSize target = deviceSize(painter, l.plot);
    if (isVectorDevice(painter)) target = (target * 3).boundedTo(QSize(4096, 4096));
    target = target.expandedTo(m_image.size());
    const QImage scaled = m_image.scaled(target, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(l.plot, scaled);

    if (!m_marks.empty()) {
        const double cellW = l.plot.width() / m_matrix.cols();
        const double cellH = l.plot.height() / m_matrix.rows();
        const double size = std::clamp(std::min(cellW, cellH) * 0.55, 4.0, 16.0);
        for (int r = 0; r < m_matrix.rows(); ++r) {
            for (int c = 0; c < m_matrix.cols(); ++c) {
                const int k = m_marks[static_cast<std::size_t>(r) * m_matrix.cols() + c];
                if (k < 1 || k > m_markerStyles.size()) continue;
                const CellMarkerStyle& s = m_markerStyles.at(k - 1);
                const QPointF center(l.plot.left() + (c + 0.5) * cellW,
                                     l.plot.top() + (r + 0.5) * cellH);
                drawMarker(painter, s.shape, center, size, s.color);
            }
        }
    }
    painter.setPen(QPen(QColor(120, 120, 120), 1.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(l.plot);

    paintLabels(painter, l);
    paintColorBar(painter, l);
    paintLegend(painter, l);
    painter.restore();
}

void HeatmapWidget::paintLabels(QPainter& painter, const Layout& l) const {
    const QFont labelFont = figureLabelFont(font());
    const QFontMetricsF fm(labelFont);
    painter.setFont(labelFont);
    painter.setPen(figureTextColor());
    const double cellW = l.plot.width() / m_matrix.cols();
    const double cellH = l.plot.height() / m_matrix.rows();
    for (int r = 0; r < m_matrix.rows(); r += l.rowLabelStep) {
        const double y = l.plot.top() + (r + 0.5) * cellH;
        painter.drawLine(QPointF(l.plot.left() - kTickLength, y), QPointF(l.plot.left(), y));
        painter.drawText(
            QRectF(l.plot.left() - kTickLength - 1004.0, y - fm.height() / 2, 1000.0, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter, m_matrix.rowLabel(r));
    }
    for (int c = 0; c < m_matrix.cols(); c += l.colLabelStep) {
        const double x = l.plot.left() + (c + 0.5) * cellW;
        painter.drawLine(QPointF(x, l.plot.bottom()), QPointF(x, l.plot.bottom() + kTickLength));
        painter.drawText(QRectF(x - 200.0, l.plot.bottom() + kTickLength + 1.0, 400.0, fm.height()),
                         Qt::AlignHCenter | Qt::AlignTop, m_matrix.colLabel(c));
    }
    if (!m_colTitle.isEmpty()) {
        const double y = l.plot.bottom() + kTickLength + 2.0 + fm.height() + 2.0;
        painter.drawText(QRectF(l.plot.left(), y, l.plot.width(), fm.height()), Qt::AlignCenter,
                         m_colTitle);
    }
    if (!m_rowTitle.isEmpty()) {
        double labelWidth = 0.0;
        for (int r = 0; r < m_matrix.rows(); ++r)
            labelWidth = std::max(labelWidth, fm.horizontalAdvance(m_matrix.rowLabel(r)));
        const double x = l.plot.left() - kTickLength - 4.0 - labelWidth - fm.height() / 2 - 2.0;
        drawVerticalText(painter, QPointF(x, l.plot.center().y()), m_rowTitle,
                         l.plot.height() + 16.0);
    }
}

void HeatmapWidget::paintColorBar(QPainter& painter, const Layout& l) const {
    // Gradient strip: 256 samples of the map, top = maximum.
    QImage strip(1, 256, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i)
        strip.setPixel(0, i, m_colorMap.rgb(m_colorMap.valueAt(1.0 - i / 255.0)));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter.drawImage(l.colorBar, strip);
    painter.setPen(QPen(QColor(120, 120, 120), 1.0));
    painter.drawRect(l.colorBar);

    const QFont smallFont = figureSmallFont(font());
    const QFontMetricsF fm(smallFont);
    painter.setFont(smallFont);
    painter.setPen(figureTextColor());
    double lastY = 1e300;
    double tickLabelWidth = 0.0;
    for (double t : m_colorMap.ticks()) {
        const double y = l.colorBar.bottom() - m_colorMap.normalized(t) * l.colorBar.height();
        painter.drawLine(QPointF(l.colorBar.right(), y),
                         QPointF(l.colorBar.right() + kTickLength, y));
        const QString text = formatTick(t);
        tickLabelWidth = std::max(tickLabelWidth, fm.horizontalAdvance(text));
        if (std::abs(lastY - y) < fm.height()) continue;  // would overlap the previous label
        painter.drawText(
            QRectF(l.colorBar.right() + kTickLength + 3.0, y - fm.height() / 2, 200.0, fm.height()),
            Qt::AlignLeft | Qt::AlignVCenter, text);
        lastY = y;
    }
    if (!m_valueTitle.isEmpty()) {
        painter.setFont(figureLabelFont(font()));
        const QFontMetricsF lfm(painter.font());
        const double x = l.colorBar.right() + kTickLength + 6.0 + tickLabelWidth + lfm.height() / 2;
        // Beside the bar when it is long enough, else centred in the free column.
        const bool besideBar = lfm.horizontalAdvance(m_valueTitle) <= l.colorBar.height() + 16.0;
        const double y = besideBar ? l.colorBar.center().y() : l.valueTitleColumn.center().y();
        drawVerticalText(painter, QPointF(x, y), m_valueTitle, l.valueTitleColumn.height());
    }
}

void HeatmapWidget::paintLegend(QPainter& painter, const Layout& l) const {
    if (m_markerStyles.isEmpty()) return;
    const QFont labelFont = figureLabelFont(font());
    const QFontMetricsF fm(labelFont);
    painter.setFont(labelFont);
    double x = l.legend.left();
    const double y = l.legend.center().y();
    const double markerSize = std::min(12.0, fm.height() * 0.8);
    for (const CellMarkerStyle& s : m_markerStyles) {
        // The marker sits on a mid-grey swatch, as it would on a cell.
        const QRectF swatch(x, y - fm.height() / 2, fm.height(), fm.height());
        painter.fillRect(swatch, QColor(170, 170, 170));
        drawMarker(painter, s.shape, swatch.center(), markerSize, s.color);
        x = swatch.right() + 5.0;
        painter.setPen(figureTextColor());
        const double w = fm.horizontalAdvance(s.label);
        painter.drawText(QRectF(x, y - fm.height() / 2, w + 2.0, fm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, s.label);
        x += w + 18.0;
    }
}

void HeatmapWidget::writeCsv(QTextStream& out) const {
    out << "row,col,value,row_label,col_label,marker\n";
    for (int r = 0; r < m_matrix.rows(); ++r) {
        for (int c = 0; c < m_matrix.cols(); ++c) {
            QString marker;
            if (!m_marks.empty()) {
                const int k = m_marks[static_cast<std::size_t>(r) * m_matrix.cols() + c];
                if (k >= 1 && k <= m_markerStyles.size()) marker = m_markerStyles.at(k - 1).label;
            }
            out << r << ',' << c << ',' << csvNumber(m_matrix.value(r, c)) << ','
                << csvField(m_matrix.rowLabel(r)) << ',' << csvField(m_matrix.colLabel(c)) << ','
                << csvField(marker) << '\n';
        }
    }
}

void HeatmapWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF canvas = rect();
    paint(painter, canvas);
    if (m_hoverCell.x() >= 0) {
        painter.setPen(QPen(Qt::black, 2.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(cellRect(m_hoverCell.x(), m_hoverCell.y(), canvas));
    }
}

bool HeatmapWidget::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPoint cell = cellAt(help->pos(), rect());
        if (cell.x() >= 0)
            QToolTip::showText(help->globalPos(), toolTipForCell(cell.x(), cell.y()), this);
        else
            QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::Leave && m_hoverCell.x() >= 0) {
        m_hoverCell = QPoint(-1, -1);
        update();
    }
    return QWidget::event(event);
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position(), rect());
    if (cell != m_hoverCell) {
        m_hoverCell = cell;
        update();
        if (cell.x() >= 0) emit cellHovered(cell.x(), cell.y());
    }
    QWidget::mouseMoveEvent(event);
}

}  // namespace tinyseek::viz
