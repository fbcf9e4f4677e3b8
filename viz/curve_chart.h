// CurveChart: a MetricChart whose curves are not runs but labelled series of one or more runs
// (MaxVio per layer, router bias per expert). Same drawing, hover and zoom; the CSV names
// what each curve is (e.g. run,layer,step,max_vio) instead of a single "run" column.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "viz/metric_chart.h"

namespace tinyseek::viz {

struct LabelledCurve {
    int id = 0;          // stable colour (viz::runColor(id)) and identity
    QString legend;      // legend text, e.g. "aux_free run · Layer 1"
    QStringList labels;  // CSV label columns, one per CurveChart::csvLabelColumns()
    viz::MetricSeries series;
};

class CurveChart : public viz::MetricChart {
    Q_OBJECT

  public:
    explicit CurveChart(QWidget* parent = nullptr);

    // CSV columns naming a curve (e.g. {"run", "layer"}) and the value column ("max_vio").
    void setCsvColumns(const QStringList& labelColumns, const QString& valueColumn);
    void setCurves(const QList<LabelledCurve>& curves);
    const QList<LabelledCurve>& curves() const { return m_curves; }

    // label columns..., step, wall_time, value: every point of every curve.
    void writeCsv(QTextStream& out) const override;

  private:
    QStringList m_labelColumns;
    QString m_valueColumn = QStringLiteral("value");
    QList<LabelledCurve> m_curves;
};

}  // namespace tinyseek::viz
