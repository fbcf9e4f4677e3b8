#include "viz/token_strip.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextStream>
#include <QToolTip>

#include <algorithm>
#include <set>

#include "viz/color_map.h"
#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {
constexpr double kPadX = 4.0;  // text padding inside a box
constexpr double kPadY = 3.0;
constexpr double kBoxGap = 3.0;   // between boxes
constexpr double kLineGap = 4.0;  // between lines of boxes
constexpr double kMinBoxWidth = 14.0;
}  // namespace

TokenStrip::TokenStrip(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    m_emptyText = tr("No tokens to show");
    m_categoryPattern = tr("Category %1");
}

void TokenStrip::setTokens(const QStringList& tokens, const std::vector<int>& categories,
                           const QStringList& toolTips) {
    m_tokens = tokens;
    m_categories = categories;
    m_categories.resize(static_cast<std::size_t>(tokens.size()), -1);
    m_toolTips = toolTips;
    while (m_toolTips.size() < tokens.size()) m_toolTips.append(QString());
    m_toolTips = m_toolTips.mid(0, tokens.size());
    m_hoverToken = -1;
    updateGeometry();
    update();
}

void TokenStrip::setTitle(const QString& title) {
    m_title = title;
    updateGeometry();
    update();
}

void TokenStrip::setLegendTitle(const QString& text) {
    m_legendTitle = text;
    updateGeometry();
    update();
}

void TokenStrip::setCategoryNames(const QStringList& names) {
    m_categoryNames = names;
    updateGeometry();
    update();
}

void TokenStrip::setCategoryPattern(const QString& pattern) {
    m_categoryPattern = pattern;
    update();
}

void TokenStrip::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

void TokenStrip::setErrorText(const QString& text) {
    m_errorText = text;
    update();
}

QString TokenStrip::categoryName(int category) const {
    if (category < 0) return tr("none");
    if (category < m_categoryNames.size() && !m_categoryNames.at(category).isEmpty())
        return m_categoryNames.at(category);
    return m_categoryPattern.arg(category);
}

void TokenStrip::setCategoryColors(const QList<QColor>& colors) {
    m_categoryColors = colors;
    update();
}

void TokenStrip::setLegendListsAllNamed(bool on) {
    m_legendListsAllNamed = on;
    updateGeometry();
    update();
}

QColor TokenStrip::categoryColorFor(int category) const {
    if (category >= 0 && category < m_categoryColors.size()) return m_categoryColors[category];
    return categoryColor(category);
}

QString TokenStrip::visibleText(const QString& token) {
    QString t = token;
    t.replace(QLatin1Char('\n'), QChar(0x21B5));  // ↵
    t.replace(QLatin1Char('\t'), QChar(0x2192));  // →
    t.replace(QLatin1Char(' '), QChar(0x2423));   // ␣
    return t;
}

QList<int> TokenStrip::presentCategories() const {
    std::set<int> present(m_categories.begin(), m_categories.end());
    if (m_legendListsAllNamed)
        for (int c = 0; c < m_categoryNames.size(); ++c) present.insert(c);
    return QList<int>(present.begin(), present.end());
}

TokenStrip::Layout TokenStrip::computeLayout(const QRectF& canvas) const {
    Layout l;
    const QFontMetricsF titleFm(figureTitleFont(font()));
    const QFontMetricsF fm(figureLabelFont(font()));
    const double left = canvas.left() + kFigureMargin;
    const double right = std::max(left + 40.0, canvas.right() - kFigureMargin);
    double y = canvas.top() + kFigureMargin;
    if (!m_title.isEmpty()) {
        l.title = QRectF(canvas.left(), y, canvas.width(), titleFm.height() * 1.3);
        y = l.title.bottom() + 6.0;
    }

    // Tokens flow like words; a newline token ends its line.
    const double boxH = fm.height() + 2 * kPadY;
    double x = left;
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        const double w = std::min(
            right - left,
            std::max(kMinBoxWidth, fm.horizontalAdvance(visibleText(m_tokens[i])) + 2 * kPadX));
        if (x > left && x + w > right) {
            x = left;
            y += boxH + kLineGap;
        }
        l.boxes.append(QRectF(x, y, w, boxH));
        x += w + kBoxGap;
        if (m_tokens[i].endsWith(QLatin1Char('\n'))) {
            x = left;
            y += boxH + kLineGap;
        }
    }
    if (!m_tokens.isEmpty()) y = l.boxes.last().bottom() + 12.0;

    // Legend: heading, then swatch + name per category present, wrapping.
    l.legendCategories = presentCategories();
    if (!l.legendCategories.isEmpty()) {
        const QString heading = m_legendTitle.isEmpty() ? tr("Categories") : m_legendTitle;
        QFont bold = figureLabelFont(font());
        bold.setBold(true);
        const QFontMetricsF boldFm(bold);
        l.legendTitle = QRectF(left, y, boldFm.horizontalAdvance(heading) + 4.0, fm.height());
        x = l.legendTitle.right() + 10.0;
        for (int c : l.legendCategories) {
            const double w = fm.height() + 5.0 + fm.horizontalAdvance(categoryName(c)) + 4.0;
            if (x > left && x + w > right) {
                x = left;
                y += fm.height() + 4.0;
            }
            l.legendItems.append(QRectF(x, y, w, fm.height()));
            x += w + 12.0;
        }
        y += fm.height();
    }
    l.bottom = y + kFigureMargin;
    return l;
}

