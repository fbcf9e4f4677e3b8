// KV Cache page: the bytes per token shown equal core/kv_accounting's (and hand-computed values,
// docs/ARCHITECTURE.md "MLA and the KV cache"), the measured cache = batch x tokens x bytes/token,
// the largest batch under a budget is right, throughput is measured on a worker thread, and
// the model comes from the run's checkpoint or is a fresh tiny one, as the page says.
#include <QDir>
#include <QSignalSpy>
#include <QTest>

#include "core/kv_accounting.h"
#include "gui/pages/kv_cache_page.h"
#include "read_wait.h"
#include "synthetic_run.h"
#include "viz/bar_chart.h"

using namespace tinyseek;
using namespace tinyseek::gui;

class TestKvCachePage : public QObject {
    Q_OBJECT

    const KvScheme kSchemes[4] = {KvScheme::mha, KvScheme::gqa, KvScheme::mqa, KvScheme::mla};

  private slots:
    void bytesPerTokenEqualAccounting() {
        KvCachePage page;
        QVERIFY(!page.isEmptyStateVisible());
        QVERIFY(page.modelDescription().contains(QStringLiteral("freshly initialised")));
        viz::BarChart* chart = page.bytesPerTokenChart();
        QCOMPARE(chart->groups().size(), 3);
        QCOMPARE(chart->categories().size(), 4);
        QVERIFY(chart->logScale());
        const char* presets[] = {"tiny", "deepseek-v2", "deepseek-v3"};
        for (KvDtype dtype : {KvDtype::bf16, KvDtype::fp8, KvDtype::fp32}) {
            page.setDtype(dtype);
            for (int g = 0; g < 3; ++g) {
                const KvReport report = kv_report(ModelConfig::preset(presets[g]), {dtype});
                for (int c = 0; c < 4; ++c)
                    QCOMPARE(chart->value(g, c), double(report.row(kSchemes[c]).bytes_per_token));
            }
        }
        page.setDtype(KvDtype::bf16);
        // By hand: tiny MLA (32 + 16) * 2 B * 4 layers; DeepSeek-V3 MLA (512 + 64) * 2 * 61;
        // tiny MHA 4 heads * (48 + 32) * 2 * 4.
        QCOMPARE(chart->value(0, 3), 384.0);
        QCOMPARE(chart->value(2, 3), 70272.0);
        QCOMPARE(chart->value(0, 0), 2560.0);
        // DeepSeek's bars are marked as computed from published dimensions, not run.
        QVERIFY(chart->groups()[1].endsWith(QStringLiteral("†")));
        QVERIFY(chart->groups()[2].endsWith(QStringLiteral("†")));
        QVERIFY(chart->csv().contains(QStringLiteral("DeepSeek-V3 †")));
    }

    void measuredCacheIsBatchTimesTokensTimesBytes() {
        KvCachePage page;
        page.setBatch(8);
        viz::BarChart* chart = page.measuredChart();
        const QList<int> lengths = page.measuredLengths();
        QCOMPARE(lengths, (QList<int>{32, 64, 128, 256}));
        QCOMPARE(chart->groups().size(), 4);  // latent x {1, 8}, expanded x {1, 8}
        // fp32 floats: latent 4 layers * 48, expanded 4 layers * 4 heads * (48 + 32).
        const double latent = 4 * 48 * 4, expanded = 4 * 4 * 80 * 4;
        for (int c = 0; c < lengths.size(); ++c) {
            QCOMPARE(chart->value(0, c), latent * lengths[c]);
            QCOMPARE(chart->value(1, c), latent * 8 * lengths[c]);
            QCOMPARE(chart->value(2, c), expanded * lengths[c]);
            QCOMPARE(chart->value(3, c), expanded * 8 * lengths[c]);
        }
        QVERIFY(chart->title().contains(QStringLiteral("measured")));
    }

    void maxBatchUnderBudget() {
        KvCachePage page;
        page.setDtype(KvDtype::bf16);
        page.setSequenceLength(256);
        page.setBudgetMiB(64);
        viz::BarChart* chart = page.maxBatchChart();
        const double budget = 64.0 * 1024 * 1024;
        // floor(budget / (256 tokens * bytes per token)).
        QCOMPARE(chart->value(0, 3), std::floor(budget / (256 * 384.0)));  // MLA bf16: 682
        QCOMPARE(chart->value(0, 3), 682.0);
        QCOMPARE(chart->value(0, 0), std::floor(budget / (256 * 2560.0)));  // MHA bf16: 102
        // The generator's own caches (fp32): latent = MLA, expanded = MHA; no GQA/MQA mode.
        QCOMPARE(chart->value(1, 3), std::floor(budget / (256 * 768.0)));
        QCOMPARE(chart->value(1, 0), std::floor(budget / (256 * 5120.0)));
        QVERIFY(std::isnan(chart->value(1, 1)));
        // A budget too small for one sequence gives 0, not a negative or rounded-up batch.
        page.setBudgetMiB(1);
        page.setSequenceLength(1000);
        QCOMPARE(chart->value(0, 0), 0.0);  // 2.56 MB > 1 MiB
        QCOMPARE(chart->value(0, 3), std::floor(1024.0 * 1024 / (1000 * 384.0)));
        QVERIFY(chart->title().contains(QStringLiteral("1 MiB")));
    }

    void throughputIsMeasuredOffTheGuiThread() {
        KvCachePage page;
        page.setBatch(4);
        QSignalSpy done(&page, &KvCachePage::throughputMeasured);
        QVERIFY(page.exportables().size() == 3);  // throughput not measured yet
        page.measureThroughput();
        QVERIFY(page.isMeasuring());
        QVERIFY(done.wait(60000));
        QVERIFY(!page.isMeasuring());
        viz::BarChart* chart = page.throughputChart();
        QCOMPARE(chart->categories().size(), 2);  // latent, expanded
        QCOMPARE(chart->groups().size(), 2);      // batch 1, batch 4
        for (int g = 0; g < 2; ++g)
            for (int c = 0; c < 2; ++c) QVERIFY(chart->value(g, c) > 0.0);
        QCOMPARE(page.exportables().size(), 4);
    }

    void modelComesFromTheRunCheckpoint() {
        const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/kv_cache_page");
        QDir(dir).removeRecursively();
        QVERIFY(QDir().mkpath(dir));
        const synthetic::Database db = synthetic::create(dir.toStdString());
        RunReader reader;
        KvCachePage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(db.path), db.balancedRun);
        QVERIFY(waitForReads(reader));
        QVERIFY2(page.modelDescription().contains(QStringLiteral("step 39")),
                 qPrintable(page.modelDescription()));
        QCOMPARE(page.modelConfig().balance_mode, BalanceMode::aux_free);
        page.setRun(QString::fromStdString(db.path), 77);  // no such run
        QVERIFY(waitForReads(reader));
        QVERIFY(page.modelDescription().contains(QStringLiteral("freshly initialised")));
        QVERIFY(page.modelDescription().contains(QStringLiteral("77")));
        page.clearRun();
        QVERIFY(page.modelDescription().contains(QStringLiteral("no run is open")));
    }
};

QTEST_MAIN(TestKvCachePage)
#include "test_kv_cache_page.moc"
