#include "gui/app_settings.h"

#include <QDir>
#include <QLocale>

namespace tinyseek::gui {

namespace {
const QString kTheme = QStringLiteral("appearance/theme");
const QString kLanguage = QStringLiteral("appearance/language");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kLastDatabase = QStringLiteral("databases/last");
const QString kRecentDatabases = QStringLiteral("databases/recent");
const QString kLastRuns = QStringLiteral("databases/lastRuns");
}  // namespace

Theme AppSettings::theme() const {
    Theme theme = Theme::System;
    themeFromKey(m_settings.value(kTheme).toString(), theme);
    return theme;
}

void AppSettings::setTheme(Theme theme) {
    m_settings.setValue(kTheme, themeKey(theme));
}

QString AppSettings::language() const {
    const QString value = m_settings.value(kLanguage).toString();
    return supportedLanguages().contains(value) ? value : QString();
}

void AppSettings::setLanguage(const QString& language) {
    m_settings.setValue(kLanguage, language);
}

QByteArray AppSettings::windowGeometry() const {
    return m_settings.value(kGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry) {
    m_settings.setValue(kGeometry, geometry);
}

QByteArray AppSettings::windowState() const {
    return m_settings.value(kState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray& state) {
    m_settings.setValue(kState, state);
}

void AppSettings::clearWindowLayout() {
    m_settings.remove(kGeometry);
    m_settings.remove(kState);
}

QString AppSettings::lastDatabase() const {
    return m_settings.value(kLastDatabase).toString();
}

void AppSettings::setLastDatabase(const QString& path) {
    const QString clean = QDir::cleanPath(path);
    m_settings.setValue(kLastDatabase, clean);
    QStringList recent = recentDatabases();
    recent.removeAll(clean);
    recent.prepend(clean);
    while (recent.size() > kMaxRecentDatabases) recent.removeLast();
    m_settings.setValue(kRecentDatabases, recent);
}

QStringList AppSettings::recentDatabases() const {
    QStringList recent = m_settings.value(kRecentDatabases).toStringList();
    recent.removeAll(QString());
    while (recent.size() > kMaxRecentDatabases) recent.removeLast();
    return recent;
}

void AppSettings::clearRecentDatabases() {
    m_settings.remove(kRecentDatabases);
}

qint64 AppSettings::lastRun(const QString& database) const {
    return m_settings.value(kLastRuns).toMap().value(QDir::cleanPath(database)).toLongLong();
}

QStringList AppSettings::layoutNames() const {
    QStringList names = m_settings.value(QStringLiteral("layouts/named")).toMap().keys();
    names.sort(Qt::CaseInsensitive);
    return names;
}

QVariantMap AppSettings::namedLayout(const QString& name) const {
    return m_settings.value(QStringLiteral("layouts/named")).toMap().value(name).toMap();
}

void AppSettings::setNamedLayout(const QString& name, const QVariantMap& layout) {
    QVariantMap layouts = m_settings.value(QStringLiteral("layouts/named")).toMap();
    layouts.insert(name, layout);
    m_settings.setValue(QStringLiteral("layouts/named"), layouts);
}

QVariantMap AppSettings::pageView(const QString& database, const QString& page) const {
    return m_settings.value(QStringLiteral("views/") + page)
        .toMap()
        .value(QDir::cleanPath(database))
        .toMap();
}

void AppSettings::setPageView(const QString& database, const QString& page,
                              const QVariantMap& view) {
    // Keyed by the database inside one map per page: file paths are not valid QSettings keys.
    const QString key = QStringLiteral("views/") + page;
    QVariantMap views = m_settings.value(key).toMap();
    views.insert(QDir::cleanPath(database), view);
    m_settings.setValue(key, views);
}

void AppSettings::setLastRun(const QString& database, qint64 runId) {
    // One entry per database, as a map value: file paths are not valid QSettings keys.
    QVariantMap runs = m_settings.value(kLastRuns).toMap();
    if (runId > 0)
        runs.insert(QDir::cleanPath(database), runId);
    else
        runs.remove(QDir::cleanPath(database));
    m_settings.setValue(kLastRuns, runs);
}

QStringList supportedLanguages() {
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString effectiveLanguage(const QString& stored, const QString& override) {
    if (supportedLanguages().contains(override)) return override;
    if (supportedLanguages().contains(stored)) return stored;
    return QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN")
                                                            : QStringLiteral("en");
}

}  // namespace tinyseek::gui
