// File › Import…: which log to read (a file, or a folder searched for verl, TRL and TensorBoard
// logs) and whether to follow it while its program is still writing.
#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;

namespace tinyseek::gui {

class ImportDialog : public QDialog {
    Q_OBJECT

  public:
    explicit ImportDialog(QWidget* parent = nullptr);

    QString path() const;
    bool follow() const;
    void setPath(const QString& path);

  private:
    void chooseFolder();
    void chooseFile();
    void updateButtons();

    QLineEdit* m_path = nullptr;
    QCheckBox* m_follow = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace tinyseek::gui
