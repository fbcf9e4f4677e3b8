// Training page. Reward, accuracy, loss, KL and the other training metrics over steps or wall time.
#pragma once

#include "gui/pages/page.h"

namespace tinyseek::gui {

class TrainingPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "training";
    explicit TrainingPage(QWidget* parent = nullptr);
};

}  // namespace tinyseek::gui
