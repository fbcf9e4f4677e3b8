// Inference page: its acceptance figures equal speculation_stats() over the same greedy
// speculative decoding of the held-out prompts (by position, by class, the token strip, and
// the curve's last checkpoint), the measurements run on a worker thread and stop mid-way on
// Cancel, a model without MTP and a folder that is no checkpoint are said so, every figure
// exports with its CSV columns, and the former page id "kv-cache" opens the KV cache tab.
#include "core/checkpoint.h"
#include "core/generator.h"
#include "core/token_class.h"
#include "training/evaluator.h"
#include "training/speculation_eval.h"
#include "training/task.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>

#include "gui/pages/acceptance_panel.h"
#include "gui/pages/inference_page.h"
#include "gui/pages/kv_cache_panel.h"
#include "gui/pages/page_registry.h"
#include "gui/pages/throughput_panel.h"
#include "gui/theme.h"
#include "read_wait.h"
#include "synthetic_run.h"
#include "tests/image_stats.h"
#include "viz/bar_chart.h"
#include "viz/exporters.h"
#include "viz/scaling_plot.h"
#include "viz/token_strip.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

constexpr int kPrompts = 8;  // held-out prompts per measurement: enough drafts, fast

// A randomly initialised tiny model saved as a checkpoint of 2-digit addition.
ModelConfig tinyConfig(int mtpLayers = 1) {
    ModelConfig c = ModelConfig::preset("tiny");
    c.num_nextn_predict_layers = mtpLayers;
    return c;
}

void saveCheckpoint(const QString& dir, std::uint64_t seed, int mtpLayers = 1) {
    ParamStore params(tinyConfig(mtpLayers));
    init_params(params, seed, 0.08f);
    TaskOptions options;
    options.digits = 2;
    save_checkpoint(dir.toStdString(), params, Tokenizer(), nullptr,
                    {{"task", "addition"}, {"task_options", options.to_json().dump()}});
}

// What the page decodes, decoded again here: greedy, speculative, the evaluator's stops.
GenerationResult decodeHeldOut(const QString& dir, std::vector<std::vector<int>>& prompts) {
    CheckpointLoadOptions load;
    load.optimizer = false;
    const Checkpoint ck = load_checkpoint(dir.toStdString(), load);
    TaskOptions options;
    options.digits = 2;
    prompts = held_out_prompts(*make_task("addition", options), ck.tokenizer, kPrompts, 7);
    GenerationOptions gen;
    gen.max_new_tokens = SpeculationEvalOptions{}.max_new_tokens;
    gen.sampling.temperature = 0.0f;
    gen.stop_tokens = evaluation_stop_tokens();
    gen.speculative = true;
    Generator generator(ck.params, CacheMode::latent);
    return generator.generate(prompts, gen);
}

// Opens the checkpoint, waits for the acceptance and the curve that follow by themselves,
// then measures throughput at `batches` (one run each).
bool measureEverything(InferencePage& page, const QString& checkpoint, const QList<int>& batches) {
    page.setMeasureWhileHidden(true);
    page.setHeldOutPrompts(kPrompts);
    page.setThroughputBatches(batches, 1);
    QSignalSpy curve(&page, &InferencePage::curveMeasured);
    if (!page.openCheckpoint(checkpoint) || !curve.wait(120000)) return false;
    QSignalSpy throughput(&page, &InferencePage::throughputMeasured);
    return page.measureThroughput() && throughput.wait(60000);
}

QStringList csvHeaderAndSize(const QString& path, int* lines) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QStringList all =
        QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    *lines = static_cast<int>(all.size());
    return all.value(0).split(QLatin1Char(','));
}

}  // namespace

class TestInferencePage : public QObject {
    Q_OBJECT

    QString m_dir;
    QString m_run;  // a run folder with checkpoints step-10, step-20, step-30

  private slots:
    void initTestCase();
    void acceptanceEqualsSpeculationStats();
    void modelComesFromTheRunCheckpoint();
    void throughputIsMeasuredAndCancelled();
    void acceptanceCanBeCancelled();
    void hiddenPageMeasuresOnceShown();
    void modelWithoutMtpOrNoCheckpointIsSaidSo();
    void everyFigureExportsWithItsColumns();
    void formerPageIdOpensTheKvCacheTab();
    void tabsRenderLightAndDark();
};

