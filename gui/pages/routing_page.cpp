#include "gui/pages/routing_page.h"

namespace tinyseek::gui {

RoutingPage::RoutingPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(tr("Routing"));
    setEmptyStateText(
        tr("Which experts the router picks (load per layer and expert, over time, and per token) "
           "will appear here once a run is started or opened."));
}

}  // namespace tinyseek::gui
