#include "gui/database_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <exception>

#include "training/run_store.h"

namespace tinyseek::gui {

QString DatabaseFile::check(const QString& path) {
    if (path.isEmpty()) return tr("No database file was given.");
    const QFileInfo info(path);
    if (!info.exists()) return tr("The database file '%1' does not exist.").arg(path);
    if (!info.isFile()) return tr("'%1' is not a file.").arg(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("The database file '%1' cannot be read: %2").arg(path, file.errorString());
    if (file.size() == 0) return QString();
    // Every SQLite 3 database starts with this 16-byte string (sqlite.org/fileformat.html).
    static const QByteArray kHeader("SQLite format 3\0", 16);
    if (file.read(kHeader.size()) != kHeader)
        return tr("'%1' is not an SQLite database (it does not start with the SQLite 3 header).")
            .arg(path);
    return QString();
}

QString DatabaseFile::migrateIfOlder(const QString& path) {
    const std::string file = path.toStdString();
    try {
        RunStore probe(file, {.read_only = true, .integrity_check = false});
        return QString();  // readable as it is
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::older_schema) return QString();
    } catch (const std::exception&) {
        return QString();
    }
    try {
        RunStore migrated(file);  // a writable open runs the missing migrations
        return QString();
    } catch (const std::exception& e) {
        return tr("The database '%1' was written by an earlier version and could not be "
                  "updated to this one: %2")
            .arg(path, QString::fromUtf8(e.what()));
    }
}

QString DatabaseFile::checkpointDir(const QString& dbPath, const std::string& stored) {
    const QString dir = QString::fromStdString(stored);
    if (!QFileInfo(dir).isRelative()) return dir;
    return QDir(QFileInfo(dbPath).absolutePath()).absoluteFilePath(dir);
}

}  // namespace tinyseek::gui
