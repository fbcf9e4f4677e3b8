// Work the window starts in the background should take whatever CPU the window does not
// need, not compete with it (docs/ARCHITECTURE.md "Threading rules").
#pragma once

namespace tinyseek::gui {

// Lowers the calling thread's priority by kBackgroundNiceIncrement (nice + 5). On Linux nice
// is a per-thread attribute inherited by threads created later, so an OpenMP team the thread
// starts inherits it too. With idle cores this changes nothing; under contention the GUI
// thread is scheduled first. Elsewhere it does nothing.
inline constexpr int kBackgroundNiceIncrement = 5;
void lowerCurrentThreadPriority();

}  // namespace tinyseek::gui