void TestInferencePage::initTestCase() {
    m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/inference_page");
    QDir(m_dir).removeRecursively();
    m_run = m_dir + QStringLiteral("/run-1");
    QVERIFY(QDir().mkpath(m_run));
    for (int step : {10, 20, 30})
        saveCheckpoint(m_run + QStringLiteral("/step-%1").arg(step), step);
}

void TestInferencePage::acceptanceEqualsSpeculationStats() {
    InferencePage page;
    page.setMeasureWhileHidden(true);
    page.setHeldOutPrompts(kPrompts);
    QSignalSpy accepted(&page, &InferencePage::acceptanceMeasured);
    QSignalSpy curve(&page, &InferencePage::curveMeasured);
    const QString dir = m_run + QStringLiteral("/step-30");
    QVERIFY(page.openCheckpoint(dir));
    QVERIFY(page.isMeasuring());  // on the worker thread, started by itself
    QVERIFY(accepted.wait(60000));

    std::vector<std::vector<int>> prompts;
    const GenerationResult r = decodeHeldOut(dir, prompts);
    const SpeculationStats want = speculation_stats(r.sequences);
    QVERIFY(want.drafted > 0);
    const AcceptanceView& view = page.acceptancePanel()->acceptance();
    QCOMPARE(view.drafted, want.drafted);
    QCOMPARE(view.accepted, want.accepted);
    QCOMPARE(view.draftedAt, want.drafted_at);
    QCOMPARE(view.acceptedAt, want.accepted_at);
    // The plotted points are accepted / drafted at their positions.
    const viz::ScalingCurve& plotted = page.acceptancePanel()->byPositionPlot()->curves().at(0);
    QVERIFY(!plotted.k.empty());
    for (std::size_t i = 0; i < plotted.k.size(); ++i) {
        const auto k = static_cast<std::size_t>(plotted.k[i]);
        QCOMPARE(plotted.mean[i], double(want.accepted_at[k]) / double(want.drafted_at[k]));
        QVERIFY(plotted.low[i] <= plotted.mean[i] && plotted.mean[i] <= plotted.high[i]);
    }
    // By class: the bars are the classes' rates (chart order: thinking digits, answer digits,
    // tags, other).
    const SpeculationByClass byClass = speculation_by_class(Tokenizer(), prompts, r.sequences);
    const TokenClass order[] = {TokenClass::digit, TokenClass::answer_digit, TokenClass::tag,
                                TokenClass::other};
    for (int c = 0; c < 4; ++c) {
        const int k = static_cast<int>(order[c]);
        const double bar = page.acceptancePanel()->byClassChart()->value(0, c);
        if (byClass.drafted[k] == 0)
            QVERIFY(std::isnan(bar));
        else
            QCOMPARE(bar, double(byClass.accepted[k]) / double(byClass.drafted[k]));
    }
    // The strip: the first completion with a rejected draft (the first if none), after its
    // prompt, each token marked with its draft outcome.
    std::size_t shown = 0;
    while (shown + 1 < r.sequences.size() &&
           std::count(r.sequences[shown].draft_outcome.begin(),
                      r.sequences[shown].draft_outcome.end(), SequenceOutput::kDraftRejected) == 0)
        ++shown;
    const SequenceOutput& out = r.sequences[shown];
    viz::TokenStrip* strip = page.acceptancePanel()->tokenStrip();
    const std::size_t p = prompts[shown].size();
    QCOMPARE(strip->tokens().size(), qsizetype(p + out.tokens.size()));
    for (std::size_t i = 0; i < p; ++i) QCOMPARE(strip->categories()[i], 0);
    for (std::size_t k = 0; k < out.tokens.size(); ++k) {
        const signed char o = out.draft_outcome[k];
        const int want = o == SequenceOutput::kDraftAccepted   ? 2
                         : o == SequenceOutput::kDraftRejected ? 3
                                                               : 1;
        QCOMPARE(strip->categories()[p + k], want);
    }
    // The curve follows by itself: every checkpoint of the folder, the last being this one.
    QVERIFY(curve.wait(60000));
    const std::vector<CurvePoint>& points = page.acceptancePanel()->curve();
    QCOMPARE(points.size(), std::size_t(3));
    QCOMPARE(points[0].step, qint64(10));
    QCOMPARE(points[2].step, qint64(30));
    QCOMPARE(points[2].drafted, want.drafted);
    QCOMPARE(points[2].accepted, want.accepted);
    QVERIFY(!page.isBusy());
}

