// RolloutTableFigure: the Rollouts page's table as an exportable figure. PNG/SVG/PDF show the
// first rows that fit (a page for a report, with a line saying how many rows there are); the
// CSV holds every row that matches the page's filter, read from the store in pages.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "viz/exporters.h"

namespace tinyseek::gui {

class RolloutTableModel;

class RolloutTableFigure : public viz::Exportable {
    Q_DECLARE_TR_FUNCTIONS(RolloutTableFigure)

  public:
    explicit RolloutTableFigure(const RolloutTableModel* model) : m_model(model) {}

    void setTitle(const QString& title) { m_title = title; }
    QString title() const override { return m_title; }
    void renderTo(QPainter& painter, const QRectF& target) override;
    // step,prompt,completion,accuracy,format,reward,advantage,length,malformed
    void writeCsv(QTextStream& out) const override;
    QSize defaultExportSize() const override { return QSize(1100, 700); }

  private:
    const RolloutTableModel* m_model;
    QString m_title;
};

}  // namespace tinyseek::gui
