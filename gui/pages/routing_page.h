// Routing page. Expert-load heatmaps, MaxVio and bias curves, and per-token expert choices.
#pragma once

#include "gui/pages/page.h"

namespace tinyseek::gui {

class RoutingPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "routing";
    explicit RoutingPage(QWidget* parent = nullptr);
};

}  // namespace tinyseek::gui
