// LatencyProbe: measures how late the GUI thread's event loop serves a timer. It arms a
// single-shot precise timer for `intervalMs`, and when it fires records
//     lateness = (time since armed) - intervalMs      (milliseconds, clamped at 0)
// then re-arms. A loop blocked for 80 ms by a long slot shows up as one ~80 ms sample; a
// responsive loop stays within a millisecond or two. Used by `tinyseek --measure-latency`.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

namespace tinyseek::gui {

class LatencyProbe : public QObject {
    Q_OBJECT

  public:
    explicit LatencyProbe(int intervalMs = 10, QObject* parent = nullptr);

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    void clear() { m_samples.clear(); }

    const std::vector<double>& samples() const { return m_samples; }  // milliseconds
    double percentile(double p) const { return percentile(m_samples, p); }
    double maximum() const;

    // Nearest-rank percentile (p in [0, 100]) of `values`: the smallest value with at least
    // p % of the values at or below it. 0 for an empty set.
    static double percentile(std::vector<double> values, double p);

  private:
    void onTimeout();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_armedNs = 0;
    std::vector<double> m_samples;
};

}  // namespace tinyseek::gui
