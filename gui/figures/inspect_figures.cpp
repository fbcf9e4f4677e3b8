// Core headers first (Eigen before Qt).
#include "gui/figures/inspect_figures.h"

#include <QDir>
#include <QString>

#include <memory>
#include <stdexcept>

#include "gui/figures/export_figures.h"
#include "gui/figures/figure_export.h"
#include "gui/pages/forward_internals_view.h"
#include "gui/pages/model_view_panel.h"
#include "gui/pages/next_token_panel.h"
#include "viz/exporters.h"
#include "viz/heatmap_widget.h"

namespace tinyseek::gui {

namespace {

void write(viz::Exportable& figure, const QString& path, std::vector<std::string>& files) {
    const QString error = FigureExport::writeByExtension(figure, path);
    if (!error.isEmpty()) throw std::runtime_error(error.toStdString());
    files.push_back(QDir::toNativeSeparators(path).toStdString());
}

}  // namespace

std::vector<std::string> writeInspectFigures(const cli::InspectResult& result,
                                             const std::filesystem::path& dir) {
    cli::ensure_figure_application();
    // The application goes when this returns or throws, after the figures (declared later).
    struct Release {
        ~Release() { cli::release_figure_pages(); }
    } release;
    std::vector<std::string> files;
    {
        const QString folder = QString::fromStdString(dir.string());
        const ModelConfig& config = result.config;
        NextTokenPanel next;
        ForwardInternalsView internals;
        ModelViewPanel model;
        next.showInspection(result.inspection, result.tokenizer);
        internals.showInspection(result.inspection, result.tokenizer, config);
        model.setCheckpointConfig(config);
        for (viz::Exportable* figure :
             next.exportables() + internals.exportables() + model.exportables())
            for (const char* ext : {".png", ".svg"})
                write(*figure, folder + QLatin1Char('/') + figure->title() + QLatin1String(ext),
                      files);
        for (int l = 0; l < static_cast<int>(result.inspection.attention.size()); ++l)
            for (int h = 0; h < config.num_attention_heads; ++h) {
                internals.setAttention(l, h, ForwardInternalsView::AttentionValue::weight);
                write(
                    *internals.attentionMap(),
                    folder + QStringLiteral("/explore-attention-layer%1-head%2.png").arg(l).arg(h),
                    files);
            }
    }
    return files;
}

}  // namespace tinyseek::gui
