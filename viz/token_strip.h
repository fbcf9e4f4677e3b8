// TokenStrip: a sequence of tokens drawn as boxes that wrap like text, each coloured by a
// category (e.g. the token's top-1 expert in one layer) with a legend of the categories
// present, and a caller-provided tooltip per token (e.g. the gate weights).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "viz/exporters.h"

namespace tinyseek::viz {

class TokenStrip : public QWidget, public Exportable {
    Q_OBJECT

  public:
    explicit TokenStrip(QWidget* parent = nullptr);

    // categories[i] is token i's category (-1 = none, drawn grey); toolTips may be empty or
    // hold one text per token. Sizes that do not match the tokens are padded with -1 / "".
    void setTokens(const QStringList& tokens, const std::vector<int>& categories,
                   const QStringList& toolTips = QStringList());
    const QStringList& tokens() const { return m_tokens; }
    const std::vector<int>& categories() const { return m_categories; }

    void setTitle(const QString& title);
    // Legend heading, e.g. "Top-1 expert (layer 2)".
    void setLegendTitle(const QString& text);
    // Category names; a missing name is shown through the pattern, "%1" = the index
    // (default pattern: "Category %1"; e.g. "Expert %1").
    void setCategoryNames(const QStringList& names);
    void setCategoryPattern(const QString& pattern);
    QString categoryName(int category) const;
    // Colours of categories 0, 1, ... where the categories have fixed meanings (e.g. a draft
    // accepted or rejected); categories beyond the list use the categorical palette.
    void setCategoryColors(const QList<QColor>& colors);
    QColor categoryColorFor(int category) const;
    // Legend entries for every named category (setCategoryNames), present or not, so the
    // legend explains the categories even when a strip lacks one; default: present ones only.
    void setLegendListsAllNamed(bool on);

    void setEmptyText(const QString& text);
    void setErrorText(const QString& text);
    void clearError() { setErrorText(QString()); }

    void paint(QPainter& painter, const QRectF& canvas) const;
    // Height the figure needs at a given width (tokens wrap, the legend wraps).
    int heightForWidth(int width) const override;
    bool hasHeightForWidth() const override { return true; }
    // Box of token i when painting into `canvas` (empty if it does not fit), and the inverse.
    QRectF tokenRect(int index, const QRectF& canvas) const;
    int tokenAt(const QPointF& pos, const QRectF& canvas) const;
    QString toolTipForToken(int index) const;
    // How a token is shown: spaces, newlines and tabs made visible.
    static QString visibleText(const QString& token);

    // Exportable
    QString title() const override { return m_title; }
    void renderTo(QPainter& painter, const QRectF& target) override { paint(painter, target); }
    void writeCsv(QTextStream& out) const override;  // index,token,category,category_name,tooltip
    QSize defaultExportSize() const override;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return QSize(200, 80); }

  signals:
    void tokenHovered(int index);

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    struct Layout {
        QRectF title;
        QList<QRectF> boxes;  // one per token (in canvas coordinates)
        QRectF legendTitle;
        QList<QRectF> legendItems;  // swatch + text, one per category present
        QList<int> legendCategories;
        double bottom = 0.0;  // lowest y used
    };
    Layout computeLayout(const QRectF& canvas) const;
    QList<int> presentCategories() const;

    QStringList m_tokens;
    std::vector<int> m_categories;
    QStringList m_toolTips;
    QString m_title;
    QString m_legendTitle;
    QStringList m_categoryNames;
    QList<QColor> m_categoryColors;
    bool m_legendListsAllNamed = false;
    QString m_categoryPattern;
    QString m_emptyText;
    QString m_errorText;
    int m_hoverToken = -1;
};

}  // namespace tinyseek::viz
