#include "gui/screenshot.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QPixmap>
#include <QWidget>
#include <QWindow>

namespace tinyseek::gui {

void Screenshot::settle(QWidget* window, int timeoutMs) {
    if (!window->isVisible()) window->show();
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        const QWindow* handle = window->windowHandle();
        if (handle && handle->isExposed()) break;
    }
    // A few more rounds for deferred layouts and polish events after the first expose.
    for (int i = 0; i < 5; ++i) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

QString Screenshot::save(QWidget* window, const QString& path) {
    const QFileInfo info(path);
    if (!info.absoluteDir().exists())
        return tr("cannot write the screenshot '%1': the folder '%2' does not exist")
            .arg(path, info.absolutePath());
    const QImage image = window->grab().toImage();
    if (image.isNull()) return tr("cannot render the window for the screenshot '%1'").arg(path);
    QImageWriter writer(path, "png");
    if (!writer.write(image))
        return tr("cannot write the screenshot '%1': %2").arg(path, writer.errorString());
    return QString();
}

}  // namespace tinyseek::gui
