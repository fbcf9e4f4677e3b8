#include "gui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include "viz/figure_painter.h"

namespace tinyseek::gui {

namespace {

QPalette lightPalette() {
    // Fusion's own light palette, i.e. what the style draws with when nothing overrides it.
    QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    QPalette p = fusion ? fusion->standardPalette() : QPalette(QColor(239, 239, 239));
    delete fusion;
    return p;
}

QPalette darkPalette() {
    const QColor window(45, 45, 48);
    const QColor base(30, 30, 32);
    const QColor text(230, 230, 230);
    const QColor disabledText(128, 128, 128);
    const QColor highlight(42, 130, 218);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(52, 52, 56));
    p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(58, 58, 62));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Light, QColor(75, 75, 80));
    p.setColor(QPalette::Midlight, QColor(62, 62, 66));
    p.setColor(QPalette::Mid, QColor(40, 40, 42));
    p.setColor(QPalette::Dark, QColor(25, 25, 27));
    p.setColor(QPalette::Shadow, QColor(10, 10, 10));
    p.setColor(QPalette::Link, QColor(100, 170, 255));
    p.setColor(QPalette::LinkVisited, QColor(170, 140, 255));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, disabledText);
    }
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(80, 80, 80));
    p.setColor(QPalette::Disabled, QPalette::HighlightedText, disabledText);
    return p;
}

// The palette the platform chose before we changed anything.
QPalette& systemPalette() {
    static QPalette palette = QApplication::palette();
    return palette;
}

}  // namespace

QString themeKey(Theme theme) {
    switch (theme) {
        case Theme::Light:
            return QStringLiteral("light");
        case Theme::Dark:
            return QStringLiteral("dark");
        case Theme::System:
            break;
    }
    return QStringLiteral("system");
}

bool themeFromKey(const QString& key, Theme& theme) {
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        if (key == themeKey(t)) {
            theme = t;
            return true;
        }
    }
    return false;
}

void applyTheme(QApplication& app, Theme theme) {
    systemPalette();  // capture it on the first call, before any change
    if (!app.style() || app.style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive))
        app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette palette = theme == Theme::Light  ? lightPalette()
                             : theme == Theme::Dark ? darkPalette()
                                                    : systemPalette();
    // Figures first: the palette change below makes every widget repaint (and every chart
    // recolour) in the figure theme set here.
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    viz::setScreenFigureTheme(dark ? viz::FigureTheme::Dark : viz::FigureTheme::Light);
    app.setPalette(palette);
}

bool isDarkPalette() {
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

}  // namespace tinyseek::gui
