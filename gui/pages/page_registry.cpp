#include "gui/pages/page_registry.h"

#include "gui/pages/kv_cache_page.h"
#include "gui/pages/reward_model_page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"
#include "gui/translations.h"

#include <QCoreApplication>

namespace tinyseek::gui {

namespace {

// Each page's title, in the translation context of its class (where lupdate files it).
struct PageName {
    const char* id;
    const char* context;
    const char* title;
};

const PageName kPageNames[] = {
    {TrainingPage::kId, "tinyseek::gui::TrainingPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::TrainingPage", "Training")},
    {RoutingPage::kId, "tinyseek::gui::RoutingPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RoutingPage", "Routing")},
    {KvCachePage::kId, "tinyseek::gui::KvCachePage",
     QT_TRANSLATE_NOOP("tinyseek::gui::KvCachePage", "KV Cache")},
    {RolloutsPage::kId, "tinyseek::gui::RolloutsPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RolloutsPage", "Rollouts")},
    {RewardModelPage::kId, "tinyseek::gui::RewardModelPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RewardModelPage", "Reward Model")},
    {RunsPage::kId, "tinyseek::gui::RunsPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RunsPage", "Runs")},
};

// "KV Cache", "kv_cache" and "kv-cache" alike.
QString folded(const QString& name) {
    QString s = name.trimmed().toCaseFolded();
    s.replace(QLatin1Char(' '), QLatin1Char('-')).replace(QLatin1Char('_'), QLatin1Char('-'));
    return s;
}

}  // namespace

QStringList pageIds() {
    QStringList ids;
    for (const PageName& p : kPageNames) ids << QString::fromLatin1(p.id);
    return ids;
}

QString pageTitle(const QString& id) {
    for (const PageName& p : kPageNames)
        if (id == QLatin1String(p.id)) return QCoreApplication::translate(p.context, p.title);
    return id;
}

QString pageIdForName(const QString& name) {
    const QString wanted = folded(name);
    for (const PageName& p : kPageNames) {
        const QStringList names = {QString::fromLatin1(p.id), QString::fromUtf8(p.title),
                                   translateInto(QStringLiteral("zh_CN"), p.context, p.title)};
        for (const QString& n : names)
            if (folded(n) == wanted) return QString::fromLatin1(p.id);
    }
    return QString();
}

QList<Page*> createPages(QWidget* parent) {
    return {new TrainingPage(parent), new RoutingPage(parent),     new KvCachePage(parent),
            new RolloutsPage(parent), new RewardModelPage(parent), new RunsPage(parent)};
}

}  // namespace tinyseek::gui
