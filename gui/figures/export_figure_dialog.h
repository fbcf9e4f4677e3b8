// ExportFigureDialog: where and how to export one figure: the file (its extension picks the
// format: PNG, SVG, PDF or CSV), the logical size in pixels (the figure's default to start
// with) and, for PNG, the pixel ratio (2x by default, so text stays sharp on high-density
// screens and in print), and the background: white for documents (the default) or dark, as
// the figure looks on screen in the dark theme.
#pragma once

#include <QDialog>
#include <QSize>
#include <QString>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tinyseek::viz {
class Exportable;
}

namespace tinyseek::gui {

class ExportFigureDialog : public QDialog {
    Q_OBJECT

  public:
    ExportFigureDialog(viz::Exportable& figure, const QString& initialPath,
                       QWidget* parent = nullptr);

    QString path() const;
    void setPath(const QString& path);
    QSize figureSize() const;
    void setFigureSize(const QSize& size);
    double pixelRatio() const;
    void setPixelRatio(double ratio);
    bool darkBackground() const;
    void setDarkBackground(bool dark);

    // Writes the file now; empty on success, otherwise the reason (also shown in the dialog).
    QString exportNow();

  public slots:
    void accept() override;

  private:
    void browse();
    void updateForFormat();

    viz::Exportable& m_figure;
    QLineEdit* m_path = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QComboBox* m_ratio = nullptr;
    QComboBox* m_background = nullptr;
    QLabel* m_pixels = nullptr;
    QLabel* m_error = nullptr;
};

}  // namespace tinyseek::gui
