// Waiting for the reads a page or the MetricsHub asked the RunReader for: they run on its
// thread and answer through the event loop, so a test lets the loop run until none is left.
#pragma once

#include <QTest>

#include "gui/live/run_reader.h"

inline bool waitForReads(const tinyseek::gui::RunReader& reader, int timeoutMs = 20000) {
    return QTest::qWaitFor([&reader] { return reader.isIdle(); }, timeoutMs);
}
