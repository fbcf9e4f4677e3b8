// The Inference page's KV cache tab: the bytes per token shown equal core/kv_accounting's (and
// hand-computed values, docs/ARCHITECTURE.md "MLA and the KV cache"), the measured cache =
// batch x tokens x bytes/token, and the largest batch under a budget is right. (Throughput and
// where the model comes from: tests/gui/test_inference_page.cpp.)
#include <QTest>

#include <memory>

#include "core/kv_accounting.h"
#include "core/param_store.h"
#include "gui/pages/kv_cache_panel.h"
#include "viz/bar_chart.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

// A panel showing a freshly initialised tiny model, as the page gives it without a run.
struct TinyPanel {
    KvCachePanel panel;
    TinyPanel() {
        auto params = std::make_shared<ParamStore>(ModelConfig::preset("tiny"));
        init_params(*params, 0);
        panel.setModel(params);
    }
};

}  // namespace

class TestKvCachePanel : public QObject {
    Q_OBJECT

    const KvScheme kSchemes[4] = {KvScheme::mha, KvScheme::gqa, KvScheme::mqa, KvScheme::mla};

  private slots:
    void bytesPerTokenEqualAccounting() {
        TinyPanel tiny;
        KvCachePanel& page = tiny.panel;
        QCOMPARE(page.exportables().size(), 3);
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
        TinyPanel tiny;
        KvCachePanel& page = tiny.panel;
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
        TinyPanel tiny;
        KvCachePanel& page = tiny.panel;
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
};

QTEST_MAIN(TestKvCachePanel)
#include "test_kv_cache_panel.moc"
