// ScalingPlot: inference-time scaling, i.e. a metric (accuracy) against the number of samples
// k on a log2 axis for several methods, each with an optional shaded band (spread over
// seeds), horizontal reference lines or bands (e.g. greedy, scalar RM), and a second y axis
// on the right for a cost curve (tokens per item), drawn dashed. The x axis can be linear
// instead (a rate against position or training step). Custom painted like BarChart.
#pragma once

#include <QFontMetricsF>
#include <QList>
#include <QString>
#include <QWidget>

#include <vector>

#include "viz/axis_scale.h"
#include "viz/exporters.h"
#include "viz/plot_data.h"

namespace tinyseek::viz {

struct ScalingCurve {
    QString name;
    std::vector<double> k;     // (N,) sample counts, > 0
    std::vector<double> mean;  // (N,)
    std::vector<double> low;   // (N,) band lower edge, or empty for no band
    std::vector<double> high;  // (N,) band upper edge, or empty
    int colorIndex = -1;       // palette slot; -1 = the curve's position among the curves
    bool dashed = false;       // dashed line, square markers: a second measure of one series
};

class ScalingPlot : public QWidget, public Exportable {
    Q_OBJECT

  public:
    explicit ScalingPlot(QWidget* parent = nullptr);

    void setCurves(const QList<ScalingCurve>& curves);           // left axis
    void setReferenceLines(const QList<ReferenceLine>& lines);   // left axis
    void setSecondaryCurves(const QList<ScalingCurve>& curves);  // right axis, dashed
    const QList<ScalingCurve>& curves() const { return m_curves; }

    void setTitle(const QString& title);
    void setXAxisTitle(const QString& text);  // default "Samples per item (k)"
    // Linear x axis from the data's range (default: log2 from its powers of two).
    void setLinearX(bool on);
    // The x value's name in tooltips and the CSV's x column (default "k").
    void setXSymbol(const QString& symbol);
    void setYAxisTitle(const QString& text);
    void setSecondaryAxisTitle(const QString& text);
    // Fixed left-axis range (e.g. 0..1 for accuracy); otherwise it follows the data.
    void setYRange(double minimum, double maximum);
    void clearYRange();
    // Base-10 log left axis (errors over decades); values <= 0 are not drawn.
    void setLogY(bool on);

    void setEmptyText(const QString& text);
    void setErrorText(const QString& text);
    void clearError() { setErrorText(QString()); }

    void paint(QPainter& painter, const QRectF& canvas) const;
    // Where point i of curve c (secondary: of secondary curve c) is drawn in `canvas`.
    QPointF pointPosition(int curve, int index, const QRectF& canvas, bool secondary = false) const;
    AxisScale xScale() const;
    AxisScale yScale() const;
    AxisScale secondaryScale() const;
    // Where reference line r's label ("Greedy judge = 0.83") is drawn in `canvas`: just above
    // the line, at the end of the plot (left or right) where fewer curves pass under it, or
    // below the line when both ends would cover an earlier line's label.
    QRectF referenceLabelRect(int reference, const QRectF& canvas) const;
    QList<QRectF> referenceLabelRects(const QRectF& canvas) const;  // one per line, in order
    // Tooltip text for the point nearest to pos (within a few pixels), or empty.
    QString toolTipAt(const QPointF& pos, const QRectF& canvas) const;

    // Exportable
    QString title() const override { return m_title; }
    void renderTo(QPainter& painter, const QRectF& target) override { paint(painter, target); }
    // series,kind,<x symbol>,value,low,high  (kind: method | reference | secondary); a
    // reference band has its edges as low and high.
    void writeCsv(QTextStream& out) const override;
    QSize defaultExportSize() const override { return QSize(900, 560); }

    QSize sizeHint() const override { return QSize(640, 420); }
    QSize minimumSizeHint() const override { return QSize(280, 200); }

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

  private:
    QString referenceLabelText(int reference) const;
    struct Layout {
        QRectF title;
        QRectF plot;
        QRectF legend;
        int legendRows = 0;
    };
    struct LegendEntry {
        QString text;
        QColor color;
        int style = 0;  // 0 method (solid + dot), 1 reference (dotted), 2 secondary (dashed)
    };
    // Where each legend entry goes when the entries wrap into rows between left and right.
    struct LegendPlace {
        double x = 0.0;
        double y = 0.0;  // top + rowHeight per row above
        double width = 0.0;
        int row = 0;
    };
    static QList<LegendPlace> legendPlaces(const QList<LegendEntry>& entries,
                                           const QFontMetricsF& fm, double left, double right,
                                           double top, double rowHeight);
    Layout computeLayout(const QRectF& canvas) const;
    QList<LegendEntry> legendEntries() const;
    // The phases of paint().
    void paintData(QPainter& painter, const QRectF& canvas, const QRectF& plot, const AxisScale& xs,
                   const AxisScale& ys, const QList<LegendEntry>& entries) const;
    void paintReferenceLines(QPainter& painter, const QRectF& canvas, const QRectF& plot,
                             const AxisScale& ys, const QList<LegendEntry>& entries) const;
    void paintAxisTitles(QPainter& painter, const QRectF& plot, double leftAxisWidth,
                         double rightAxisWidth) const;
    void paintLegend(QPainter& painter, const QRectF& legend,
                     const QList<LegendEntry>& entries) const;
    bool hasData() const;
    QColor curveColor(int index) const;
    QColor secondaryColor(int index) const;

    QList<ScalingCurve> m_curves;
    QList<ReferenceLine> m_references;
    QList<ScalingCurve> m_secondary;
    QString m_title;
    QString m_xTitle;
    QString m_xSymbol = QStringLiteral("k");
    bool m_linearX = false;
    QString m_yTitle;
    QString m_secondaryTitle;
    bool m_fixedY = false;
    bool m_logY = false;
    double m_yMin = 0.0;
    double m_yMax = 1.0;
    QString m_emptyText;
    QString m_errorText;
};

}  // namespace tinyseek::viz
