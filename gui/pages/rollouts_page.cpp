#include "gui/pages/rollouts_page.h"

namespace tinyseek::gui {

RolloutsPage::RolloutsPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(tr("Rollouts"));
    setEmptyStateText(
        tr("The sampled completions of a run, with their rewards and advantages, will appear here "
           "once a run is started or opened."));
}

}  // namespace tinyseek::gui
