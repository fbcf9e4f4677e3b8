#include "gui/dialogs/import_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tinyseek::gui {

ImportDialog::ImportDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Import a Run"));
    auto* intro = new QLabel(
        tr("Read a run trained elsewhere into the open database: a verl metrics JSONL (with "
           "the generation dumps beside it), a TRL or transformers output folder "
           "(trainer_state.json), or a TensorBoard log folder (events.out.tfevents.*). A "
           "folder is searched for all of them; each log becomes a run, and importing the "
           "same log again updates its run."),
        this);
    intro->setWordWrap(true);
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("importPath"));
    m_path->setPlaceholderText(tr("A log file or a folder"));
    auto* folder = new QPushButton(tr("&Folder…"), this);
    auto* file = new QPushButton(tr("F&ile…"), this);
    connect(folder, &QPushButton::clicked, this, &ImportDialog::chooseFolder);
    connect(file, &QPushButton::clicked, this, &ImportDialog::chooseFile);
    m_follow = new QCheckBox(tr("&Follow: keep reading what the run adds (every second) while "
                                "the window is open"),
                             this);
    m_follow->setObjectName(QStringLiteral("importFollow"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &ImportDialog::updateButtons);

    auto* row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(folder);
    row->addWidget(file);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(m_follow);
    layout->addWidget(m_buttons);
    resize(640, sizeHint().height());
    updateButtons();
}

QString ImportDialog::path() const {
    return m_path->text().trimmed();
}

bool ImportDialog::follow() const {
    return m_follow->isChecked();
}

void ImportDialog::setPath(const QString& path) {
    m_path->setText(path);
}

void ImportDialog::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Import a Log Folder"), path());
    if (!dir.isEmpty()) m_path->setText(dir);
}

void ImportDialog::chooseFile() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Import a Log File"), path(),
        tr("Training logs (*.jsonl trainer_state.json events.out.tfevents.*);;All files (*)"));
    if (!file.isEmpty()) m_path->setText(file);
}

void ImportDialog::updateButtons() {
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(QFileInfo::exists(path()));
}

}  // namespace tinyseek::gui
