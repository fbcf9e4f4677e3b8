// BarChart: grouped bars (categories along x, one bar per group inside each category, e.g.
// MHA/GQA/MQA/MLA x {this model, DeepSeek-V2, DeepSeek-V3}), linear or log y, every bar
// labelled with its value, a group legend, optional horizontal reference lines or bands (a
// published figure to compare with) and an optional footnote. Custom painted, so the same
// code draws on screen and into PNG/SVG/PDF.
#pragma once

#include <QColor>
#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "viz/axis_scale.h"
#include "viz/exporters.h"
#include "viz/plot_data.h"

namespace tinyseek::viz {

class BarChart : public QWidget, public Exportable {
    Q_OBJECT

  public:
    explicit BarChart(QWidget* parent = nullptr);

    // values[group][category]; missing entries count as NaN (no bar, "n/a").
    void setData(const QStringList& categories, const QStringList& groups,
                 const std::vector<std::vector<double>>& values);
    const QStringList& categories() const { return m_categories; }
    const QStringList& groups() const { return m_groups; }
    double value(int group, int category) const;

    void setTitle(const QString& title);
    void setXAxisTitle(const QString& text);
    void setYAxisTitle(const QString& text);
    void setLogScale(bool on);  // base 10; bars with values <= 0 are left out and noted
    bool logScale() const { return m_log; }
    // How values are written on bars (default: 4 significant digits) and on the y axis
    // ticks (default: defaultTickText, e.g. 100, 1k, 10k on a log axis).
    void setValueFormatter(const ValueFormatter& format);
    void setAxisFormatter(const ValueFormatter& format);
    // Footnote under the legend, e.g. where the numbers come from.
    void setNote(const QString& text);
    // Labelled lines or bands across the plot, values formatted like the bars'.
    void setReferenceLines(const QList<ReferenceLine>& lines);
    const QList<ReferenceLine>& referenceLines() const { return m_references; }
    // "label = value" (a band: "label = low–high"), as the legend names it.
    QString referenceLabel(int reference) const;

    // Colours of groups 0, 1, ... where groups have fixed meanings (e.g. grey for a
    // reference); groups beyond the list use the categorical palette.
    void setGroupColors(const QList<QColor>& colors);
    QColor groupColor(int group) const;

    void setEmptyText(const QString& text);
    void setErrorText(const QString& text);
    void clearError() { setErrorText(QString()); }

    // The category whose column (all its groups' slots, the plot's full height) holds `pos`
    // when painting into `canvas`; -1 elsewhere. A click there emits categoryClicked.
    int categoryAt(const QPointF& pos, const QRectF& canvas) const;

    // "512 B", "1.5 KiB", "3.2 MiB" (binary units).
    static QString formatBytes(double bytes);

    void paint(QPainter& painter, const QRectF& canvas) const;
    // The bar's rectangle when painting into `canvas` (empty when the bar is not drawn).
    QRectF barRect(int group, int category, const QRectF& canvas) const;
    // Text written above the bar.
    QString valueLabel(int group, int category) const;
    AxisScale yScale() const;

    // Exportable
    QString title() const override { return m_title; }
    void renderTo(QPainter& painter, const QRectF& target) override { paint(painter, target); }
    // category,group,value; then each reference as category "reference", group = its label
    // (a band: two rows, its lower and upper edge).
    void writeCsv(QTextStream& out) const override;
    QSize defaultExportSize() const override { return QSize(900, 540); }

    QSize sizeHint() const override { return QSize(600, 400); }
    QSize minimumSizeHint() const override { return QSize(260, 200); }

  signals:
    void categoryClicked(int category);

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    struct Layout {
        QRectF title;
        QRectF plot;
        QRectF legend;
        QRectF note;
        double labelHeadroom = 0.0;  // space above the tallest bar for its label
        bool verticalLabels = false;
    };
    Layout computeLayout(const QRectF& canvas) const;
    // Where the bar of (group, category) sits across the plot, drawn or not.
    struct BarSlot {
        double x = 0.0;
        double width = 0.0;
    };
    BarSlot barSlot(const Layout& layout, int group, int category) const;
    QRectF barRectIn(const Layout& layout, int group, int category) const;
    // The phases of paint().
    void paintBar(QPainter& painter, const Layout& layout, int group, int category) const;
    void paintAxisLabels(QPainter& painter, const QRectF& plot, double tickWidth) const;
    void paintLegend(QPainter& painter, const QRectF& legend) const;
    void paintReferences(QPainter& painter, const QRectF& plot) const;
    QColor referenceColor(int reference) const;
    struct LegendLayout {
        QList<QRectF> places;  // one per group, then one per reference
        int rows = 0;
    };
    LegendLayout legendPlaces(double left, double right, double top) const;
    QString format(double v) const;
    bool hasDrawableValue() const;
    QString fullNote() const;  // the caller's note plus the log-scale warning if needed

    QStringList m_categories;
    QStringList m_groups;
    QList<QColor> m_groupColors;
    std::vector<std::vector<double>> m_values;  // (groups, categories)
    QString m_title;
    QString m_xTitle;
    QString m_yTitle;
    QString m_note;
    QList<ReferenceLine> m_references;
    bool m_log = false;
    ValueFormatter m_format;
    ValueFormatter m_axisFormat;
    QString m_emptyText;
    QString m_errorText;
};

}  // namespace tinyseek::viz
