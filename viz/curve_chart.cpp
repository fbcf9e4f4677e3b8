#include "viz/curve_chart.h"

#include <QTextStream>

#include "viz/exporters.h"

namespace tinyseek::viz {

CurveChart::CurveChart(QWidget* parent) : viz::MetricChart(parent) {}

void CurveChart::setCsvColumns(const QStringList& labelColumns, const QString& valueColumn) {
    m_labelColumns = labelColumns;
    m_valueColumn = valueColumn;
}

void CurveChart::setCurves(const QList<LabelledCurve>& curves) {
    m_curves = curves;
    QList<viz::RunCurve> runs;
    for (const LabelledCurve& c : curves) runs.append({c.id, c.legend, c.series});
    setSeries(runs);
}

void CurveChart::writeCsv(QTextStream& out) const {
    QStringList header = m_labelColumns;
    header << QStringLiteral("step") << QStringLiteral("wall_time") << m_valueColumn;
    out << header.join(QLatin1Char(',')) << '\n';
    for (const LabelledCurve& c : m_curves) {
        QString prefix;
        for (int i = 0; i < m_labelColumns.size(); ++i)
            prefix += viz::csvField(c.labels.value(i)) + QLatin1Char(',');
        const viz::MetricSeries& s = c.series;
        for (std::size_t i = 0; i < s.size(); ++i)
            out << prefix << viz::csvNumber(s.steps[i]) << ',' << viz::csvNumber(s.wallTimes[i])
                << ',' << viz::csvNumber(s.values[i]) << '\n';
    }
}

}  // namespace tinyseek::viz
