#include "gui/live/latency_probe.h"

#include <algorithm>
#include <cmath>

namespace tinyseek::gui {

LatencyProbe::LatencyProbe(int intervalMs, QObject* parent)
    : QObject(parent), m_intervalMs(std::max(1, intervalMs)) {
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &LatencyProbe::onTimeout);
}

void LatencyProbe::start() {
    if (!m_clock.isValid()) m_clock.start();
    m_armedNs = m_clock.nsecsElapsed();
    m_timer.start(m_intervalMs);
}

void LatencyProbe::stop() {
    m_timer.stop();
}

void LatencyProbe::onTimeout() {
    const double waitedMs = double(m_clock.nsecsElapsed() - m_armedNs) / 1e6;
    m_samples.push_back(std::max(0.0, waitedMs - m_intervalMs));
    start();
}

double LatencyProbe::maximum() const {
    return m_samples.empty() ? 0.0 : *std::max_element(m_samples.begin(), m_samples.end());
}

double LatencyProbe::percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    // Nearest rank: ceil(p/100 * N), 1-based, at least 1.
    const double rank = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * double(values.size()));
    const std::size_t index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
    return values[std::min(index, values.size() - 1)];
}

}  // namespace tinyseek::gui
