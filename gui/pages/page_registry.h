// The workbench's pages in menu and tab order. pageIds() needs no QApplication, so the
// command line can validate --page before any window exists.
#pragma once

#include <QList>
#include <QStringList>

class QWidget;

namespace tinyseek::gui {

class Page;

// "training", "routing", "kv-cache", "rollouts", "reward-model", "runs".
QStringList pageIds();

// One instance of every page, in pageIds() order.
QList<Page*> createPages(QWidget* parent);

}  // namespace tinyseek::gui
