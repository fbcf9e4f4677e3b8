// Routing page on a stored run: the heatmaps hold the stored load relative to 1/E, cells are
// painted in the colour map's colour of their value, dead and overloaded experts are marked,
// MaxVio follows its formula, the scrubber moves the step, a second run is shown side by side
// on the same colour scale, the token view recomputes the routing of a stored rollout
// through the run's checkpoint, live steps extend the run, and the page is not blank.
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <cmath>

#include "gui/pages/routing_page.h"
#include "gui/pages/token_routing_view.h"
#include "read_wait.h"
#include "synthetic_run.h"
#include "tests/image_stats.h"
#include "viz/curve_chart.h"
#include "viz/heatmap_widget.h"
#include "viz/token_strip.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

QImage render(viz::HeatmapWidget& w, QSize size) {
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    w.paint(p, QRectF(QPointF(0, 0), QSizeF(size)));
    return image;
}

}  // namespace

class TestRoutingPage : public QObject {
    Q_OBJECT

    synthetic::Database m_db;
    QString m_dir;

  private slots:
    void initTestCase() {
        m_dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/routing_page");
        QDir(m_dir).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir));
        m_db = synthetic::create(m_dir.toStdString());
    }

    void emptyUntilARunIsSet() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        QVERIFY(page.isEmptyStateVisible());
        QVERIFY(page.exportables().isEmpty());
    }

    // A remembered layer (the window restores it when the database opens, before the run is
    // read) is chosen once the run has it; a layer the user picks becomes the view's.
    void rememberedLayerWaitsForTheRun() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.restoreViewState({{QStringLiteral("layer"), 3}});
        page.setRun(QString::fromStdString(m_db.path), m_db.collapsedRun);
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.currentLayer(), 3);
        QSignalSpy chosen(&page, &RoutingPage::layerChosen);
        auto* combo = page.findChild<QComboBox*>(QStringLiteral("layerCombo"));
        const int index = combo->findData(2);
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
        emit combo->activated(index);  // what a user's pick sends
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(page.viewState().value(QStringLiteral("layer")).toInt(), 2);
    }

    void heatmapHoldsRelativeLoadAndMarks() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.collapsedRun);
        QVERIFY(waitForReads(reader));
        QVERIFY(!page.isEmptyStateVisible());
        const int last = synthetic::kSteps - 1;
        QCOMPARE(page.currentStep(), qint64(last));
        const viz::Matrix& m = page.loadHeatmap()->matrix();
        QCOMPARE(m.rows(), 4);
        QCOMPARE(m.cols(), synthetic::kExperts);
        for (int r = 0; r < m.rows(); ++r)
            for (int e = 0; e < m.cols(); ++e)
                QCOMPARE(m.value(r, e), synthetic::share(false, r, last, e) * 8.0f);
        // Row labels carry the layer and its MaxVio = max / mean - 1.
        float top = 0;
        for (int e = 0; e < 8; ++e) top = std::max(top, synthetic::share(false, 0, last, e));
        const double vio = top * 8.0 - 1.0;
        QVERIFY2(m.rowLabels[0].contains(QString::number(vio, 'f', 2)), qPrintable(m.rowLabels[0]));
        QVERIFY(m.rowLabels[3].contains(QStringLiteral("MTP")));
        // Fixed scale: 0 .. E/K = 4, balanced (1) in the middle.
        QCOMPARE(page.loadHeatmap()->colorMap().maximum(), 4.0);
        QCOMPARE(page.loadHeatmap()->colorMap().center(), 1.0);
        QVERIFY(page.loadHeatmap()->title().contains(QStringLiteral("no balancing")));
        // Experts 0 and 1 of row 0 are overloaded (marker 2), the rest dead (marker 1).
        const QString tipHot = page.loadHeatmap()->toolTipForCell(0, 0);
        const QString tipDead = page.loadHeatmap()->toolTipForCell(0, 5);
        QVERIFY2(tipHot.contains(QStringLiteral("overloaded")), qPrintable(tipHot));
        QVERIFY2(tipDead.contains(QStringLiteral("dead")), qPrintable(tipDead));
    }

    void cellPixelHasColourMapColour() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        page.setStep(3);
        QCOMPARE(page.currentStep(), qint64(3));
        viz::HeatmapWidget* w = page.loadHeatmap();
        const QSize size(900, 400);
        const QImage image = render(*w, size);
        const QRectF canvas(QPointF(0, 0), QSizeF(size));
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 8; ++c) {
                const QRectF cell = w->cellRect(r, c, canvas);
                QVERIFY(!cell.isEmpty());
                // A corner of the cell, away from any marker in its centre.
                const QPoint p = (cell.topLeft() + QPointF(3, 3)).toPoint();
                const float value = synthetic::share(true, r, 3, c) * 8.0f;
                QCOMPARE(w->matrix().value(r, c), value);
                const QColor expected = w->colorMap().color(value);
                const QColor got = image.pixelColor(p);
                QVERIFY2(std::abs(got.red() - expected.red()) <= 1 &&
                             std::abs(got.green() - expected.green()) <= 1 &&
                             std::abs(got.blue() - expected.blue()) <= 1,
                         qPrintable(QStringLiteral("cell %1,%2: %3 vs %4")
                                        .arg(r)
                                        .arg(c)
                                        .arg(got.name(), expected.name())));
            }
    }

    void overTimeAndCurves() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        page.setLayer(2);
        QCOMPARE(page.currentLayer(), 2);
        const viz::Matrix& t = page.loadOverTimeHeatmap()->matrix();
        QCOMPARE(t.rows(), synthetic::kExperts);
        QCOMPARE(t.cols(), synthetic::kSteps);
        QCOMPARE(t.value(5, 17), synthetic::share(true, 1, 17, 5) * 8.0f);  // layer 2 = row 1
        QCOMPARE(t.colLabels[17], QStringLiteral("17"));

        const QList<viz::LabelledCurve>& vio = page.maxVioChart()->curves();
        QCOMPARE(vio.size(), 4);
        float top = 0;
        for (int e = 0; e < 8; ++e) top = std::max(top, synthetic::share(true, 2, 11, e));
        QVERIFY(std::abs(vio[2].series.values[11] - (top * 8.0 - 1.0)) < 1e-5);
        // The CSV names what each curve is, with every point.
        const QString csv = page.maxVioChart()->csv();
        QVERIFY(csv.startsWith(QStringLiteral("run,layer,step,wall_time,max_vio\n")));
        QCOMPARE(csv.count(QLatin1Char('\n')), 1 + 4 * synthetic::kSteps);

        const QList<viz::LabelledCurve>& bias = page.biasChart()->curves();
        QCOMPARE(bias.size(), synthetic::kExperts);
        QCOMPARE(bias[3].series.values[20], double(synthetic::bias(true, 1, 20, 3)));
    }

    void scrubberMovesTheStep() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.collapsedRun);
        QVERIFY(waitForReads(reader));
        auto* slider = page.findChild<QSlider*>(QStringLiteral("stepSlider"));
        QVERIFY(slider);
        QCOMPARE(slider->maximum(), synthetic::kSteps - 1);
        slider->setValue(12);
        QCOMPARE(page.currentStep(), qint64(12));
        QCOMPARE(page.loadHeatmap()->matrix().value(1, 4),
                 synthetic::share(false, 1, 12, 4) * 8.0f);
        QVERIFY(page.loadHeatmap()->title().contains(QStringLiteral("step 12")));
    }

    void comparesTwoRunsOnOneScale() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        auto* combo = page.findChild<QComboBox*>(QStringLiteral("compareCombo"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), 2);  // "(no comparison)" and the other run
        page.setCompareRun(m_db.collapsedRun);
        QCOMPARE(page.compareRunId(), qint64(m_db.collapsedRun));
        QVERIFY(!page.loadHeatmap(1)->isHidden());
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.loadHeatmap(1)->matrix().rows(), 4);
        QCOMPARE(page.loadHeatmap(0)->colorMap().maximum(),
                 page.loadHeatmap(1)->colorMap().maximum());
        QVERIFY(page.loadHeatmap(0)->title().contains(QStringLiteral("aux-loss-free")));
        QVERIFY(page.loadHeatmap(1)->title().contains(QStringLiteral("no balancing")));
        // MaxVio of the chosen layer, one curve per run: flat near 0 against 3 (= E/K - 1).
        const QList<viz::LabelledCurve>& vio = page.maxVioChart()->curves();
        QCOMPARE(vio.size(), 2);
        QVERIFY(vio[0].series.values.back() < 0.05);
        QVERIFY(std::abs(vio[1].series.values.back() - 3.0) < 0.01);
        QVERIFY(vio[1].legend.contains(QStringLiteral("no balancing")));
        // 2+2 heatmaps and 2 charts, and the token strip once its trace (not waited for here,
        // so it may or may not have arrived) is drawn.
        const bool traced = !page.tokenView()->strip()->tokens().isEmpty();
        QCOMPARE(page.exportables().size(), 6 + (traced ? 1 : 0));
        page.setCompareRun(0);
        QVERIFY(page.loadHeatmap(1)->isHidden());
    }

    void tokenViewRecomputesRouting() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        QSignalSpy shown(page.tokenView(), &TokenRoutingView::routingShown);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && !page.tokenView()->isTracing(), 20000);
        viz::TokenStrip* strip = page.tokenView()->strip();
        // The last step with rollouts is 35; its first rollout is traced.
        QCOMPARE(page.tokenView()->rolloutStep(), qint64(35));
        const std::string text = synthetic::prompt(35, 0) + synthetic::completion(35, 0);
        const int expected = 1 + static_cast<int>(Tokenizer().encode(text).size());  // + <bos>
        QCOMPARE(strip->tokens().size(), expected);
        QCOMPARE(strip->tokens().front(), QStringLiteral("<bos>"));
        const TokenRouting& r = page.tokenView()->routing();
        QCOMPARE(r.layers, (std::vector<int>{1, 2, 3}));
        for (int t = 0; t < strip->tokens().size(); ++t) {
            const int e = strip->categories()[static_cast<std::size_t>(t)];
            QVERIFY(e >= 0 && e < synthetic::kExperts);
            // The first layer (1) colours the tokens by default.
            QCOMPARE(e, r.topExpert(t, 0));
            // Gate weights are normalised over the chosen experts (norm_topk_prob).
            float sum = 0;
            for (int k = 0; k < r.topK; ++k) sum += r.weight(t, 0, k);
            QVERIFY(std::abs(sum - 1.0f) < 1e-4f);
        }
        QVERIFY(strip->toolTipForToken(3).contains(QStringLiteral("gate weight")));
        // Another layer recolours from the same trace.
        page.setLayer(3);
        QVERIFY(!page.tokenView()->isTracing());
        for (int t = 0; t < strip->tokens().size(); ++t)
            QCOMPARE(strip->categories()[static_cast<std::size_t>(t)], r.topExpert(t, 2));
    }

    void liveStepsExtendTheRun() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        StepReport r;
        r.run_id = m_db.balancedRun;
        r.step = synthetic::kSteps;
        r.wall_time = 99.0;
        r.expert_load = ExpertMatrix(synthetic::kLayers, synthetic::kExperts, 0.125f);
        r.expert_load.at(0, 0) = 0.3f;
        StepReport other = r;
        other.run_id = m_db.collapsedRun;  // another run: ignored
        other.step = synthetic::kSteps + 1;
        page.appendSteps({r, other});
        QCOMPARE(page.history().stepCount(), synthetic::kSteps + 1);
        QCOMPARE(page.currentStep(), qint64(synthetic::kSteps));  // followed the new step
        QCOMPARE(page.loadHeatmap()->matrix().value(0, 0), 0.3f * 8.0f);
    }

    void liveRolloutsFillAnEmptyTokenView() {
        // A run that has only SFT steps (no rollouts) gets its first GRPO step live.
        const std::string path = (m_dir + QStringLiteral("/live.db")).toStdString();
        RunStore writer(path);
        NewRun nr;
        nr.name = "live";
        nr.kind = "pipeline";
        nr.config_json = synthetic::configJson("aux_free");
        const std::int64_t run = writer.create_run(nr);
        StepReport r;
        r.run_id = run;
        r.step = 1;
        r.expert_load = ExpertMatrix(synthetic::kLayers, synthetic::kExperts, 0.125f);
        writer.append_step(r);
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(path), run);
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.tokenView()->rolloutStep(), qint64(-1));
        r.step = 2;
        r.rollouts.resize(2);
        for (RolloutSample& x : r.rollouts) x.prompt = "1+2=";
        writer.append_step(r);  // stored first, then delivered by the hub
        page.appendSteps({r});
        QCOMPARE(page.history().stepCount(), 2);
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.tokenView()->rolloutStep(), qint64(2));
        QCOMPARE(page.tokenView()->rolloutCombo()->count(), 2);
        // No checkpoint yet: the view says so instead of showing tokens.
        QVERIFY(page.tokenView()->strip()->tokens().isEmpty());
        // The run's checkpoint appears (its stage ended): the routing is recomputed.
        const std::string ck = (m_dir + QStringLiteral("/ck_live")).toStdString();
        ParamStore params(ModelConfig::preset("tiny"));
        init_params(params, 3);
        save_checkpoint(ck, params, Tokenizer(), nullptr);
        writer.add_checkpoint(run, 2, ck);
        QSignalSpy shown(page.tokenView(), &TokenRoutingView::routingShown);
        page.refreshTokenView();
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && !page.tokenView()->isTracing(), 20000);
        QCOMPARE(page.tokenView()->strip()->tokens().size(), 5);  // <bos> 1 + 2 =
    }

    void unknownRunShowsTheReason() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_db.path), 999);
        QVERIFY(waitForReads(reader));
        QVERIFY(!page.isEmptyStateVisible());
        QVERIFY(page.exportables().isEmpty());
    }

    void pageRendersNotBlank() {
        RunReader reader;
        RoutingPage page;
        page.setReader(&reader);
        page.resize(1300, 850);
        QSignalSpy shown(page.tokenView(), &TokenRoutingView::routingShown);
        page.setRun(QString::fromStdString(m_db.path), m_db.balancedRun);
        QVERIFY(waitForReads(reader));
        page.setStep(10);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && !page.tokenView()->isTracing(), 20000);
        for (const bool compare : {false, true}) {
            page.setCompareRun(compare ? m_db.collapsedRun : 0);
            QVERIFY(waitForReads(reader));
            QTest::qWait(50);
            const QImage shot = page.grab().toImage();
            QVERIFY(greyStdDev(shot) > 20.0);
            // Kept for looking at after a run of the test.
            QVERIFY(shot.save(m_dir + (compare ? QStringLiteral("/routing_page_compare.png")
                                               : QStringLiteral("/routing_page.png"))));
        }
    }
};

QTEST_MAIN(TestRoutingPage)
#include "test_routing_page.moc"
