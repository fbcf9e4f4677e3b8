#include "gui/pages/page.h"

#include <QLabel>
#include <QVBoxLayout>

#include "gui/live/run_reader.h"

namespace tinyseek::gui {

Page::Page(const QString& id, QWidget* parent) : QWidget(parent), m_id(id) {
    setObjectName(QStringLiteral("page_") + id);
    m_contentLayout = new QVBoxLayout(this);
    m_contentLayout->setContentsMargins(12, 12, 12, 12);

    m_emptyState = new QLabel(this);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = m_emptyState->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    m_emptyState->setFont(font);
    // A muted colour from the palette, so it follows the light and dark themes.
    m_emptyState->setForegroundRole(QPalette::PlaceholderText);
    m_contentLayout->addWidget(m_emptyState, 1);
}

void Page::showSection(const QString&) {}

void Page::setReader(RunReader* reader) {
    m_reader = reader;
}

RunReader* Page::reader() const {
    return m_reader;
}

QString Page::emptyStateText() const {
    return m_emptyState->text();
}

bool Page::isEmptyStateVisible() const {
    return !m_emptyState->isHidden();
}

void Page::setTitle(const QString& title) {
    m_title = title;
    setWindowTitle(title);
}

void Page::setEmptyStateText(const QString& text) {
    m_emptyState->setText(text);
}

void Page::setEmptyStateVisible(bool visible) {
    m_emptyState->setVisible(visible);
}

}  // namespace tinyseek::gui
