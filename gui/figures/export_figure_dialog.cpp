#include "gui/figures/export_figure_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

#include "gui/figures/figure_export.h"
#include "viz/exporters.h"
#include "viz/figure_painter.h"

namespace tinyseek::gui {

ExportFigureDialog::ExportFigureDialog(viz::Exportable& figure, const QString& initialPath,
                                       QWidget* parent)
    : QDialog(parent), m_figure(figure) {
    setWindowTitle(tr("Export Chart"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;

    auto* fileRow = new QHBoxLayout;
    m_path = new QLineEdit(initialPath, this);
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_path->setMinimumWidth(360);
    m_path->setToolTip(tr("The extension chooses the format: .png, .svg, .pdf or .csv"));
    auto* browseButton = new QPushButton(tr("Browse…"), this);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browseButton);
    form->addRow(tr("File:"), fileRow);

    auto* sizeRow = new QHBoxLayout;
    const QSize size = figure.defaultExportSize();
    m_width = new QSpinBox(this);
    m_width->setRange(100, 10000);
    m_width->setValue(size.width());
    m_width->setSuffix(tr(" px"));
    m_height = new QSpinBox(this);
    m_height->setRange(100, 10000);
    m_height->setValue(size.height());
    m_height->setSuffix(tr(" px"));
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(m_height);
    sizeRow->addStretch(1);
    form->addRow(tr("Size:"), sizeRow);

    m_ratio = new QComboBox(this);
    for (int r : {1, 2, 3, 4}) m_ratio->addItem(tr("%1×").arg(r), r);
    m_ratio->setCurrentIndex(1);  // 2x
    m_ratio->setToolTip(tr("Image pixels per size pixel (PNG only)"));
    m_pixels = new QLabel(this);
    auto* ratioRow = new QHBoxLayout;
    ratioRow->addWidget(m_ratio);
    ratioRow->addWidget(m_pixels, 1);
    form->addRow(tr("PNG scale:"), ratioRow);
    m_background = new QComboBox(this);
    m_background->setObjectName(QStringLiteral("exportBackground"));
    m_background->addItems({tr("White (for documents)"), tr("Dark (as on screen in dark mode)")});
    form->addRow(tr("Background:"), m_background);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ExportFigureDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browseButton, &QPushButton::clicked, this, &ExportFigureDialog::browse);
    connect(m_path, &QLineEdit::textChanged, this, &ExportFigureDialog::updateForFormat);
    for (QSpinBox* s : {m_width, m_height})
        connect(s, &QSpinBox::valueChanged, this, &ExportFigureDialog::updateForFormat);
    connect(m_ratio, &QComboBox::currentIndexChanged, this, &ExportFigureDialog::updateForFormat);
    updateForFormat();
}

QString ExportFigureDialog::path() const {
    return m_path->text().trimmed();
}

void ExportFigureDialog::setPath(const QString& path) {
    m_path->setText(path);
}

QSize ExportFigureDialog::figureSize() const {
    return QSize(m_width->value(), m_height->value());
}

void ExportFigureDialog::setFigureSize(const QSize& size) {
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}

double ExportFigureDialog::pixelRatio() const {
    return m_ratio->currentData().toDouble();
}

void ExportFigureDialog::setPixelRatio(double ratio) {
    const int index = m_ratio->findData(static_cast<int>(std::lround(ratio)));
    if (index >= 0) m_ratio->setCurrentIndex(index);
}

void ExportFigureDialog::browse() {
    const QString png = tr("PNG image (*.png)");
    const QString svg = tr("SVG vector image (*.svg)");
    const QString pdf = tr("PDF document (*.pdf)");
    const QString csv = tr("CSV data (*.csv)");
    QString filter = png;
    const QString suffix = QFileInfo(path()).suffix().toLower();
    if (suffix == QLatin1String("svg")) filter = svg;
    if (suffix == QLatin1String("pdf")) filter = pdf;
    if (suffix == QLatin1String("csv")) filter = csv;
    QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export Chart"), path(),
        QStringList{png, svg, pdf, csv}.join(QStringLiteral(";;")), &filter);
    if (chosen.isEmpty()) return;
    if (QFileInfo(chosen).suffix().isEmpty()) {
        if (filter == svg)
            chosen += QStringLiteral(".svg");
        else if (filter == pdf)
            chosen += QStringLiteral(".pdf");
        else if (filter == csv)
            chosen += QStringLiteral(".csv");
        else
            chosen += QStringLiteral(".png");
    }
    m_path->setText(chosen);
}

void ExportFigureDialog::updateForFormat() {
    const QString suffix = QFileInfo(path()).suffix().toLower();
    const bool image = suffix != QLatin1String("csv");
    const bool png = suffix == QLatin1String("png");
    m_width->setEnabled(image);
    m_height->setEnabled(image);
    m_ratio->setEnabled(png);
    m_pixels->setText(png ? tr("%1 × %2 image pixels")
                                .arg(std::lround(m_width->value() * pixelRatio()))
                                .arg(std::lround(m_height->value() * pixelRatio()))
                          : QString());
}

bool ExportFigureDialog::darkBackground() const {
    return m_background->currentIndex() == 1;
}

void ExportFigureDialog::setDarkBackground(bool dark) {
    m_background->setCurrentIndex(dark ? 1 : 0);
}

QString ExportFigureDialog::exportNow() {
    const viz::FigureTheme saved = viz::exportFigureTheme();
    viz::setExportFigureTheme(darkBackground() ? viz::FigureTheme::Dark : viz::FigureTheme::Light);
    const QString error =
        FigureExport::writeByExtension(m_figure, path(), figureSize(), pixelRatio());
    viz::setExportFigureTheme(saved);
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    return error;
}

void ExportFigureDialog::accept() {
    if (path().isEmpty()) {
        m_error->setText(tr("Choose a file to write."));
        m_error->show();
        return;
    }
    if (exportNow().isEmpty()) QDialog::accept();
}

}  // namespace tinyseek::gui
