#include "gui/dialogs/y_range_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tinyseek::gui {

namespace {

QDoubleSpinBox* limitBox(QWidget* parent, double value) {
    auto* box = new QDoubleSpinBox(parent);
    box->setDecimals(6);
    box->setRange(-1e12, 1e12);
    box->setValue(value);
    box->setMinimumWidth(160);
    return box;
}

}  // namespace

YRangeDialog::YRangeDialog(const QString& what, double min, double max, bool logScale,
                           QWidget* parent)
    : QDialog(parent), m_log(logScale) {
    setWindowTitle(tr("Fixed Y Range"));
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("The y axis of %1 shows this range whatever the data.").arg(what), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    m_min = limitBox(this, min);
    m_min->setObjectName(QStringLiteral("yMinimum"));
    m_max = limitBox(this, max);
    m_max->setObjectName(QStringLiteral("yMaximum"));
    form->addRow(tr("Minimum"), m_min);
    form->addRow(tr("Maximum"), m_max);
    layout->addLayout(form);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("yRangeProblem"));
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_min, &QDoubleSpinBox::valueChanged, this, &YRangeDialog::updateState);
    connect(m_max, &QDoubleSpinBox::valueChanged, this, &YRangeDialog::updateState);
    updateState();
}

double YRangeDialog::minimum() const {
    return m_min->value();
}

double YRangeDialog::maximum() const {
    return m_max->value();
}

void YRangeDialog::setRange(double min, double max) {
    m_min->setValue(min);
    m_max->setValue(max);
}

bool YRangeDialog::isValid() const {
    return minimum() < maximum() && (!m_log || minimum() > 0.0);
}

void YRangeDialog::updateState() {
    QString problem;
    if (!(minimum() < maximum()))
        problem = tr("The minimum must be below the maximum.");
    else if (m_log && minimum() <= 0.0)
        problem = tr("A logarithmic axis needs a minimum above zero.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

}  // namespace tinyseek::gui
