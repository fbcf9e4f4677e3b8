// One export path for every figure: PNG, SVG, PDF through the same paint code, and CSV of the
// full data behind it. Works headless (offscreen platform) without showing any widget.
#pragma once

#include <QCoreApplication>
#include <QFlags>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

class QPainter;
class QRectF;
class QTextStream;

namespace tinyseek::viz {

// A figure that can be exported. Widgets implement it; the exporter never needs their type.
class Exportable {
  public:
    virtual ~Exportable() = default;

    // Figure title; also the base of exported file names.
    virtual QString title() const = 0;
    // Paints the complete figure (title, axes, labels, legend) into `target`, in the painter's
    // logical coordinates. Must not depend on the widget being shown or on its current size.
    virtual void renderTo(QPainter& painter, const QRectF& target) = 0;
    // Writes ALL data behind the figure (not decimated, never truncated) as CSV with a header.
    virtual void writeCsv(QTextStream& out) const = 0;
    // Logical size used when the caller does not choose one.
    virtual QSize defaultExportSize() const { return QSize(1000, 600); }

    // writeCsv() into a string.
    QString csv() const;
};

enum class ExportFormat { Png = 0x1, Svg = 0x2, Pdf = 0x4, Csv = 0x8 };
Q_DECLARE_FLAGS(ExportFormats, ExportFormat)
Q_DECLARE_OPERATORS_FOR_FLAGS(ExportFormats)

struct ExportReport {
    QStringList written;  // absolute paths of the files written
    QStringList errors;   // one message per failed file
    bool ok() const { return errors.isEmpty(); }
};

class Exporter {
    Q_DECLARE_TR_FUNCTIONS(Exporter)

  public:
    // `size` is the logical size (an empty size means item.defaultExportSize()). The PNG has
    // size * pixelRatio pixels and records the ratio, so text stays sharp at 2x by default.
    // Each returns false and sets *error (if given) with the path and reason on failure.
    static bool exportPng(Exportable& item, const QString& path, QSize size = QSize(),
                          qreal pixelRatio = 2.0, QString* error = nullptr);
    // SVG whose width/height are the logical size at 96 dpi (CSS pixels), with a view box of
    // the same size, so it opens at the intended size in browsers and editors.
    static bool exportSvg(Exportable& item, const QString& path, QSize size = QSize(),
                          QString* error = nullptr);
    // One-page PDF whose page is the logical size at 96 dpi, no margins.
    static bool exportPdf(Exportable& item, const QString& path, QSize size = QSize(),
                          QString* error = nullptr);
    static bool exportCsv(const Exportable& item, const QString& path, QString* error = nullptr);

    // Writes every item in every requested format into `directory` (created if missing) as
    // "<sanitized title>.<ext>"; clashing names get "_2", "_3", ... Continues after a failure.
    static ExportReport exportAll(const QList<Exportable*>& items, const QString& directory,
                                  ExportFormats formats = ExportFormats(0xF), QSize size = QSize(),
                                  qreal pixelRatio = 2.0);

    // A file name stem from a title: letters, digits, '-', '_' and '.' kept (Unicode letters
    // too), runs of anything else become one '_', leading/trailing '.' and '_' trimmed, at most 80
    // chars, never empty.
    static QString sanitizeFileName(const QString& title);
};

// CSV helpers shared by the widgets' writeCsv().
// RFC 4180 field: quoted (with doubled quotes) when it contains a comma, quote or newline.
QString csvField(const QString& text);
// Shortest text that reads back to the same double; "nan"/"inf"/"-inf" for non-finite values.
QString csvNumber(double value);
// Same for a float: the shortest text that reads back to the same float ("1.85", not
// "1.850000023841858").
QString csvNumber(float value);

}  // namespace tinyseek::viz
