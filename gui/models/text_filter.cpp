#include "gui/models/text_filter.h"

#include <QCoreApplication>
#include <QStringList>

namespace tinyseek::gui {

TextFilter::TextFilter(const QString& text) {
    const QString t = text.trimmed();
    QString pattern;
    if (t.size() >= 2 && t.startsWith(QLatin1Char('/')) && t.endsWith(QLatin1Char('/'))) {
        pattern = t.mid(1, t.size() - 2);
    } else {
        QStringList terms;
        for (const QString& term : t.split(QLatin1Char('|'), Qt::SkipEmptyParts))
            if (!term.trimmed().isEmpty()) terms << QRegularExpression::escape(term.trimmed());
        pattern = terms.join(QLatin1Char('|'));
    }
    m_empty = pattern.isEmpty();
    m_regex = QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

QString TextFilter::error() const {
    return m_regex.isValid()
               ? QString()
               : QCoreApplication::translate("tinyseek::gui::TextFilter", "invalid expression: %1")
                     .arg(m_regex.errorString());
}

bool TextFilter::matches(const QString& text) const {
    if (m_empty) return true;
    return m_regex.isValid() && m_regex.match(text).hasMatch();
}

}  // namespace tinyseek::gui
