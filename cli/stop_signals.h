// Ctrl-C and SIGTERM as a request to stop cleanly: a long command (train, import --follow)
// installs StopSignals for its lifetime and polls stop_signal() between units of work, so what
// it has written stays whole. SA_RESETHAND: a second Ctrl-C kills the program at once, as users
// expect.
#pragma once

#include <signal.h>

namespace tinyseek::cli {

// The signal received since StopSignals was installed, 0 while none.
int stop_signal();

// Installs the handlers and restores the previous ones when destroyed.
class StopSignals {
  public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

  private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

}  // namespace tinyseek::cli
