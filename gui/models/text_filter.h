// TextFilter: what the filter boxes accept (the Training page's metrics, the Runs page's runs).
// Plain text with alternatives split by '|' matches when any alternative occurs in the text
// ("think|length"), ignoring case; text between slashes is a regular expression ("/^eval\//"),
// also ignoring case. An invalid expression matches nothing and says why.
#pragma once

#include <QRegularExpression>
#include <QString>

namespace tinyseek::gui {

class TextFilter {
  public:
    explicit TextFilter(const QString& text = QString());

    bool isEmpty() const { return m_empty; }
    bool isValid() const { return m_regex.isValid(); }
    QString error() const;  // why an expression is invalid; empty when it is valid
    bool matches(const QString& text) const;
    // The filter as one case-insensitive expression (for QSortFilterProxyModel).
    const QRegularExpression& regex() const { return m_regex; }

  private:
    bool m_empty = true;
    QRegularExpression m_regex;
};

}  // namespace tinyseek::gui
