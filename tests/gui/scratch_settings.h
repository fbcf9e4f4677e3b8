// GUI tests never read or write the user's real settings or folders: QStandardPaths in test
// mode, and QSettings (native and INI) under a scratch folder, for an application name of the
// test program's own.
#pragma once

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

inline void useScratchSettings(const QString& folder, const QString& applicationName) {
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, folder);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
    QCoreApplication::setOrganizationName(QStringLiteral("TinySeekTest"));
    QCoreApplication::setApplicationName(applicationName);
}
