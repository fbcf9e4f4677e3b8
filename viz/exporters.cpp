#include "viz/exporters.h"

#include "viz/figure_painter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QLocale>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRectF>
#include <QSaveFile>
#include <QSet>
#include <QSvgGenerator>
#include <QTextStream>

#include <charconv>
#include <cmath>

namespace tinyseek::viz {

namespace {

// SVG and PDF use CSS pixels: 96 logical units per inch, so a 1000x600 figure is 1000x600 "px"
// in a browser and fonts given in points keep the size they have on a 96-dpi screen.
constexpr int kVectorDpi = 96;

QSize resolveSize(const Exportable& item, QSize size) {
    if (size.isEmpty()) size = item.defaultExportSize();
    return size.expandedTo(QSize(16, 16));
}

void setError(QString* error, const QString& message) {
    if (error) *error = message;
}

bool ensureParentDir(const QString& path, QString* error) {
    const QDir dir = QFileInfo(path).absoluteDir();
    if (dir.exists() || QDir().mkpath(dir.absolutePath())) return true;
    setError(error, Exporter::tr("Cannot create the folder %1").arg(dir.absolutePath()));
    return false;
}

}  // namespace

QString Exportable::csv() const {
    QString text;
    QTextStream out(&text);
    writeCsv(out);
    out.flush();
    return text;
}

bool Exporter::exportPng(Exportable& item, const QString& path, QSize size, qreal pixelRatio,
                         QString* error) {
    if (!ensureParentDir(path, error)) return false;
    size = resolveSize(item, size);
    if (!(pixelRatio > 0.0)) pixelRatio = 1.0;
    const QSize pixels(static_cast<int>(std::lround(size.width() * pixelRatio)),
                       static_cast<int>(std::lround(size.height() * pixelRatio)));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        setError(error, tr("Cannot allocate a %1 x %2 image for %3")
                            .arg(pixels.width())
                            .arg(pixels.height())
                            .arg(path));
        return false;
    }
    image.setDevicePixelRatio(pixelRatio);
    // The PNG's pHYs chunk: 96 dpi per logical pixel, so a 2x export prints at the size the
    // figure was laid out for (192 dpi) instead of twice as large.
    const int dotsPerMeter = static_cast<int>(std::lround(kVectorDpi * pixelRatio / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    const FigureThemeScope theme(exportFigureTheme());
    image.fill(figureBackground());
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        item.renderTo(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    }
    QImageWriter writer(path, "png");
    if (!writer.write(image)) {
        setError(error, tr("Cannot write %1: %2").arg(path, writer.errorString()));
        return false;
    }
    return true;
}

bool Exporter::exportSvg(Exportable& item, const QString& path, QSize size, QString* error) {
    if (!ensureParentDir(path, error)) return false;
    size = resolveSize(item, size);
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setResolution(kVectorDpi);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(item.title());
    generator.setDescription(tr("Exported by TinySeek Workbench"));
    QPainter painter;
    if (!painter.begin(&generator)) {
        setError(error, tr("Cannot write %1").arg(path));
        return false;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    const FigureThemeScope theme(exportFigureTheme());
    item.renderTo(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0) {
        setError(error, tr("Cannot write %1").arg(path));
        return false;
    }
    return true;
}

bool Exporter::exportPdf(Exportable& item, const QString& path, QSize size, QString* error) {
    if (!ensureParentDir(path, error)) return false;
    size = resolveSize(item, size);
    QPdfWriter writer(path);
    writer.setResolution(kVectorDpi);
    writer.setTitle(item.title());
    writer.setCreator(QStringLiteral("TinySeek Workbench"));
    // Page = the figure: logical pixels at 96 dpi -> points (1 pt = 1/72 in).
    const QSizeF points(size.width() * 72.0 / kVectorDpi, size.height() * 72.0 / kVectorDpi);
    writer.setPageLayout(
        QPageLayout(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch),
                    QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QPainter painter;
    if (!painter.begin(&writer)) {
        setError(error, tr("Cannot write %1").arg(path));
        return false;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    // The page may be a rounding off the requested size; map the figure onto the whole page.
    const QRect page = painter.viewport();
    painter.scale(page.width() / double(size.width()), page.height() / double(size.height()));
    const FigureThemeScope theme(exportFigureTheme());
    item.renderTo(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    return true;
}

bool Exporter::exportCsv(const Exportable& item, const QString& path, QString* error) {
    if (!ensureParentDir(path, error)) return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        setError(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    QTextStream out(&file);
    item.writeCsv(out);
    out.flush();
    if (out.status() != QTextStream::Ok || !file.commit()) {
        setError(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

ExportReport Exporter::exportAll(const QList<Exportable*>& items, const QString& directory,
                                 ExportFormats formats, QSize size, qreal pixelRatio) {
    ExportReport report;
    QDir dir(directory);
    if (!dir.exists() && !QDir().mkpath(directory)) {
        report.errors << tr("Cannot create the folder %1").arg(directory);
        return report;
    }
    QSet<QString> usedStems;
    for (Exportable* item : items) {
        if (!item) continue;
        const QString base = sanitizeFileName(item->title());
        QString stem = base;
        for (int n = 2; usedStems.contains(stem.toLower()); ++n)
            stem = base + QStringLiteral("_%1").arg(n);
        usedStems.insert(stem.toLower());

        auto run = [&](ExportFormat format, const QString& ext, auto&& write) {
            if (!formats.testFlag(format)) return;
            const QString path = dir.absoluteFilePath(stem + QLatin1Char('.') + ext);
            QString error;
            if (write(path, &error))
                report.written << path;
            else
                report.errors << error;
        };
        run(ExportFormat::Png, QStringLiteral("png"),
            [&](const QString& p, QString* e) { return exportPng(*item, p, size, pixelRatio, e); });
        run(ExportFormat::Svg, QStringLiteral("svg"),
            [&](const QString& p, QString* e) { return exportSvg(*item, p, size, e); });
        run(ExportFormat::Pdf, QStringLiteral("pdf"),
            [&](const QString& p, QString* e) { return exportPdf(*item, p, size, e); });
        run(ExportFormat::Csv, QStringLiteral("csv"),
            [&](const QString& p, QString* e) { return exportCsv(*item, p, e); });
    }
    return report;
}

QString Exporter::sanitizeFileName(const QString& title) {
    QString out;
    bool pendingSeparator = false;
    for (const QChar c : title) {
        const bool keep = c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') ||
                          c == QLatin1Char('.');
        if (keep) {
            if (pendingSeparator && !out.isEmpty()) out += QLatin1Char('_');
            pendingSeparator = false;
            out += c;
        } else {
            pendingSeparator = true;
        }
    }
    // No leading dots (hidden files, ".."), no trailing dots (invalid on Windows), and no
    // separators left dangling at either end.
    auto isTrim = [](QChar c) { return c == QLatin1Char('.') || c == QLatin1Char('_'); };
    while (!out.isEmpty() && isTrim(out.front())) out.remove(0, 1);
    while (!out.isEmpty() && isTrim(out.back())) out.chop(1);
    out.truncate(80);
    if (out.isEmpty()) out = QStringLiteral("figure");
    return out;
}

QString csvField(const QString& text) {
    const bool needsQuotes = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
                             text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'));
    if (!needsQuotes) return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(double value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString csvNumber(float value) {
    if (!std::isfinite(value)) return csvNumber(static_cast<double>(value));
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return QString::fromLatin1(buffer, static_cast<int>(result.ptr - buffer));
}

}  // namespace tinyseek::viz
