// Reward Model page. Accuracy of the generative reward model versus inference-time samples.
#pragma once

#include "gui/pages/page.h"

namespace tinyseek::gui {

class RewardModelPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "reward-model";
    explicit RewardModelPage(QWidget* parent = nullptr);
};

}  // namespace tinyseek::gui