void TestInferencePage::modelComesFromTheRunCheckpoint() {
    const QString dir = m_dir + QStringLiteral("/synthetic");
    QVERIFY(QDir().mkpath(dir));
    const synthetic::Database db = synthetic::create(dir.toStdString());
    RunReader reader;
    InferencePage page;
    page.setMeasureWhileHidden(true);
    page.setHeldOutPrompts(kPrompts);
    page.setReader(&reader);
    QVERIFY(!page.isEmptyStateVisible());
    QVERIFY(page.modelDescription().contains(QStringLiteral("no run is open")));
    QVERIFY(!page.hasTrainedModel());
    // A fresh model: the acceptance figures say what to do; only the KV figures export.
    QVERIFY(page.acceptancePanel()->summaryText().contains(QStringLiteral("Open Checkpoint")));
    QCOMPARE(page.exportables().size(), 3);
    page.setRun(QString::fromStdString(db.path), db.balancedRun);
    QVERIFY(waitForReads(reader));
    QVERIFY2(page.modelDescription().contains(QStringLiteral("step 39")),
             qPrintable(page.modelDescription()));
    QCOMPARE(page.modelConfig().balance_mode, BalanceMode::aux_free);
    QCOMPARE(page.kvCachePanel()->modelConfig().balance_mode, BalanceMode::aux_free);
    QVERIFY(page.hasTrainedModel());
    QVERIFY(page.isBusy());                            // measuring the checkpoint's draft
    page.setRun(QString::fromStdString(db.path), 77);  // no such run
    QVERIFY(waitForReads(reader));
    QVERIFY(page.modelDescription().contains(QStringLiteral("freshly initialised")));
    QVERIFY(page.modelDescription().contains(QStringLiteral("77")));
    QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 30000);  // the old measurement was cancelled
    page.clearRun();
    QVERIFY(page.modelDescription().contains(QStringLiteral("no run is open")));
}

void TestInferencePage::throughputIsMeasuredAndCancelled() {
    InferencePage page;  // a fresh tiny model
    page.setThroughputBatches({1, 2}, 1);
    QSignalSpy done(&page, &InferencePage::throughputMeasured);
    QVERIFY(page.throughputPanel()->exportables().isEmpty());
    QVERIFY(page.measureThroughput());
    QVERIFY(page.isMeasuring());
    QVERIFY(!page.measureThroughput());  // one measurement at a time
    QVERIFY(done.wait(120000));
    const ThroughputView& view = page.throughputPanel()->view();
    QCOMPARE(view.points.size(), std::size_t(8));  // 2 modes x 2 batches x plain/speculative
    viz::BarChart* chart = page.throughputPanel()->throughputChart();
    QCOMPARE(chart->categories(), (QStringList{"1", "2"}));
    QCOMPARE(chart->groups().size(), 4);
    for (int g = 0; g < 4; ++g)
        for (int c = 0; c < 2; ++c) QVERIFY(chart->value(g, c) > 0.0);
    for (const ThroughputView::Point& p : view.points) {
        if (!p.speculative) continue;
        // Speculative speed-up = its tokens per second over plain decoding's.
        QVERIFY(std::isfinite(page.throughputPanel()->speedup(p.latent, p.batch)));
    }
    QCOMPARE(page.throughputPanel()->speedupChart()->referenceLines().at(0).value, 1.8);
    QCOMPARE(page.throughputPanel()->exportables().size(), 2);

    // Cancel mid-measurement: it stops within a decode step, the charts say so.
    page.setThroughputBatches({1, 64}, 5);
    QSignalSpy finished(&page, &InferencePage::measurementFinished);
    QVERIFY(page.measureThroughput());
    QTest::qWait(300);
    QVERIFY(page.isMeasuring());
    QElapsedTimer clock;
    clock.start();
    page.cancelMeasurement();
    QVERIFY(finished.wait(10000));
    QVERIFY(clock.elapsed() < 5000);
    QCOMPARE(finished.last().at(1).toBool(), true);  // cancelled
    QVERIFY(page.measurementStatus().contains(QStringLiteral("cancelled")));
    QVERIFY(page.throughputPanel()->exportables().isEmpty());
}

