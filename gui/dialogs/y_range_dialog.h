// The limits of a fixed y range (a chart's, or every chart's of the Training page): minimum
// below maximum, both above zero when the axis is logarithmic; OK stays off until they are.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;

namespace tinyseek::gui {

class YRangeDialog : public QDialog {
    Q_OBJECT

  public:
    // `what` names the charts the range is for ("every chart", "“Loss”").
    YRangeDialog(const QString& what, double min, double max, bool logScale,
                 QWidget* parent = nullptr);

    double minimum() const;
    double maximum() const;
    void setRange(double min, double max);
    bool isValid() const;

  private:
    void updateState();

    bool m_log = false;
    QDoubleSpinBox* m_min = nullptr;
    QDoubleSpinBox* m_max = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace tinyseek::gui
