// Runs page. Browse, compare and export the runs of the open database.
#pragma once

#include "gui/pages/page.h"

namespace tinyseek::gui {

class RunsPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "runs";
    explicit RunsPage(QWidget* parent = nullptr);
};

}  // namespace tinyseek::gui
