#include "gui/pages/reward_model_page.h"

namespace tinyseek::gui {

RewardModelPage::RewardModelPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(tr("Reward Model"));
    setEmptyStateText(
        tr("Reward-model accuracy against the number of samples k (greedy, voting, meta RM) will "
           "appear here once a reward model is trained."));
}

}  // namespace tinyseek::gui
