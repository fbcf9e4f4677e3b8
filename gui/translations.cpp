#include "gui/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace tinyseek::gui {

namespace {
QString g_installedLanguage = QStringLiteral("en");
}  // namespace

QString translationResource(const QString& language) {
    return QStringLiteral(":/i18n/tinyseek_%1.qm").arg(language);
}

bool installTranslations(QCoreApplication& app, const QString& language, QString* error) {
    if (language == QLatin1String("en")) {
        g_installedLanguage = language;
        return true;
    }
    auto* ours = new QTranslator(&app);
    if (!ours->load(translationResource(language))) {
        delete ours;
        if (error) *error = QStringLiteral("cannot load %1").arg(translationResource(language));
        return false;
    }
    app.installTranslator(ours);
    // Qt's own strings (file dialog, standard buttons) come from qtbase_<lang>.qm, which
    // Debian ships in qt6-translations-l10n; without it those few stay in English.
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    QLocale::setDefault(QLocale(language));
    g_installedLanguage = language;
    return true;
}

QString installedLanguage() {
    return g_installedLanguage;
}

QString translateInto(const QString& language, const char* context, const char* source) {
    QTranslator translator;
    if (language != QLatin1String("en") && translator.load(translationResource(language))) {
        const QString text = translator.translate(context, source);
        if (!text.isEmpty()) return text;
    }
    return QString::fromUtf8(source);
}

}  // namespace tinyseek::gui
