#include "gui/about_dialog.h"

#include <sqlite3.h>

#include <Eigen/Core>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tinyseek::gui {

VersionInfo versionInfo() {
    VersionInfo v;
    v.app = QStringLiteral(TINYSEEK_VERSION);
    v.qtRuntime = QString::fromLatin1(qVersion());
    v.qtBuild = QStringLiteral(QT_VERSION_STR);
    v.eigen = QStringLiteral("%1.%2.%3")
                  .arg(EIGEN_WORLD_VERSION)
                  .arg(EIGEN_MAJOR_VERSION)
                  .arg(EIGEN_MINOR_VERSION);
    v.sqlite = QString::fromLatin1(sqlite3_libversion());
    v.buildType = QStringLiteral(TINYSEEK_BUILD_TYPE);
    return v;
}

QString AboutDialog::versionsText() {
    const VersionInfo v = versionInfo();
    QString qt = v.qtRuntime;
    if (v.qtRuntime != v.qtBuild) qt += tr(" (built with %1)").arg(v.qtBuild);
    return tr("TinySeek Workbench: %1\nQt: %2\nEigen: %3\nSQLite: %4\nBuild type: %5")
        .arg(v.app, qt, v.eigen, v.sqlite, v.buildType.isEmpty() ? tr("(none)") : v.buildType);
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About TinySeek Workbench"));

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/tinyseek.svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    auto* heading = new QLabel(tr("<h2>TinySeek Workbench %1</h2>").arg(versionInfo().app), this);
    auto* summary = new QLabel(tr("Trains a tiny DeepSeek-style mixture-of-experts reasoning "
                                  "model on your CPU and shows what happens inside: expert "
                                  "routing, KV-cache memory, GRPO rewards and reward-model "
                                  "scaling."),
                               this);
    summary->setWordWrap(true);

    auto* versions = new QLabel(versionsText(), this);
    versions->setObjectName(QStringLiteral("versions"));
    versions->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* license = new QLabel(tr("License: GNU General Public License, version 3 or later "
                                  "(GPL-3.0-or-later). This program comes with ABSOLUTELY NO "
                                  "WARRANTY."),
                               this);
    license->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(this);
    QPushButton* copy = buttons->addButton(tr("Copy versions"), QDialogButtonBox::ActionRole);
    QPushButton* close = buttons->addButton(tr("Close"), QDialogButtonBox::AcceptRole);
    close->setDefault(true);
    connect(copy, &QPushButton::clicked, this,
            [] { QApplication::clipboard()->setText(versionsText()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);

    auto* text = new QVBoxLayout;
    text->addWidget(heading);
    text->addWidget(summary);
    text->addSpacing(8);
    text->addWidget(versions);
    text->addSpacing(8);
    text->addWidget(license);
    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addSpacing(12);
    top->addLayout(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

}  // namespace tinyseek::gui
