// Everything the workbench remembers between sessions, in one place: theme, language,
// window geometry and dock layout, the last and the recent databases, and each page's view
// per database. Thin typed accessors
// over QSettings (organisation/application names are set in main.cpp), so keys and
// defaults are not scattered over the widgets.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "gui/theme.h"

namespace tinyseek::gui {

class AppSettings {
  public:
    static constexpr int kMaxRecentDatabases = 8;

    AppSettings() = default;

    Theme theme() const;
    void setTheme(Theme theme);

    // "en" or "zh_CN"; empty when the user never chose (then the system locale decides).
    QString language() const;
    void setLanguage(const QString& language);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    void clearWindowLayout();

    QString lastDatabase() const;
    // Makes `path` the last database and moves it to the front of the recent list.
    void setLastDatabase(const QString& path);
    QStringList recentDatabases() const;  // most recent first, at most kMaxRecentDatabases
    void clearRecentDatabases();
    // The run last shown from `database` (0 = none), so a later launch reopens it.
    qint64 lastRun(const QString& database) const;
    void setLastRun(const QString& database, qint64 runId);

    // A page's view (smoothing, axis modes, filters, ...) as the page saved it for `database`;
    // empty when none was saved.
    QVariantMap pageView(const QString& database, const QString& page) const;
    void setPageView(const QString& database, const QString& page, const QVariantMap& view);

    // Layouts saved under a name (View > Layouts): the window state and the pages' views,
    // as MainWindow::saveNamedLayout writes them. Names in alphabetical order.
    QStringList layoutNames() const;
    QVariantMap namedLayout(const QString& name) const;  // empty when there is none
    void setNamedLayout(const QString& name, const QVariantMap& layout);

    void sync() { m_settings.sync(); }

  private:
    QSettings m_settings;
};

// The languages the workbench ships: "en" and "zh_CN".
QStringList supportedLanguages();
// The language to use: `override` if given, else the stored choice, else the system locale
// ("zh_CN" for any Chinese locale, "en" otherwise).
QString effectiveLanguage(const QString& stored, const QString& override = QString());

}  // namespace tinyseek::gui
