// Application colour themes (figures follow: viz::setScreenFigureTheme). Qt 6.4 has no
// colour-scheme query (QStyleHints::colorScheme arrived in 6.5), so "System" means the palette the
// platform gave us at start-up, and Light/Dark are explicit palettes on the Fusion style (which
// honours every palette role).
#pragma once

#include <QString>

class QApplication;

namespace tinyseek::gui {

enum class Theme { System, Light, Dark };

// "system", "light", "dark"; used in QSettings and on the command line.
QString themeKey(Theme theme);
// Parses a key; returns false (and leaves `theme` alone) for anything else.
bool themeFromKey(const QString& key, Theme& theme);

// Sets the Fusion style and the palette of `theme` on the application. The first call
// remembers the platform palette so that Theme::System can restore it later.
void applyTheme(QApplication& app, Theme theme);

// True when the current application palette has a dark window background; chart pages use
// it to pick a matching chart theme.
bool isDarkPalette();

}  // namespace tinyseek::gui
