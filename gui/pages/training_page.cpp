#include "gui/pages/training_page.h"

namespace tinyseek::gui {

TrainingPage::TrainingPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(tr("Training"));
    setEmptyStateText(
        tr("Reward curves and every GRPO and SFT metric of the selected runs will appear here once "
           "a run is started or opened."));
}

}  // namespace tinyseek::gui
