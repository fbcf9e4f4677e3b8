#include "gui/pages/page_registry.h"

#include "gui/pages/kv_cache_page.h"
#include "gui/pages/reward_model_page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"

namespace tinyseek::gui {

QStringList pageIds() {
    return {QString::fromLatin1(TrainingPage::kId),    QString::fromLatin1(RoutingPage::kId),
            QString::fromLatin1(KvCachePage::kId),     QString::fromLatin1(RolloutsPage::kId),
            QString::fromLatin1(RewardModelPage::kId), QString::fromLatin1(RunsPage::kId)};
}

QList<Page*> createPages(QWidget* parent) {
    return {new TrainingPage(parent), new RoutingPage(parent),     new KvCachePage(parent),
            new RolloutsPage(parent), new RewardModelPage(parent), new RunsPage(parent)};
}

}  // namespace tinyseek::gui
