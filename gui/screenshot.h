// Saving a PNG of a window: used by `tinyseek --screenshot`, the GUI tests and the README
// images. QWidget::grab() renders the widget itself, so it works on the offscreen platform
// and under Xvfb alike, with no X tools.
#pragma once

#include <QCoreApplication>
#include <QString>

class QWidget;

namespace tinyseek::gui {

class Screenshot {
    Q_DECLARE_TR_FUNCTIONS(Screenshot)

  public:
    // Shows `window` if needed and processes events until it is exposed and laid out (at
    // most `timeoutMs`), so the grab shows the final layout rather than a half-built one.
    static void settle(QWidget* window, int timeoutMs = 3000);
    // Writes a PNG of `window` to `path`; returns an empty string on success, otherwise a
    // message naming the path and the reason.
    static QString save(QWidget* window, const QString& path);
};

}  // namespace tinyseek::gui