void TestInferencePage::acceptanceCanBeCancelled() {
    InferencePage page;
    page.setMeasureWhileHidden(true);
    page.setHeldOutPrompts(64);
    QSignalSpy finished(&page, &InferencePage::measurementFinished);
    QVERIFY(page.openCheckpoint(m_run + QStringLiteral("/step-20")));
    QVERIFY(page.isMeasuring());
    page.cancelMeasurement();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.last().at(0).toString(), QStringLiteral("acceptance"));
    QCOMPARE(finished.last().at(1).toBool(), true);
    QVERIFY(page.acceptancePanel()->summaryText().contains(QStringLiteral("Measure Again")));
    QVERIFY(page.acceptancePanel()->exportables().isEmpty());
    QVERIFY(!page.isBusy());  // the curve does not follow a cancelled measurement
}

void TestInferencePage::hiddenPageMeasuresOnceShown() {
    // In the window a page the user never looks at spends nothing: its measurements wait.
    InferencePage page;
    page.setHeldOutPrompts(kPrompts);
    QSignalSpy accepted(&page, &InferencePage::acceptanceMeasured);
    QVERIFY(page.openCheckpoint(m_run + QStringLiteral("/step-10")));
    QVERIFY(!page.isMeasuring());
    QVERIFY(!page.isBusy());  // nothing under way that a screenshot would wait for
    page.show();
    QVERIFY(page.isMeasuring());
    QVERIFY(accepted.wait(60000));
    page.hide();
    QVERIFY(page.openCheckpoint(m_run + QStringLiteral("/step-20")));  // while the curve runs
    QTRY_VERIFY_WITH_TIMEOUT(!page.isMeasuring(), 30000);  // cancelled, the next one waits
    QVERIFY(page.acceptancePanel()->exportables().isEmpty());
    page.show();
    QVERIFY(accepted.wait(60000));
    QCOMPARE(accepted.count(), 2);
}

void TestInferencePage::modelWithoutMtpOrNoCheckpointIsSaidSo() {
    const QString noMtp = m_dir + QStringLiteral("/no-mtp");
    saveCheckpoint(noMtp, 5, /*mtpLayers=*/0);
    InferencePage page;
    page.setMeasureWhileHidden(true);
    page.setThroughputBatches({1}, 1);
    QVERIFY(page.openCheckpoint(noMtp));
    QVERIFY(!page.isMeasuring());
    QVERIFY(!page.measureAcceptance());
    QVERIFY2(page.acceptancePanel()->summaryText().contains(QStringLiteral("no MTP module")),
             qPrintable(page.acceptancePanel()->summaryText()));
    // Throughput: plain decoding only; no speed-up to show.
    QSignalSpy done(&page, &InferencePage::throughputMeasured);
    QVERIFY(page.measureThroughput());
    QVERIFY(done.wait(60000));
    QCOMPARE(page.throughputPanel()->throughputChart()->groups().size(), 2);
    QVERIFY(page.throughputPanel()->speedupChart()->groups().isEmpty());
    QCOMPARE(page.throughputPanel()->exportables().size(), 1);

    // A folder that is no checkpoint: refused with the reason; the model stays.
    const QString empty = m_dir + QStringLiteral("/empty");
    QVERIFY(QDir().mkpath(empty));
    const QString before = page.modelDescription();
    QVERIFY(!page.openCheckpoint(empty));
    QVERIFY(page.measurementStatus().contains(QStringLiteral("not a checkpoint directory")));
    QCOMPARE(page.modelDescription(), before);
}

