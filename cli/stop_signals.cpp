#include "cli/stop_signals.h"

#include <atomic>

namespace tinyseek::cli {

namespace {

// Set by the handler (a lock-free atomic store is async-signal-safe); the command's own
// thread reads it and stops, since what stopping takes (mutexes, I/O) cannot run in a handler.
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int signo) {
    g_signal.store(signo);
}

}  // namespace

int stop_signal() {
    return g_signal.load();
}

StopSignals::StopSignals() {
    g_signal.store(0);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
}

}  // namespace tinyseek::cli
