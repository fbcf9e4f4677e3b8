// Export of the figures on a page: a stable file name per figure (NamedFigure), the "Export…"
// context menu every chart and heatmap gets, and the dialogs behind it (one figure to one
// file, or every figure of a page to a folder in PNG, SVG, PDF and CSV).
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QSize>
#include <QString>

#include <functional>
#include <utility>

#include "viz/exporters.h"

class QMenu;
class QWidget;

namespace tinyseek::gui {

// A figure under a stable, untranslated file name ("routing-load-by-layer"), so exported files
// keep their names whatever the figure's (translated, data-dependent) title says. Drawing and
// CSV are the figure's own.
class NamedFigure : public viz::Exportable {
  public:
    NamedFigure(QString fileName, viz::Exportable* figure)
        : m_name(std::move(fileName)), m_figure(figure) {}

    viz::Exportable* figure() const { return m_figure; }
    QString title() const override { return m_name; }
    void renderTo(QPainter& painter, const QRectF& target) override {
        m_figure->renderTo(painter, target);
    }
    void writeCsv(QTextStream& out) const override { m_figure->writeCsv(out); }
    QSize defaultExportSize() const override { return m_figure->defaultExportSize(); }

  private:
    QString m_name;
    viz::Exportable* m_figure;
};

// A NamedFigure whose CSV the page writes: the exact numbers behind what the figure draws
// (e.g. draft counts behind a plotted rate), in columns of their own.
class TableFigure : public NamedFigure {
  public:
    using Writer = std::function<void(QTextStream& out)>;
    TableFigure(QString fileName, viz::Exportable* figure, Writer writer)
        : NamedFigure(std::move(fileName), figure), m_writer(std::move(writer)) {}
    void writeCsv(QTextStream& out) const override { m_writer(out); }

  private:
    Writer m_writer;
};

class FigureExport {
    Q_DECLARE_TR_FUNCTIONS(FigureExport)

  public:
    using FigureList = std::function<QList<viz::Exportable*>()>;
    // Adds a page's own entries (with their own actions) below the export entries.
    using MenuItems = std::function<void(QMenu& menu)>;

    // Right-click on `widget` opens a menu with "Export <title>…" (one file; the format follows
    // the chosen file type) and, when `pageFigures` is given, "Export all charts of this
    // page…", then what `moreItems` adds. `figure` is usually the widget itself.
    static void install(QWidget* widget, viz::Exportable* figure,
                        const FigureList& pageFigures = {}, const MenuItems& moreItems = {});

    // Asks for a file, size and PNG scale (ExportFigureDialog) and writes the figure as PNG
    // (2x by default), SVG, PDF or CSV. Returns the path written, or an empty string when
    // cancelled.
    static QString exportOne(QWidget* parent, viz::Exportable& figure);
    // Asks for a folder and writes every figure in all four formats; shows what was written.
    static void exportAll(QWidget* parent, const QList<viz::Exportable*>& figures);

    // Writes `figure` to `path`, the format chosen by the extension (png, svg, pdf, csv), at
    // `size` (empty: the figure's default) and, for PNG, `pixelRatio` image pixels per size
    // pixel. Returns an empty string on success, otherwise the reason.
    static QString writeByExtension(viz::Exportable& figure, const QString& path,
                                    QSize size = QSize(), qreal pixelRatio = 2.0);
};

}  // namespace tinyseek::gui
