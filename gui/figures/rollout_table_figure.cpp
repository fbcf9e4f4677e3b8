#include "gui/figures/rollout_table_figure.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QTextStream>

#include <algorithm>
#include <iterator>

#include "gui/models/rollout_table_model.h"
#include "viz/figure_painter.h"

namespace tinyseek::gui {

void RolloutTableFigure::renderTo(QPainter& painter, const QRectF& target) {
    painter.save();
    painter.fillRect(target, viz::figureBackground());
    painter.setPen(viz::figureTextColor());
    const QFont base = QGuiApplication::font();
    const double margin = 12.0;
    QRectF area = target.adjusted(margin, margin, -margin, -margin);

    painter.setFont(viz::figureTitleFont(base));
    const double titleHeight = QFontMetricsF(painter.font()).height() * 1.4;
    painter.drawText(QRectF(area.left(), area.top(), area.width(), titleHeight),
                     Qt::AlignHCenter | Qt::AlignVCenter, m_title);
    area.setTop(area.top() + titleHeight);
    if (!m_model) {
        painter.restore();
        return;
    }

    // Columns: relative widths; prompt and completion take the room left by the numbers.
    const int columns = RolloutTableModel::ColumnCount;
    const double weights[] = {0.6, 1.5, 3.9, 1.1, 0.8, 0.8, 0.8, 0.9, 0.7};
    static_assert(std::size(weights) == RolloutTableModel::ColumnCount);
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> x(columns + 1, area.left());
    for (int c = 0; c < columns; ++c) x[c + 1] = x[c] + area.width() * weights[c] / total;

    painter.setFont(viz::figureLabelFont(base));
    const QFontMetricsF fm(painter.font());
    const double rowHeight = fm.height() * 1.45;
    const int rows = m_model->rowCount();
    const double footer = fm.height() * 1.6;
    const int fit = std::max(0, static_cast<int>((area.height() - footer) / rowHeight) - 1);
    const int shown = std::min(rows, fit);

    auto drawRow = [&](double top, auto&& textOf, bool header) {
        for (int c = 0; c < columns; ++c) {
            const QRectF cell(x[c] + 4, top, x[c + 1] - x[c] - 8, rowHeight);
            const bool text = c == RolloutTableModel::Prompt || c == RolloutTableModel::Completion;
            const Qt::Alignment align =
                (text || header ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter;
            painter.drawText(cell, align, fm.elidedText(textOf(c), Qt::ElideRight, cell.width()));
        }
    };
    QFont bold = painter.font();
    bold.setBold(true);
    painter.setFont(bold);
    drawRow(
        area.top(), [&](int c) { return m_model->headerData(c, Qt::Horizontal).toString(); }, true);
    painter.setFont(viz::figureLabelFont(base));
    double top = area.top() + rowHeight;
    painter.setPen(viz::figureGridColor());
    painter.drawLine(QPointF(area.left(), top), QPointF(area.right(), top));
    for (int r = 0; r < shown; ++r) {
        if (r % 2 == 1)
            painter.fillRect(QRectF(area.left(), top, area.width(), rowHeight),
                             QColor(246, 246, 246));
        painter.setPen(viz::figureTextColor());
        drawRow(
            top, [&](int c) { return m_model->data(m_model->index(r, c)).toString(); }, false);
        top += rowHeight;
    }
    painter.setFont(viz::figureSmallFont(base));
    painter.setPen(viz::figureTextColor());
    const QString note =
        rows == 0 ? tr("No rollouts match the filter.")
                  : tr("Rows 1–%1 of %2; the CSV export holds every row.").arg(shown).arg(rows);
    painter.drawText(QRectF(area.left(), area.bottom() - footer, area.width(), footer),
                     Qt::AlignLeft | Qt::AlignVCenter, note);
    painter.restore();
}

void RolloutTableFigure::writeCsv(QTextStream& out) const {
    out << "step,prompt,completion,accuracy,format,reward,advantage,length,malformed\n";
    if (!m_model) return;
    m_model->forEachMatching([&](const StoredRollout& r) {
        const RolloutSample& s = r.sample;
        out << r.step << ',' << viz::csvField(QString::fromStdString(s.prompt)) << ','
            << viz::csvField(QString::fromStdString(s.completion)) << ','
            << viz::csvNumber(s.reward.accuracy) << ',' << viz::csvNumber(s.reward.format) << ','
            << viz::csvNumber(s.reward.total) << ',' << viz::csvNumber(s.advantage) << ','
            << s.length << ',' << (s.reward.malformed ? 1 : 0) << '\n';
    });
}

}  // namespace tinyseek::gui
