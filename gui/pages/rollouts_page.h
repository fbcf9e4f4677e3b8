// Rollouts page. The table of sampled completions with their rewards.
#pragma once

#include "gui/pages/page.h"

namespace tinyseek::gui {

class RolloutsPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "rollouts";
    explicit RolloutsPage(QWidget* parent = nullptr);
};

}  // namespace tinyseek::gui
