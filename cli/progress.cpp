#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace tinyseek::cli {

std::string format_duration(double s) {
    if (!(s >= 0)) return "?";
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
    else
        std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, (int(s) % 3600) / 60);
    return buf;
}

ProgressLine::ProgressLine(std::string label, long long total)
    : label_(std::move(label)),
      total_(total),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() {
    finish();
}

void ProgressLine::update(long long done, const std::string& extra) {
    if (!enabled_ || finished_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0.0;
    const double eta = rate > 0 ? (total_ - done) / rate : -1.0;
    std::fprintf(stderr, "\r\033[K%s %lld/%lld  %.1f/s  ETA %s  %s", label_.c_str(), done, total_,
                 rate, format_duration(eta).c_str(), extra.c_str());
    std::fflush(stderr);
}

void ProgressLine::finish() {
    if (!enabled_ || finished_) return;
    finished_ = true;
    std::fputs("\n", stderr);
}

}  // namespace tinyseek::cli
