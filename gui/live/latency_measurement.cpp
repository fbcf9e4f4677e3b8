#include "gui/live/latency_measurement.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>

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
    o.insert(QStringLiteral("idle_p50_ms"), idleP50Ms);
    o.insert(QStringLiteral("idle_p99_ms"), idleP99Ms);
    o.insert(QStringLiteral("flush_mean_ms"), flushMeanMs);
    o.insert(QStringLiteral("flush_max_ms"), flushMaxMs);
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
    {
        // Baseline: the idle window, for a quarter of the measured time (1..5 s).
        LatencyProbe idle(10);
        QEventLoop loop;
        QTimer::singleShot(static_cast<int>(std::clamp(seconds * 250.0, 1000.0, 5000.0)), &loop,
                           &QEventLoop::quit);
        idle.start();
        loop.exec();
        idle.stop();
        report.idleP50Ms = idle.percentile(50.0);
        report.idleP99Ms = idle.percentile(99.0);
    }
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
    const MetricsHub::FlushStats statsBefore = hub->flushStats();
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
    const MetricsHub::FlushStats stats = hub->flushStats();
    if (stats.count > statsBefore.count)
        report.flushMeanMs =
            (stats.totalMs - statsBefore.totalMs) / double(stats.count - statsBefore.count);
    report.flushMaxMs = stats.maxMs;
    report.ok = report.samples > 0;
    if (!report.ok) report.error = QStringLiteral("the probe recorded no samples");
    controller->stopAndWait();
    QObject::disconnect(counter);
    return report;
}

}  // namespace tinyseek::gui
