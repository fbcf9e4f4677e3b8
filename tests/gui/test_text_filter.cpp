// TextFilter, the filter boxes' language: text alternatives ignoring case, /expressions/, and
// an invalid expression that matches nothing and says why.
#include <QtTest>

#include "gui/models/text_filter.h"

using tinyseek::gui::TextFilter;

class TestTextFilter : public QObject {
    Q_OBJECT

  private slots:
    void textAlternativesAndExpressions() {
        QVERIFY(TextFilter().isEmpty());
        QVERIFY(TextFilter(QStringLiteral("  ")).matches(QStringLiteral("anything")));
        const TextFilter text(QStringLiteral("think | Length"));
        QVERIFY(text.matches(QStringLiteral("completions/think_share")));
        QVERIFY(text.matches(QStringLiteral("completions/mean_length")));
        QVERIFY(!text.matches(QStringLiteral("loss")));
        // Plain text is not an expression: "." and "+" are literal.
        QVERIFY(TextFilter(QStringLiteral("a.b")).matches(QStringLiteral("xa.by")));
        QVERIFY(!TextFilter(QStringLiteral("a.b")).matches(QStringLiteral("axb")));
        const TextFilter regex(QStringLiteral("/^eval/.*accuracy$/"));
        QVERIFY(regex.matches(QStringLiteral("eval/accuracy")));
        QVERIFY(regex.matches(QStringLiteral("EVAL/sampled_accuracy")));
        QVERIFY(!regex.matches(QStringLiteral("rewards/accuracy")));
        const TextFilter invalid(QStringLiteral("/(/"));
        QVERIFY(!invalid.isValid());
        QVERIFY(!invalid.matches(QStringLiteral("(")));
        QVERIFY(invalid.error().contains(QStringLiteral("invalid expression")));
    }
};

QTEST_MAIN(TestTextFilter)
#include "test_text_filter.moc"
