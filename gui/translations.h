// Loading the user-interface language. The .qm files are compiled from translations/*.ts at
// build time and embedded as resources under :/i18n (qt_add_translations in
// gui/CMakeLists.txt), so the program needs no files next to it.
#pragma once

#include <QString>

class QCoreApplication;
class QTranslator;

namespace tinyseek::gui {

// ":/i18n/tinyseek_<language>.qm"
QString translationResource(const QString& language);

// Installs the translators of `language` ("en" or "zh_CN") on the application: ours, and
// Qt's own (standard dialogs) when the system has them. "en" installs none, since the
// sources are English. Returns false, with the reason in `error`, if ours fails to load.
bool installTranslations(QCoreApplication& app, const QString& language, QString* error);

// The language passed to the last successful installTranslations() ("en" before any).
QString installedLanguage();

// Translates `source` of `context` into `language` without installing anything; used to
// show a message in the language the user just picked. Returns `source` when untranslated.
QString translateInto(const QString& language, const char* context, const char* source);

}  // namespace tinyseek::gui
