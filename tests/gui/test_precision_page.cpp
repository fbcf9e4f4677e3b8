// The Precision page: each tab shows what its experiment computes (checked against the core
// experiment run here and against invariants of the arithmetic), the FP8/FP32 twins are found
// in a real run database with gaps equal to hand-computed values, computations cancel, and the
// tabs answer to --page names.
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/fp8_memory.h"
#include "core/param_store.h"
#include "core/tokenizer.h"
#include "gui/live/run_reader.h"
#include "gui/pages/accumulation_panel.h"
#include "gui/pages/fp8_training_panel.h"
#include "gui/pages/granularity_panel.h"
#include "gui/pages/job_strip.h"
#include "gui/pages/memory_panel.h"
#include "gui/pages/page_registry.h"
#include "gui/pages/precision_page.h"
#include "read_wait.h"
#include "training/run_store.h"
#include "training/step_report.h"
#include "viz/bar_chart.h"
#include "viz/curve_chart.h"
#include "viz/scaling_plot.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

QString scratch(const QString& name) {
    const QString dir = QStringLiteral(TINYSEEK_TEST_TMP "/precision_page/") + name;
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    return dir;
}

std::string sftConfig(const std::string& precision, int seed) {
    return nlohmann::json{
        {"seed", seed}, {"precision", precision}, {"pipeline", {"sft"}}, {"sft", {{"steps", 20}}}}
        .dump();
}

// 20 SFT steps of constant loss and two evaluations.
void storeRun(RunStore& store, std::int64_t run, double loss, double accuracy) {
    for (int s = 1; s <= 20; ++s) {
        StepReport r;
        r.run_id = run;
        r.step = s;
        r.wall_time = s;
        r.scalars[metric::kLoss] = loss;
        if (s % 10 == 0) r.scalars[metric::kEvalAccuracy] = accuracy;
        store.append_step(r);
    }
}

bool waitFor(JobStrip* strip) {
    return QTest::qWaitFor([strip] { return !strip->isRunning(); }, 60000);
}

}  // namespace

class TestPrecisionPage : public QObject {
    Q_OBJECT

  private slots:
    void accumulationPlotsEveryKOnLogAxes() {
        AccumulationPanel panel;
        QVERIFY(panel.exportables().isEmpty());  // nothing computed: nothing to export
        QSignalSpy computed(&panel, &AccumulationPanel::computed);
        QVERIFY(panel.compute());
        QVERIFY(!panel.compute());  // one at a time
        QVERIFY(computed.wait(60000));
        QCOMPARE(panel.rows().size(), std::size_t(7));
        viz::ScalingPlot* plot = panel.plot();
        QVERIFY(plot->yScale().isLog());
        QCOMPARE(plot->curves().size(), 3);
        // The plotted values are the experiment's: the same K measured here on its own.
        Fp8GemmErrorConfig one = panel.config();
        one.k_list = {4096};
        const Fp8GemmErrorRow direct = measure_fp8_gemm_error(one).rows.front();
        QCOMPARE(plot->curves()[0].k[4], 4096.0);
        QCOMPARE(plot->curves()[0].mean[4], direct.no_promotion.max);
        QCOMPARE(plot->curves()[1].mean[4], direct.promoted.max);
        // Promotion bounds the error; a 13-bit sum never promoted grows with K.
        for (std::size_t i = 2; i < panel.rows().size(); ++i) {
            const Fp8GemmErrorRow& r = panel.rows()[i];
            QVERIFY(r.fp32.max < r.promoted.max);
            QVERIFY(r.promoted.max < r.no_promotion.max);
            QVERIFY(r.no_promotion.max > panel.rows()[i - 1].no_promotion.max);
        }
        const QString csv = panel.exportables().front()->csv();
        QCOMPARE(csv.count(QLatin1Char('\n')), 1 + 7 * 3);
        QVERIFY(csv.contains(QStringLiteral("\n4096,no_promotion,")));
    }

    void accumulationCancels() {
        AccumulationPanel panel;
        QVERIFY(panel.compute());
        panel.strip()->cancel();
        QVERIFY(waitFor(panel.strip()));
        QVERIFY(panel.rows().empty());
        QVERIFY(panel.strip()->status().startsWith(QStringLiteral("Cancelled")));
        QVERIFY(panel.strip()->button()->isEnabled());
    }

    void granularityMeasuresTheCheckpoint() {
        const QString dir = scratch(QStringLiteral("checkpoint"));
        ParamStore params(ModelConfig::preset("tiny"));
        init_params(params, 3);
        save_checkpoint(dir.toStdString(), params, Tokenizer(), nullptr);
        GranularityPanel panel;
        QVERIFY(!panel.compute());  // no checkpoint yet
        QVERIFY(!panel.strip()->button()->isEnabled());
        panel.setCheckpoint(dir, QStringLiteral("test checkpoint"));
        QSignalSpy computed(&panel, &GranularityPanel::computed);
        QVERIFY(panel.compute());
        QVERIFY(computed.wait(60000));
        const Fp8QuantErrorResult& r = panel.result();
        viz::BarChart* error = panel.errorChart();
        QCOMPARE(error->groups().size(), 4);  // per tensor / per tile, with and without outliers
        QCOMPARE(error->categories().size(), 10);  // 8 weight groups, 2 activations
        // Each bar is its row's statistic.
        for (const Fp8QuantErrorRow& row : r.rows) {
            if (row.group != "attention") continue;
            const int g = row.with_outliers ? 2 : 0;
            QCOMPARE(error->value(g, 1), row.per_tensor.mean_rel_error());
            QCOMPARE(error->value(g + 1, 1), row.per_tile.mean_rel_error());
            QCOMPARE(panel.flushedChart()->value(g, 1), row.per_tensor.flushed_share());
        }
        // With outliers, a tile's own scale flushes no more than one scale for the tensor.
        for (const Fp8QuantErrorRow& row : r.rows)
            if (row.with_outliers) QVERIFY(row.per_tile.flushed <= row.per_tensor.flushed);
        QCOMPARE(panel.exportables().size(), 2);
        panel.setCheckpoint(QString(), QString(), QStringLiteral("gone"));
        QVERIFY(panel.exportables().isEmpty());
    }

