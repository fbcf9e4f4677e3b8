// The workbench's pages in menu and tab order. pageIds() needs no QApplication, so the
// command line can validate --page before any window exists.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class QWidget;

namespace tinyseek::gui {

class Page;

// "training", "routing", "inference", "rollouts", "reward-model", "runs".
QStringList pageIds();

// The title of page `id` in the installed language, as its dock tab shows it ("KV Cache").
QString pageTitle(const QString& id);

// The id of the page `name` designates, for --page: an id ("inference") or a title as the
// window shows it in English or Simplified Chinese ("Inference", "推理"), ignoring case,
// and spaces, hyphens and underscores alike; or a section of a page the same way (the
// Inference page's KV cache tab: "kv-cache", "KV Cache", "KV 缓存"). Empty when it
// designates none.
QString pageIdForName(const QString& name);

// The section `name` designates ("kv-cache"), for Page::showSection; empty when it names a
// whole page or nothing.
QString pageSectionForName(const QString& name);

// One instance of every page, in pageIds() order.
QList<Page*> createPages(QWidget* parent);

}  // namespace tinyseek::gui
