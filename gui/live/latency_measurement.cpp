#include "gui/live/latency_measurement.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include "gui/live/latency_probe.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/main_window.h"
#include "training/train_config.h"

namespace tinyseek::gui {

QString LatencyReport::toJson() const {
    QJsonObject o;
    o.insert(QStringLiteral("ok"), ok);
    if (!ok) o.insert(QStringLiteral("error"), error);
    o.insert(QStringLiteral("seconds"), seconds);
    o.insert(QStringLiteral("samples"), samples);
    o.insert(QStringLiteral("p50_ms"), p50Ms);
    o.insert(QStringLiteral("p99_ms"), p99Ms);
    o.insert(QStringLiteral("max_ms"), maxMs);
    o.insert(QStringLiteral("steps_during"), stepsDuring);
    o.insert(QStringLiteral("batches_during"), batchesDuring);
    o.insert(QStringLiteral("threads"), threads);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

LatencyReport measureLatencyDuringRun(MainWindow& window, const TrainConfig& config,
                                      double seconds) {
    LatencyReport report;
    report.threads = config.threads;
    MetricsHub* hub = window.metricsHub();
    qint64 steps = 0;
    const QMetaObject::Connection counter =
        QObject::connect(hub, &MetricsHub::stepsArrived, hub,
                         [&steps](const QList<StepReport>& batch) { steps += batch.size(); });
    if (!window.startRun(config)) {
        report.error = QStringLiteral("the run could not start");
        QObject::disconnect(counter);
        return report;
    }
    RunController* controller = window.runController();
    // Waits in a real event loop (not a processEvents spin, which would burn a core) until
    // `quitOn` fires, the run ends, or `ms` pass.
    const auto waitFor = [controller](auto* sender, auto signal, int ms) {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        QObject::connect(sender, signal, &loop, &QEventLoop::quit);
        QObject::connect(controller, &RunController::runFinished, &loop, &QEventLoop::quit);
        loop.exec();
    };
    // The first step, up to a minute: model setup is not what is measured.
    if (steps == 0) waitFor(hub, &MetricsHub::stepsArrived, 60000);
    if (steps == 0) {
        report.error = QStringLiteral("no training step within 60 s");
        controller->stopAndWait();
        QObject::disconnect(counter);
        return report;
    }
    LatencyProbe probe(10);
    const qint64 stepsBefore = steps;
    const qint64 flushesBefore = hub->flushCount();
    probe.start();
    waitFor(controller, &RunController::runFinished, static_cast<int>(seconds * 1000.0));
    probe.stop();
    report.seconds = seconds;
    report.samples = static_cast<qint64>(probe.samples().size());
    report.p50Ms = probe.percentile(50.0);
    report.p99Ms = probe.percentile(99.0);
    report.maxMs = probe.maximum();
    report.stepsDuring = steps - stepsBefore;
    report.batchesDuring = hub->flushCount() - flushesBefore;
    report.ok = report.samples > 0;
    if (!report.ok) report.error = QStringLiteral("the probe recorded no samples");
    controller->stopAndWait();
    QObject::disconnect(counter);
    return report;
}

}  // namespace tinyseek::gui
