// A one-line terminal progress display for long commands: "step 120/500  38.2 steps/s  ETA 9s".
// It draws only when stderr is a terminal, so logs and pipes stay quiet.
#pragma once

#include <chrono>
#include <string>

namespace tinyseek::cli {

class ProgressLine {
  public:
    explicit ProgressLine(std::string label, long long total);
    ~ProgressLine();
    // Redraws at most ~10 times per second; `extra` is appended (e.g. "loss 1.23").
    void update(long long done, const std::string& extra = "");
    void finish();
    bool enabled() const { return enabled_; }

  private:
    std::string label_;
    long long total_;
    bool enabled_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

std::string format_duration(double seconds);

}  // namespace tinyseek::cli
