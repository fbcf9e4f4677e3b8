// `tinyseek --measure-latency SECONDS`: how responsive the window stays while a run trains at
// full speed. Starts a run through the window (the same path as the toolbar), waits for its
// first step, then probes the GUI thread's event loop (LatencyProbe, 10 ms timer) for the
// given time with the Training page in front, and stops the run. Before the run, the idle
// window is probed for a few seconds as a baseline.
#pragma once

#include <QString>

namespace tinyseek {
struct TrainConfig;
}

namespace tinyseek::gui {

class MainWindow;

struct LatencyReport {
    bool ok = false;
    QString error;         // why no measurement was made
    double seconds = 0.0;  // probed wall time
    qint64 samples = 0;    // timer ticks observed
    double p50Ms = 0.0;    // median lateness of the 10 ms timer
    double p99Ms = 0.0;
    double maxMs = 0.0;
    // The same probe on the idle window just before the run starts: what the machine itself
    // (other processes, the compositor) costs, to tell apart from what training costs.
    double idleP50Ms = 0.0;
    double idleP99Ms = 0.0;
    // GUI-thread time of the hub's flushes during the run (integrating steps + page updates).
    double flushMeanMs = 0.0;
    double flushMaxMs = 0.0;
    qint64 stepsDuring = 0;    // training steps that reached the hub while probing
    qint64 batchesDuring = 0;  // hub flushes (coalesced deliveries) while probing
    int threads = 0;           // OpenMP threads of the run (0 = all cores)

    QString toJson() const;
};

// `window` must have a database open.
LatencyReport measureLatencyDuringRun(MainWindow& window, const TrainConfig& config,
                                      double seconds);

}  // namespace tinyseek::gui
