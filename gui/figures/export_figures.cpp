#include "gui/figures/export_figures.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QList>

#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "gui/figures/figure_export.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/precision_page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/routing_page.h"
#include "gui/pages/token_routing_view.h"
#include "gui/pages/training_page.h"
#include "gui/resources.h"
#include "viz/exporters.h"
#include "viz/metric_chart.h"

namespace tinyseek::cli {

namespace {

// The pages of one run, built offscreen, with the QApplication they live in.
struct FigureSession {
    std::string db;
    std::int64_t runId = 0;
    std::unique_ptr<gui::RoutingPage> routing;
    std::unique_ptr<gui::InferencePage> inference;
    std::unique_ptr<gui::RolloutsPage> rollouts;
    std::unique_ptr<gui::PrecisionPage> precision;
    // The Training page reads its runs through a MetricsHub, as in the window.
    std::unique_ptr<gui::MetricsHub> hub;
    std::unique_ptr<gui::TrainingPage> training;
    std::vector<std::unique_ptr<gui::NamedFigure>> trainingCharts;  // "training-<metric>"
    bool csvWritten = false;

    QList<viz::Exportable*> figures() const {
        QList<viz::Exportable*> out;
        for (const auto& chart : trainingCharts) out << chart.get();
        return out + routing->exportables() + inference->exportables() + rollouts->exportables() +
               precision->exportables();
    }
};

// Runs the event loop until `busy` is false: every page's work ends by itself (reads,
// measurements), the largest being the acceptance at every checkpoint of a long run.
void waitWhile(const std::function<bool()>& busy) {
    while (busy()) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

std::unique_ptr<QApplication> g_app;
std::unique_ptr<FigureSession> g_session;

}  // namespace

void ensure_figure_application() {
    if (QCoreApplication::instance()) return;
    // A headless command: render without any display, whatever the environment names.
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    static int argc = 1;
    static char name[] = "tinyseek";
    static char* argv[] = {name, nullptr};
    g_app = std::make_unique<QApplication>(argc, argv);
    gui::ensureResources();
}

namespace {

FigureSession& sessionFor(const ExportJob& job) {
    if (g_session && g_session->db == job.store.path() && g_session->runId == job.run.id)
        return *g_session;
    ensure_figure_application();
    auto s = std::make_unique<FigureSession>();
    s->db = job.store.path();
    s->runId = job.run.id;
    const QString db = QFileInfo(QString::fromStdString(job.store.path())).absoluteFilePath();
    s->routing = std::make_unique<gui::RoutingPage>();
    s->inference = std::make_unique<gui::InferencePage>();
    s->inference->setMeasureWhileHidden(true);  // offscreen: no page is ever shown
    s->rollouts = std::make_unique<gui::RolloutsPage>();
    s->precision = std::make_unique<gui::PrecisionPage>();
    s->precision->setComputeWhileHidden(true);
    s->hub = std::make_unique<gui::MetricsHub>();
    s->training = std::make_unique<gui::TrainingPage>();
    // Every page reads through the hub's reader, as in the window.
    for (gui::Page* page :
         {static_cast<gui::Page*>(s->routing.get()), static_cast<gui::Page*>(s->inference.get()),
          static_cast<gui::Page*>(s->rollouts.get()), static_cast<gui::Page*>(s->precision.get())})
        page->setReader(s->hub->reader());
    s->hub->setDatabase(db);
    QString error;
    const QMetaObject::Connection failed =
        QObject::connect(s->hub.get(), &gui::MetricsHub::readFailed,
                         [&error](const QString& message) { error = message; });
    if (!s->hub->setCurrentRun(job.run.id, &error))
        throw std::runtime_error("cannot read the run's metrics: " + error.toStdString());
    s->training->setHub(s->hub.get());
    s->routing->setRun(db, job.run.id);
    s->inference->setRun(db, job.run.id);
    s->rollouts->setRun(db, job.run.id);
    s->precision->setRun(db, job.run.id);
    // The reads run on the reader thread, the token view recomputes a rollout's routing and
    // the Inference page measures the draft's acceptance on worker threads; wait for all.
    const auto busy = [&s] {
        return !s->hub->reader()->isIdle() || s->routing->isBusy() || s->inference->isBusy() ||
               s->rollouts->isBusy() || s->precision->isBusy();
    };
    waitWhile(busy);
    if (job.measure_throughput && s->inference->measureThroughput()) waitWhile(busy);
    QCoreApplication::processEvents();
    QObject::disconnect(failed);
    if (!error.isEmpty())
        throw std::runtime_error("cannot read the run's metrics: " + error.toStdString());
    s->training->refreshAll();
    for (const QString& key : s->training->visibleChartKeys())
        s->trainingCharts.push_back(std::make_unique<gui::NamedFigure>(
            QStringLiteral("training-") + viz::Exporter::sanitizeFileName(key),
            s->training->chart(key)));
    g_session = std::move(s);
    return *g_session;
}

}  // namespace

void release_figure_pages() {
    g_session.reset();
    g_app.reset();
}

std::vector<std::string> export_figures(const ExportJob& job, const std::string& ext) {
    viz::ExportFormats formats;
    if (ext == "png")
        formats = viz::ExportFormat::Png;
    else if (ext == "svg")
        formats = viz::ExportFormat::Svg;
    else if (ext == "pdf")
        formats = viz::ExportFormat::Pdf;
    else
        throw std::invalid_argument("export_figures: unknown image format '" + ext + "'");

    FigureSession& session = sessionFor(job);
    if (!session.csvWritten) formats |= viz::ExportFormat::Csv;
    const QString dir = QString::fromStdString((job.out_dir / "figures").string());
    const viz::ExportReport report = viz::Exporter::exportAll(session.figures(), dir, formats);
    if (!report.ok())
        throw std::runtime_error("cannot write the figures: " +
                                 report.errors.join(QStringLiteral("; ")).toStdString());
    session.csvWritten = true;
    std::vector<std::string> files;
    for (const QString& path : report.written) files.push_back(path.toStdString());
    return files;
}

}  // namespace tinyseek::cli
