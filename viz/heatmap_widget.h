// A heatmap of a plain Matrix: one image pixel per cell scaled without smoothing, row/column
// labels, title, colour bar with ticks, optional per-cell markers with a legend, hover tooltip.
// All drawing goes through paint(QPainter&, QRectF), so screen, PNG, SVG and PDF look alike.
#pragma once

#include <QImage>
#include <QList>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

#include "viz/color_map.h"
#include "viz/exporters.h"
#include "viz/figure_painter.h"
#include "viz/plot_data.h"

namespace tinyseek::viz {

// How cells with marker id k (k >= 1) are drawn: styles[k - 1].
struct CellMarkerStyle {
    QString label;  // legend and tooltip text, e.g. "dead (no tokens)"
    MarkerShape shape = MarkerShape::Cross;
    QColor color = QColor(20, 20, 20);
};

class HeatmapWidget : public QWidget, public Exportable {
    Q_OBJECT

  public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    // The data. With auto range on (the default) the colour map's range follows the data
    // (for a diverging map the centre stays and the range is made to include it).
    void setMatrix(const Matrix& matrix);
    const Matrix& matrix() const { return m_matrix; }
    void setColorMap(const ColorMap& map);
    const ColorMap& colorMap() const { return m_colorMap; }
    void setAutoRange(bool on);

    void setTitle(const QString& title);
    void setRowAxisTitle(const QString& text);     // e.g. "Layer"
    void setColumnAxisTitle(const QString& text);  // e.g. "Expert"
    void setValueTitle(const QString& text);       // colour bar label, e.g. "Load / balanced"

    // Per-cell markers: marks has rows*cols entries (row-major), 0 = none, k = styles[k-1].
    // A size mismatch with the matrix clears the markers (they would point at wrong cells).
    void setCellMarkers(const std::vector<std::uint8_t>& marks,
                        const QList<CellMarkerStyle>& styles);
    void clearCellMarkers();
    // One more tooltip line per cell (row-major, rows x cols; empty = none), e.g. the token a
    // cell stands for. Cleared by setMatrix().
    void setCellNotes(const QStringList& notes);

    // In-place states instead of a blank figure. An error wins over the data until cleared.
    void setEmptyText(const QString& text);
    void setErrorText(const QString& text);
    void clearError() { setErrorText(QString()); }

    // Paints the whole figure into `canvas` (logical coordinates of `painter`).
    void paint(QPainter& painter, const QRectF& canvas) const;
    // Where cell (row, col) lands when painting into `canvas`; empty if out of range.
    QRectF cellRect(int row, int col, const QRectF& canvas) const;
    // Cell under `pos` when painting into `canvas`: (row, col), or (-1, -1).
    QPoint cellAt(const QPointF& pos, const QRectF& canvas) const;
    QString toolTipForCell(int row, int col) const;

    // Exportable
    QString title() const override { return m_title; }
    void renderTo(QPainter& painter, const QRectF& target) override { paint(painter, target); }
    void writeCsv(QTextStream& out) const override;  // row,col,value (+ row_label,col_label)
    QSize defaultExportSize() const override { return QSize(1000, 560); }

    QSize sizeHint() const override { return QSize(640, 400); }
    QSize minimumSizeHint() const override { return QSize(260, 180); }

  signals:
    void cellHovered(int row, int col);

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    struct Layout {
        QRectF title;
        QRectF plot;      // the cells
        QRectF colorBar;  // the gradient strip
        // The column of the colour bar's label, from the plot's top to the canvas's bottom:
        // nothing else is drawn there, so a label longer than the bar may use all of it.
        QRectF valueTitleColumn;
        QRectF legend;  // marker legend (empty without markers)
        int rowLabelStep = 1;
        int colLabelStep = 1;
    };
    Layout computeLayout(const QRectF& canvas) const;
    void rebuildImage();
    QString stateText(bool* isError) const;
    void paintColorBar(QPainter& painter, const Layout& layout) const;
    void paintLabels(QPainter& painter, const Layout& layout) const;
    void paintLegend(QPainter& painter, const Layout& layout) const;

    Matrix m_matrix;
    ColorMap m_colorMap;
    bool m_autoRange = true;
    QImage m_image;  // (cols x rows) pixels, one per cell
    QString m_title;
    QString m_rowTitle;
    QString m_colTitle;
    QString m_valueTitle;
    std::vector<std::uint8_t> m_marks;  // (rows * cols) or empty
    QList<CellMarkerStyle> m_markerStyles;
    QStringList m_cellNotes;
    QString m_emptyText;
    QString m_errorText;
    QPoint m_hoverCell{-1, -1};
};

}  // namespace tinyseek::viz
