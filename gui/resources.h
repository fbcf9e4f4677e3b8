// The bundled resources of assets/assets.qrc (the icon). They are compiled into
// the static library tinyseek_gui, where the linker drops their registration object unless
// something references it; ensureResources() is that reference. Call it before using ":/…"
// paths from code that may run without MainWindow (main(), commands, tests).
#pragma once

namespace tinyseek::gui {

void ensureResources();

}  // namespace tinyseek::gui
