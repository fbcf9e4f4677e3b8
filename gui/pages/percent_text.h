// A share as a percentage with one decimal in the user's locale ("98.6%"), "n/a" when not a
// number: pages that quote accuracies and rates use it so they read alike.
#pragma once

#include <QLocale>
#include <QString>

#include <cmath>

namespace tinyseek::gui {

inline QString percentText(double share) {
    return std::isfinite(share) ? QLocale().toString(100.0 * share, 'f', 1) + QLatin1Char('%')
                                : QStringLiteral("n/a");
}

}  // namespace tinyseek::gui
