#include "gui/resources.h"

#include <QtCore/qglobal.h>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initAssetsResource() {
    Q_INIT_RESOURCE(assets);
}

namespace tinyseek::gui {

void ensureResources() {
    static const bool done = (initAssetsResource(), true);
    (void)done;
}

}  // namespace tinyseek::gui
