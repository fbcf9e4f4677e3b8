// ModelDiagram: a model's architecture as boxes in the order a token passes through them,
// one row per stage (e.g. "Embedding", "Blocks 1–3 (×3)" with its attention and feed-forward
// boxes side by side, "Head", "MTP module"), arrows between rows, a title and summary lines
// above. Each box has a title and a few lines (parameter counts, cache). A click on a box
// selects it and emits boxClicked; the caller lists what the box holds. Custom painted, so
// the screen, PNG, SVG and PDF look alike. Plain data only: the caller turns its model into
// rows.
#pragma once

#include <QList>
#include <QPoint>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "viz/exporters.h"

namespace tinyseek::viz {

struct DiagramBox {
    QString title;       // e.g. "MLA attention"
    QStringList lines;   // e.g. "51,424 parameters"
    int colorIndex = 0;  // categorical colour (categoryColor), drawn light
};

struct DiagramRow {
    QString label;  // left of the boxes, e.g. "Blocks 1–3 (×3)"
    QList<DiagramBox> boxes;
};

class ModelDiagram : public QWidget, public Exportable {
    Q_OBJECT

  public:
    explicit ModelDiagram(QWidget* parent = nullptr);

    void setRows(const QList<DiagramRow>& rows);
    const QList<DiagramRow>& rows() const { return m_rows; }
    void setTitle(const QString& title);
    void setSummary(const QStringList& lines);  // under the title
    const QStringList& summary() const { return m_summary; }
    // The selected box ({row, box}; {-1, -1} = none), drawn with a heavy border.
    void setSelected(QPoint cell);
    QPoint selected() const { return m_selected; }
    void setEmptyText(const QString& text);

    void paint(QPainter& painter, const QRectF& canvas) const;
    // {row, box} at `pos` when painting into `canvas`, {-1, -1} when none; and its rectangle.
    QPoint boxAt(const QPointF& pos, const QRectF& canvas) const;
    QRectF boxRect(QPoint cell, const QRectF& canvas) const;

    // Exportable
    QString title() const override { return m_title; }
    void renderTo(QPainter& painter, const QRectF& target) override { paint(painter, target); }
    void writeCsv(QTextStream& out) const override;  // row,label,box,title,lines
    QSize defaultExportSize() const override;

    QSize sizeHint() const override { return QSize(560, 640); }
    QSize minimumSizeHint() const override { return QSize(320, 300); }

  signals:
    void boxClicked(int row, int box);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    struct Layout {
        QRectF title;
        QList<QRectF> summary;
        QList<QRectF> labels;        // one per row
        QList<QList<QRectF>> boxes;  // per row, per box
    };
    Layout computeLayout(const QRectF& canvas) const;
    double boxHeight() const;
    void paintBox(QPainter& painter, const DiagramBox& box, const QRectF& rect,
                  bool selected) const;
    void paintArrows(QPainter& painter, const Layout& l) const;

    QList<DiagramRow> m_rows;
    QString m_title;
    QStringList m_summary;
    QString m_emptyText;
    QPoint m_selected{-1, -1};
};

}  // namespace tinyseek::viz
