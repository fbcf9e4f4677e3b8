// The Simplified Chinese translation: it loads from the embedded resource, turns known
// strings (menu titles, page titles, window title) into Chinese, and the Chinese glyphs
// render as real glyphs, not as the boxes a missing CJK font gives (TOOLCHAIN.md).
#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QMenu>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "gui/main_window.h"
#include "gui/pages/page.h"
#include "gui/translations.h"
#include "scratch_settings.h"

using namespace tinyseek::gui;

namespace {

bool hasCjk(const QString& text) {
    for (const QChar c : text)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF) return true;
    return false;
}

QString menuTitle(const MainWindow& window, const char* name) {
    const auto* menu = window.findChild<QMenu*>(QLatin1String(name));
    return menu ? menu->title() : QString();
}

// One character drawn in black on white with the application font.
QImage glyphImage(QChar c) {
    const QFont font = QApplication::font();
    QImage image(48, 48, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QFont big = font;
    big.setPixelSize(32);
    painter.setFont(big);
    painter.setPen(Qt::black);
    painter.drawText(image.rect(), Qt::AlignCenter, QString(c));
    return image;
}

}  // namespace

class TestTranslation : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void englishByDefault();
    void chineseChangesKnownStrings();
    void chineseGlyphsAreNotBoxes();
    void translateIntoDoesNotInstall();

  private:
    QTemporaryDir m_settingsDir;
};

void TestTranslation::initTestCase() {
    QVERIFY(m_settingsDir.isValid());
    useScratchSettings(m_settingsDir.path(), QStringLiteral("test_translation"));
}

void TestTranslation::englishByDefault() {
    QString error;
    QVERIFY(installTranslations(*qApp, QStringLiteral("en"), &error));
    QCOMPARE(installedLanguage(), QStringLiteral("en"));
    MainWindow window;
    QCOMPARE(menuTitle(window, "menuFile"), QStringLiteral("&File"));
    QCOMPARE(window.windowTitle(), QStringLiteral("TinySeek Workbench"));
}

void TestTranslation::chineseChangesKnownStrings() {
    QVERIFY(QFile::exists(translationResource(QStringLiteral("zh_CN"))));
    QString error;
    QVERIFY2(installTranslations(*qApp, QStringLiteral("zh_CN"), &error), qPrintable(error));
    QCOMPARE(installedLanguage(), QStringLiteral("zh_CN"));

    MainWindow window;
    QCOMPARE(menuTitle(window, "menuFile"), QString::fromUtf8("文件(&F)"));
    QCOMPARE(menuTitle(window, "menuView"), QString::fromUtf8("视图(&V)"));
    QCOMPARE(menuTitle(window, "menuHelp"), QString::fromUtf8("帮助(&H)"));
    QCOMPARE(window.windowTitle(), QString::fromUtf8("TinySeek 工作台"));
    // Every page: title and empty-state line are Chinese, not English copies.
    for (const QString& id : window.pageIds()) {
        const Page* page = window.page(id);
        QVERIFY2(hasCjk(page->title()), qPrintable(id));
        QVERIFY2(hasCjk(page->emptyStateText()), qPrintable(id));
        QCOMPARE(window.dock(id)->windowTitle(), page->title());
    }
    QCOMPARE(window.page(QStringLiteral("training"))->title(), QString::fromUtf8("训练"));
    // The language menu checks the language in use.
    auto* zh = window.findChild<QAction*>(QStringLiteral("actionLanguage_zh_CN"));
    QVERIFY(zh && zh->isChecked());
    // Formatted strings keep their arguments.
    QCOMPARE(MainWindow::formatEta(75), QString::fromUtf8("剩余 1 分 15 秒"));
}

void TestTranslation::chineseGlyphsAreNotBoxes() {
    // Without a CJK font every Chinese character is drawn as the same "missing glyph" box.
    // Two different characters must therefore give two different images, both with ink.
    const QImage a = glyphImage(QChar(0x8BAD));  // 训
    const QImage b = glyphImage(QChar(0x7EC3));  // 练
    const QImage white = [] {
        QImage i(48, 48, QImage::Format_RGB32);
        i.fill(Qt::white);
        return i;
    }();
    QVERIFY(a != white);
    QVERIFY(b != white);
    QVERIFY2(a != b, "Chinese glyphs render as identical boxes: install fonts-wqy-microhei");
}

void TestTranslation::translateIntoDoesNotInstall() {
    const char* source = "The language will change the next time TinySeek Workbench starts.";
    QCOMPARE(translateInto(QStringLiteral("zh_CN"), "tinyseek::gui::MainWindow", source),
             QString::fromUtf8("语言将在下次启动 TinySeek 工作台时生效。"));
    QCOMPARE(translateInto(QStringLiteral("en"), "tinyseek::gui::MainWindow", source),
             QString::fromLatin1(source));
}

QTEST_MAIN(TestTranslation)
#include "test_translation.moc"
