#include "gui/figures/figure_export.h"

#include <QAbstractScrollArea>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QStandardPaths>
#include <QWidget>

#include "gui/figures/export_figure_dialog.h"

namespace tinyseek::gui {

namespace {

void showBox(QWidget* parent, QMessageBox::Icon icon, const QString& title, const QString& text) {
    QMessageBox box(icon, title, text, QMessageBox::NoButton, parent);
    box.addButton(FigureExport::tr("OK"), QMessageBox::AcceptRole);
    box.exec();
}

QString startDirectory() {
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return docs.isEmpty() ? QDir::homePath() : docs;
}

}  // namespace

void FigureExport::install(QWidget* widget, viz::Exportable* figure, const FigureList& pageFigures,
                           const MenuItems& moreItems) {
    widget->setContextMenuPolicy(Qt::CustomContextMenu);
    QPointer<QWidget> guard(widget);
    QObject::connect(widget, &QWidget::customContextMenuRequested, widget,
                     [guard, figure, pageFigures, moreItems](const QPoint& pos) {
                         if (!guard) return;
                         QMenu menu(guard);
                         const QString name = figure->title().isEmpty()
                                                  ? tr("this chart")
                                                  : QStringLiteral("“%1”").arg(figure->title());
                         QAction* one = menu.addAction(tr("Export %1…").arg(name));
                         QAction* all = nullptr;
                         if (pageFigures)
                             all = menu.addAction(tr("Export All Charts of This Page…"));
                         if (moreItems) {
                             menu.addSeparator();
                             moreItems(menu);
                         }
                         // Scroll areas (chart views) report viewport coordinates.
                         QWidget* origin = guard;
                         if (auto* area = qobject_cast<QAbstractScrollArea*>(guard.data()))
                             origin = area->viewport();
                         QAction* chosen = menu.exec(origin->mapToGlobal(pos));
                         if (!guard || !chosen) return;
                         if (chosen == one)
                             exportOne(guard, *figure);
                         else if (chosen == all)
                             exportAll(guard, pageFigures());
                     });
}

QString FigureExport::writeByExtension(viz::Exportable& figure, const QString& path, QSize size,
                                       qreal pixelRatio) {
    const QString ext = QFileInfo(path).suffix().toLower();
    QString error;
    bool ok = false;
    if (ext == QLatin1String("png"))
        ok = viz::Exporter::exportPng(figure, path, size, pixelRatio, &error);
    else if (ext == QLatin1String("svg"))
        ok = viz::Exporter::exportSvg(figure, path, size, &error);
    else if (ext == QLatin1String("pdf"))
        ok = viz::Exporter::exportPdf(figure, path, size, &error);
    else if (ext == QLatin1String("csv"))
        ok = viz::Exporter::exportCsv(figure, path, &error);
    else
        return tr("Unknown file type “.%1”: choose .png, .svg, .pdf or .csv").arg(ext);
    return ok ? QString() : error;
}

QString FigureExport::exportOne(QWidget* parent, viz::Exportable& figure) {
    const QString stem = viz::Exporter::sanitizeFileName(figure.title());
    ExportFigureDialog dialog(
        figure, QDir(startDirectory()).filePath(stem + QStringLiteral(".png")), parent);
    if (dialog.exec() != QDialog::Accepted) return QString();
    return dialog.path();
}

void FigureExport::exportAll(QWidget* parent, const QList<viz::Exportable*>& figures) {
    if (figures.isEmpty()) {
        showBox(parent, QMessageBox::Information, tr("Export"), tr("This page has no charts yet."));
        return;
    }
    const QString dir =
        QFileDialog::getExistingDirectory(parent, tr("Export Charts to Folder"), startDirectory());
    if (dir.isEmpty()) return;
    const viz::ExportReport report = viz::Exporter::exportAll(figures, dir);
    if (report.ok()) {
        showBox(parent, QMessageBox::Information, tr("Export"),
                tr("%n file(s) written to %1 (PNG, SVG, PDF and CSV of each chart).", "",
                   static_cast<int>(report.written.size()))
                    .arg(QDir::toNativeSeparators(dir)));
    } else {
        showBox(
            parent, QMessageBox::Warning, tr("Export Failed"),
            tr("%n file(s) written; these failed:", "", static_cast<int>(report.written.size())) +
                QStringLiteral("\n") + report.errors.join(QLatin1Char('\n')));
    }
}

}  // namespace tinyseek::gui
