// Help > About: what TinySeek Workbench is, the versions it was built with (app, Qt, Eigen,
// SQLite, build type) and its licence. The versions come from the libraries themselves
// (qVersion(), EIGEN_*_VERSION, sqlite3_libversion()), not from hand-written strings.
#pragma once

#include <QDialog>
#include <QString>

namespace tinyseek::gui {

struct VersionInfo {
    QString app;        // TINYSEEK_VERSION, e.g. "0.1.0"
    QString qtRuntime;  // qVersion(): the Qt library actually loaded
    QString qtBuild;    // QT_VERSION_STR: the Qt headers compiled against
    QString eigen;      // "3.4.0"
    QString sqlite;     // sqlite3_libversion()
    QString buildType;  // CMAKE_BUILD_TYPE, e.g. "Release"
};

VersionInfo versionInfo();

class AboutDialog : public QDialog {
    Q_OBJECT

  public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The text of the versions table, one "name: version" per line (also offered to copy,
    // so bug reports carry exact versions).
    static QString versionsText();
};

}  // namespace tinyseek::gui
