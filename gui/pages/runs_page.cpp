#include "gui/pages/runs_page.h"

namespace tinyseek::gui {

RunsPage::RunsPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(tr("Runs"));
    setEmptyStateText(
        tr("The runs stored in the open database (name, task, status, steps, best accuracy) will "
           "be listed here to open, compare and export."));
}

}  // namespace tinyseek::gui