void TestInferencePage::everyFigureExportsWithItsColumns() {
    InferencePage page;
    QVERIFY(measureEverything(page, m_run + QStringLiteral("/step-10"), {1}));
    const QString dir = m_dir + QStringLiteral("/export");
    const viz::ExportReport report = viz::Exporter::exportAll(page.exportables(), dir);
    QVERIFY2(report.ok(), qPrintable(report.errors.join(QLatin1Char('\n'))));
    const QList<QPair<QString, QString>> columns = {
        {"inference-acceptance-by-position",
         "position,drafted,accepted,acceptance,ci95_low,ci95_high"},
        {"inference-acceptance-by-class", "class,drafted,accepted,acceptance,ci95_low,ci95_high"},
        {"inference-acceptance-over-training",
         "step,drafted,accepted,acceptance,ci95_low,ci95_high,tokens_per_forward,checkpoint,"
         "error"},
        {"inference-draft-tokens", "index,token,category,category_name,tooltip"},
        {"inference-throughput",
         "cache,batch,decoding,calls,tokens,seconds,tokens_per_second,main_forwards,"
         "tokens_per_forward"},
        {"inference-speedup",
         "cache,batch,plain_tokens_per_second,speculative_tokens_per_second,speedup"},
        {"kv-bytes-per-token", "category,group,value"}};
    const int rows[] = {-1, 1 + 4 + 1, 1 + 3, -1, 1 + 4, 1 + 2, 1 + 12};
    for (int i = 0; i < columns.size(); ++i) {
        const QString stem = dir + QLatin1Char('/') + columns[i].first;
        for (const char* ext : {".png", ".svg", ".pdf", ".csv"})
            QVERIFY2(QFileInfo(stem + QLatin1String(ext)).size() > 0,
                     qPrintable(stem + QLatin1String(ext)));
        int lines = 0;
        QCOMPARE(csvHeaderAndSize(stem + QStringLiteral(".csv"), &lines).join(QLatin1Char(',')),
                 columns[i].second);
        if (rows[i] > 0) QCOMPARE(lines, rows[i]);
    }
}

void TestInferencePage::formerPageIdOpensTheKvCacheTab() {
    QCOMPARE(pageIdForName(QStringLiteral("kv-cache")), QStringLiteral("inference"));
    QCOMPARE(pageIdForName(QStringLiteral("KV Cache")), QStringLiteral("inference"));
    QCOMPARE(pageSectionForName(QStringLiteral("kv_cache")), QStringLiteral("kv-cache"));
    QCOMPARE(pageSectionForName(QStringLiteral("inference")), QString());
    QVERIFY(pageIds().contains(QStringLiteral("inference")));
    QVERIFY(!pageIds().contains(QStringLiteral("kv-cache")));
    InferencePage page;
    QCOMPARE(page.currentTab(), InferencePage::Tab::acceptance);
    page.showSection(pageSectionForName(QStringLiteral("kv-cache")));
    QCOMPARE(page.currentTab(), InferencePage::Tab::kvCache);
    auto* tabs = page.findChild<QTabWidget*>(QStringLiteral("inferenceTabs"));
    QVERIFY(tabs);
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(page.kvCachePanel()));
}

void TestInferencePage::tabsRenderLightAndDark() {
    // Every tab with data, kept in the scratch folder to look at; not blank.
    InferencePage page;
    QVERIFY(measureEverything(page, m_run + QStringLiteral("/step-30"), {1, 2}));
    page.resize(1380, 820);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    for (Theme theme : {Theme::Light, Theme::Dark}) {
        applyTheme(*app, theme);
        QTest::qWait(50);  // palette change events reach the widgets
        for (InferencePage::Tab tab :
             {InferencePage::Tab::acceptance, InferencePage::Tab::throughput,
              InferencePage::Tab::kvCache}) {
            page.showTab(tab);
            const QImage shot = page.grab().toImage();
            QVERIFY(greyStdDev(shot) > 15.0);
            QVERIFY(shot.save(m_dir +
                              QStringLiteral("/tab_%1_%2.png").arg(int(tab)).arg(themeKey(theme))));
        }
    }
    applyTheme(*app, Theme::Light);
}

QTEST_MAIN(TestInferencePage)
#include "test_inference_page.moc"
