// Checks that a path names a file the workbench can open as its run database, before the
// path is remembered or shown: it must exist, be a readable regular file, and be an SQLite 3
// database (its 16-byte header) or empty (SQLite treats an empty file as a new database).
#pragma once

#include <string>

#include <QCoreApplication>
#include <QString>

namespace tinyseek::gui {

class DatabaseFile {
    Q_DECLARE_TR_FUNCTIONS(DatabaseFile)

  public:
    // Empty when `path` can be opened; otherwise a translated sentence naming the path and
    // what is wrong with it.
    static QString check(const QString& path);
    // Brings a database written by an earlier version to the current schema (one writable
    // open; every read of the window is read-only and cannot migrate, so such a file would
    // show no runs). Empty when nothing was needed or the migration succeeded; otherwise a
    // translated sentence (a locked or read-only file, say). Other problems are left to the
    // reads that follow, which report them as before.
    static QString migrateIfOlder(const QString& path);
    // A checkpoint folder as the database at `dbPath` stores it, made absolute against the
    // database's folder (relative paths keep a database and its checkpoints movable).
    static QString checkpointDir(const QString& dbPath, const std::string& stored);
};

}  // namespace tinyseek::gui
