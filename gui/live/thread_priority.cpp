#include "gui/live/thread_priority.h"

#include <algorithm>
#include <cerrno>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace tinyseek::gui {

void lowerCurrentThreadPriority() {
#ifdef __linux__
    const auto tid = static_cast<id_t>(gettid());
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        setpriority(PRIO_PROCESS, tid, std::min(19, current + kBackgroundNiceIncrement));
#endif
}

}  // namespace tinyseek::gui
