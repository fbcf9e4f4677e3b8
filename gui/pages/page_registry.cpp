#include "gui/pages/page_registry.h"

#include "gui/pages/evaluation_page.h"
#include "gui/pages/explore_page.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/precision_page.h"
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
    {InferencePage::kId, "tinyseek::gui::InferencePage",
     QT_TRANSLATE_NOOP("tinyseek::gui::InferencePage", "Inference")},
    {ExplorePage::kId, "tinyseek::gui::ExplorePage",
     QT_TRANSLATE_NOOP("tinyseek::gui::ExplorePage", "Explore")},
    {RolloutsPage::kId, "tinyseek::gui::RolloutsPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RolloutsPage", "Rollouts")},
    {EvaluationPage::kId, "tinyseek::gui::EvaluationPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::EvaluationPage", "Evaluation")},
    {PrecisionPage::kId, "tinyseek::gui::PrecisionPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::PrecisionPage", "Precision")},
    {RewardModelPage::kId, "tinyseek::gui::RewardModelPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RewardModelPage", "Reward Model")},
    {RunsPage::kId, "tinyseek::gui::RunsPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RunsPage", "Runs")},
};

// A part of a page that --page can name on its own: its id, the page it is on, and its tab
// title there. The KV cache tab keeps the id and title of the page it was before the
// Inference page grew around it, so `--page kv-cache` and `--page "KV Cache"` still work.
struct PageSection {
    const char* id;
    const char* pageId;
    const char* context;
    const char* title;
};

const PageSection kPageSections[] = {
    {ExplorePage::kSections[0], ExplorePage::kId, "tinyseek::gui::ForwardInternalsView",
     QT_TRANSLATE_NOOP("tinyseek::gui::ForwardInternalsView", "Attention")},
    {ExplorePage::kSections[1], ExplorePage::kId, "tinyseek::gui::ForwardInternalsView",
     QT_TRANSLATE_NOOP("tinyseek::gui::ForwardInternalsView", "Logit Lens")},
    {ExplorePage::kSections[2], ExplorePage::kId, "tinyseek::gui::ExplorePage",
     QT_TRANSLATE_NOOP("tinyseek::gui::ExplorePage", "Model")},
    {InferencePage::kKvCacheSection, InferencePage::kId, "tinyseek::gui::InferencePage",
     QT_TRANSLATE_NOOP("tinyseek::gui::InferencePage", "KV Cache")},
    {RolloutsPage::kSections[0], RolloutsPage::kId, "tinyseek::gui::RolloutsPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RolloutsPage", "Completions")},
    {RolloutsPage::kSections[1], RolloutsPage::kId, "tinyseek::gui::RolloutsPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::RolloutsPage", "Distributions over Steps")},
    {EvaluationPage::kSections[0], EvaluationPage::kId, "tinyseek::gui::EvaluationPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::EvaluationPage", "pass@k and maj@k")},
    {EvaluationPage::kSections[1], EvaluationPage::kId, "tinyseek::gui::EvaluationPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::EvaluationPage", "Accuracy by Difficulty")},
    {PrecisionPage::kSections[0], PrecisionPage::kId, "tinyseek::gui::PrecisionPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::PrecisionPage", "Accumulation")},
    {PrecisionPage::kSections[1], PrecisionPage::kId, "tinyseek::gui::PrecisionPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::PrecisionPage", "Scaling Granularity")},
    {PrecisionPage::kSections[2], PrecisionPage::kId, "tinyseek::gui::PrecisionPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::PrecisionPage", "Training in FP8")},
    {PrecisionPage::kSections[3], PrecisionPage::kId, "tinyseek::gui::PrecisionPage",
     QT_TRANSLATE_NOOP("tinyseek::gui::PrecisionPage", "Memory")},
};

// The names a page or section goes by: its id and its title in English and Simplified Chinese.
QStringList namesOf(const char* id, const char* context, const char* title) {
    return {QString::fromLatin1(id), QString::fromUtf8(title),
            translateInto(QStringLiteral("zh_CN"), context, title)};
}

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
    for (const PageName& p : kPageNames)
        for (const QString& n : namesOf(p.id, p.context, p.title))
            if (folded(n) == wanted) return QString::fromLatin1(p.id);
    for (const PageSection& s : kPageSections)
        for (const QString& n : namesOf(s.id, s.context, s.title))
            if (folded(n) == wanted) return QString::fromLatin1(s.pageId);
    return QString();
}

QString pageSectionForName(const QString& name) {
    const QString wanted = folded(name);
    for (const PageSection& s : kPageSections)
        for (const QString& n : namesOf(s.id, s.context, s.title))
            if (folded(n) == wanted) return QString::fromLatin1(s.id);
    return QString();
}

QList<Page*> createPages(QWidget* parent) {
    return {new TrainingPage(parent),  new RoutingPage(parent),     new InferencePage(parent),
            new ExplorePage(parent),   new RolloutsPage(parent),    new EvaluationPage(parent),
            new PrecisionPage(parent), new RewardModelPage(parent), new RunsPage(parent)};
}

}  // namespace tinyseek::gui