    void trainingTabFindsTheTwinsInTheDatabase() {
        const QString db = scratch(QStringLiteral("twins")) + QStringLiteral("/runs.db");
        std::int64_t fp8 = 0;
        {
            RunStore store(db.toStdString());
            const auto fp32 = store.create_run({"fp32", "sft", sftConfig("fp32", 1)});
            fp8 = store.create_run({"fp8", "sft", sftConfig("fp8", 1)});
            const auto other = store.create_run({"seed 2", "sft", sftConfig("fp32", 2)});
            storeRun(store, fp32, 0.5, 0.9);
            storeRun(store, fp8, 0.52, 0.8);
            storeRun(store, other, 0.49, 0.95);
        }
        RunReader reader;
        PrecisionPage page;
        page.setReader(&reader);
        page.setRun(db, fp8);
        QVERIFY(waitForReads(reader));
        Fp8TrainingPanel* panel = page.trainingPanel();
        QCOMPARE(panel->lossChart()->curves().size(), 3);
        QCOMPARE(panel->gapChart()->curves().size(), 2);
        // Constant losses: FP8 is (0.52 - 0.5) / 0.5 = +4% above FP32 at every step, the other
        // FP32 seed -2%.
        for (double v : panel->gapChart()->curves()[0].series.values)
            QVERIFY(std::abs(v - 4.0) < 1e-9);
        for (double v : panel->gapChart()->curves()[1].series.values)
            QVERIFY(std::abs(v + 2.0) < 1e-9);
        QVERIFY2(panel->summary().contains(QStringLiteral("FP8 +4.00% against FP32")),
                 qPrintable(panel->summary()));
        QVERIFY(panel->summary().contains(QStringLiteral("-2.00%")));
        QVERIFY(panel->summary().contains(QStringLiteral("FP8 80.0%, FP32 90.0%")));
        QCOMPARE(page.exportables().size(), 2 + 1);  // the two curves and the memory chart
        // Overlaying the others on the Training page: the FP32 twin and the other seed.
        QSignalSpy overlay(&page, &PrecisionPage::overlayRequested);
        auto* button = page.findChild<QPushButton*>(QStringLiteral("fp8OverlayButton"));
        QVERIFY(button && !button->isHidden());
        button->click();
        QCOMPARE(overlay.count(), 1);
        QCOMPARE(overlay.first().first().value<QList<qint64>>(), QList<qint64>({1, 3}));

        // A run without a twin says what to do.
        page.setRun(db, 3);
        QVERIFY(waitForReads(reader));
        QVERIFY(panel->lossChart()->curves().isEmpty());
        QVERIFY(panel->summary().contains(QStringLiteral("--precision fp8")));
        QVERIFY(button->isHidden());
    }

    void memoryChartIsTheComputedRecipe() {
        MemoryPanel panel;
        const Fp8MemoryResult tiny = fp8_training_memory(ModelConfig::preset("tiny"));
        viz::BarChart* chart = panel.chart();
        QCOMPARE(chart->groups(), QStringList({"FP32", "BF16", "FP8"}));
        QCOMPARE(chart->categories().size(), 7);
        const double mib = 1024.0 * 1024.0;
        QCOMPARE(chart->value(2, 6), tiny.recipes[2].total() / mib);
        // FP32, by hand: 4 bytes of weights per parameter, 12 more (gradient, m, v) per
        // trainable one (the router's bias buffers are not trained).
        QCOMPARE(chart->value(0, 6),
                 (4.0 * double(tiny.params.total) + 12.0 * double(tiny.params.trainable)) / mib);
        panel.showModel(1);
        const Fp8MemoryResult v3 = fp8_training_memory(ModelConfig::preset("deepseek-v3"));
        const double tib = mib * mib;
        QCOMPARE(chart->value(2, 0), v3.recipes[2].weights / tib);
        QVERIFY(chart->title().contains(QStringLiteral("DeepSeek-V3")));
        QVERIFY(panel.exportables().front()->csv().contains(QStringLiteral("\nfp8,")));
    }

    void tabsAnswerToPageNames() {
        QCOMPARE(pageIdForName(QStringLiteral("precision")), QStringLiteral("precision"));
        QCOMPARE(pageIdForName(QStringLiteral("Training in FP8")), QStringLiteral("precision"));
        QCOMPARE(pageSectionForName(QStringLiteral("fp8-memory")), QStringLiteral("fp8-memory"));
        PrecisionPage page;
        page.showSection(QStringLiteral("fp8-training"));
        QCOMPARE(page.currentTab(), PrecisionPage::Tab::training);
        page.showSection(QStringLiteral("fp8-memory"));
        QCOMPARE(page.currentTab(), PrecisionPage::Tab::memory);
    }
};

QTEST_MAIN(TestPrecisionPage)
#include "test_precision_page.moc"