int TokenStrip::heightForWidth(int width) const {
    const Layout l = computeLayout(QRectF(0, 0, width, 100000));
    return std::max(80, static_cast<int>(std::ceil(l.bottom)));
}

QSize TokenStrip::sizeHint() const {
    return QSize(600, heightForWidth(600));
}

QSize TokenStrip::defaultExportSize() const {
    return QSize(1000, heightForWidth(1000));
}

QRectF TokenStrip::tokenRect(int index, const QRectF& canvas) const {
    if (index < 0 || index >= m_tokens.size()) return QRectF();
    const QRectF r = computeLayout(canvas).boxes.at(index);
    return r.bottom() <= canvas.bottom() ? r : QRectF();
}

int TokenStrip::tokenAt(const QPointF& pos, const QRectF& canvas) const {
    if (!m_errorText.isEmpty()) return -1;
    const Layout l = computeLayout(canvas);
    for (qsizetype i = 0; i < l.boxes.size(); ++i)
        if (l.boxes[i].contains(pos)) return static_cast<int>(i);
    return -1;
}

QString TokenStrip::toolTipForToken(int index) const {
    if (index < 0 || index >= m_tokens.size()) return QString();
    const int c = m_categories[static_cast<std::size_t>(index)];
    QString text = tr("Token %1: \"%2\"").arg(index).arg(visibleText(m_tokens[index])) +
                   QLatin1Char('\n') + categoryName(c);
    if (!m_toolTips[index].isEmpty()) text += QLatin1Char('\n') + m_toolTips[index];
    return text;
}

void TokenStrip::paint(QPainter& painter, const QRectF& canvas) const {
    painter.save();
    const Layout l = computeLayout(canvas);
    paintFigureFrame(painter, canvas, l.title, m_title, font());
    const bool isError = !m_errorText.isEmpty();
    if (isError || m_tokens.isEmpty()) {
        paintFigureState(painter, canvas, l.title, font(), isError ? m_errorText : m_emptyText,
                         isError);
        painter.restore();
        return;
    }

    const QFont labelFont = figureLabelFont(font());
    painter.setFont(labelFont);
    painter.setRenderHint(QPainter::Antialiasing);
    for (qsizetype i = 0; i < l.boxes.size(); ++i) {
        const QColor fill = categoryColorFor(m_categories[static_cast<std::size_t>(i)]);
        painter.setPen(QPen(fill.darker(130), 1.0));
        painter.setBrush(fill);
        painter.drawRoundedRect(l.boxes[i].adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter.setPen(contrastingTextColor(fill));
        painter.drawText(l.boxes[i], Qt::AlignCenter, visibleText(m_tokens[i]));
    }

    if (!l.legendCategories.isEmpty()) {
        const QFontMetricsF fm(labelFont);
        painter.setPen(figureTextColor());
        QFont bold = labelFont;
        bold.setBold(true);
        painter.setFont(bold);
        painter.drawText(l.legendTitle, Qt::AlignLeft | Qt::AlignVCenter,
                         m_legendTitle.isEmpty() ? tr("Categories") : m_legendTitle);
        painter.setFont(labelFont);
        for (qsizetype k = 0; k < l.legendItems.size(); ++k) {
            const QRectF item = l.legendItems[k];
            const int c = l.legendCategories[k];
            const QRectF swatch(item.left(), item.top() + 1.0, fm.height() - 2.0,
                                fm.height() - 2.0);
            painter.setPen(QPen(categoryColorFor(c).darker(130), 1.0));
            painter.setBrush(categoryColorFor(c));
            painter.drawRoundedRect(swatch, 2, 2);
            painter.setPen(figureTextColor());
            painter.drawText(QRectF(swatch.right() + 5.0, item.top(), item.width(), item.height()),
                             Qt::AlignLeft | Qt::AlignVCenter, categoryName(c));
        }
    }
    painter.restore();
}

void TokenStrip::writeCsv(QTextStream& out) const {
    out << "index,token,category,category_name,tooltip\n";
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        const int c = m_categories[static_cast<std::size_t>(i)];
        out << i << ',' << csvField(m_tokens[i]) << ',' << c << ',' << csvField(categoryName(c))
            << ',' << csvField(m_toolTips[i]) << '\n';
    }
}

void TokenStrip::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QRectF canvas = rect();
    paint(painter, canvas);
    if (m_hoverToken >= 0) {
        const QRectF r = tokenRect(m_hoverToken, canvas);
        if (!r.isEmpty()) {
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(QPen(Qt::black, 2.0));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(r.adjusted(-1, -1, 1, 1), 3, 3);
        }
    }
}

bool TokenStrip::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = tokenAt(help->pos(), rect());
        if (i >= 0)
            QToolTip::showText(help->globalPos(), toolTipForToken(i), this);
        else
            QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::Leave && m_hoverToken >= 0) {
        m_hoverToken = -1;
        update();
    }
    return QWidget::event(event);
}

void TokenStrip::mouseMoveEvent(QMouseEvent* event) {
    const int i = tokenAt(event->position(), rect());
    if (i != m_hoverToken) {
        m_hoverToken = i;
        update();
        if (i >= 0) emit tokenHovered(i);
    }
    QWidget::mouseMoveEvent(event);
}

}  // namespace tinyseek::viz
