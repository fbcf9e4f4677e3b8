// Figures follow the window's theme: after applyTheme(Dark) every kind of figure (Qt Charts
// metric chart, heatmap, bar chart, scaling plot, token strip, model diagram) repaints with a
// dark background and light text, live; exported files stay white unless a dark export is
// asked for (the export dialog's Background). Colours are read back from rendered images.
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QTest>

#include <memory>
#include <vector>

#include "gui/figures/export_figure_dialog.h"
#include "gui/theme.h"
#include "tests/scratch_dir.h"
#include "viz/bar_chart.h"
#include "viz/exporters.h"
#include "viz/figure_painter.h"
#include "viz/heatmap_widget.h"
#include "viz/metric_chart.h"
#include "viz/model_diagram.h"
#include "viz/scaling_plot.h"
#include "viz/token_strip.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

// One of each figure kind, with data and a title.
std::vector<std::unique_ptr<QWidget>> figures() {
    std::vector<std::unique_ptr<QWidget>> out;
    auto chart = std::make_unique<viz::MetricChart>();
    viz::MetricSeries s;
    for (int i = 0; i < 50; ++i) {
        s.steps.push_back(i);
        s.wallTimes.push_back(i);
        s.values.push_back(i * 0.1);
    }
    chart->setTitle(QStringLiteral("Loss"));
    chart->setSeries({viz::RunCurve{1, QStringLiteral("run"), s}});
    out.push_back(std::move(chart));
    auto heat = std::make_unique<viz::HeatmapWidget>();
    heat->setTitle(QStringLiteral("Heat"));
    heat->setMatrix(viz::Matrix(4, 4, 0.5f));
    out.push_back(std::move(heat));
    auto bars = std::make_unique<viz::BarChart>();
    bars->setTitle(QStringLiteral("Bars"));
    bars->setData({"a", "b"}, {"g"}, {{1.0, 2.0}});
    out.push_back(std::move(bars));
    auto plot = std::make_unique<viz::ScalingPlot>();
    plot->setTitle(QStringLiteral("Scaling"));
    plot->setCurves({viz::ScalingCurve{QStringLiteral("c"), {1, 2, 4}, {0.5, 0.6, 0.7}, {}, {}}});
    out.push_back(std::move(plot));
    auto strip = std::make_unique<viz::TokenStrip>();
    strip->setTitle(QStringLiteral("Tokens"));
    strip->setTokens({"a", "b"}, {0, 1});
    out.push_back(std::move(strip));
    auto diagram = std::make_unique<viz::ModelDiagram>();
    diagram->setTitle(QStringLiteral("Model"));
    diagram->setRows(
        {viz::DiagramRow{QStringLiteral("Input"), {viz::DiagramBox{"Embedding", {"8,192"}, 0}}}});
    out.push_back(std::move(diagram));
    for (auto& w : out) w->resize(480, 320);
    return out;
}

QColor corner(const QImage& image) {
    return image.pixelColor(2, 2);
}

// Share of pixels much lighter than the background: text and lines.
bool hasLightInk(const QImage& image) {
    int light = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            light += image.pixelColor(x, y).lightness() > 180 ? 1 : 0;
    return light > 20;
}

}  // namespace

class TestFigureTheme : public QObject {
    Q_OBJECT

  private slots:
    void cleanup() {
        applyTheme(*qApp, Theme::Light);
        viz::setExportFigureTheme(viz::FigureTheme::Light);
    }

    void everyFigureTurnsDarkLiveAndBack() {
        auto widgets = figures();
        applyTheme(*qApp, Theme::Light);
        for (auto& w : widgets) QCOMPARE(corner(w->grab().toImage()).lightness(), 255);
        applyTheme(*qApp, Theme::Dark);  // live: the same widgets, not rebuilt
        for (auto& w : widgets) {
            const QImage image = w->grab().toImage();
            QVERIFY2(corner(image).lightness() < 60, w->metaObject()->className());
            QVERIFY2(hasLightInk(image), w->metaObject()->className());
        }
        applyTheme(*qApp, Theme::Light);
        for (auto& w : widgets) QCOMPARE(corner(w->grab().toImage()).lightness(), 255);
    }

    void exportsStayWhiteUnlessDarkIsAsked() {
        applyTheme(*qApp, Theme::Dark);
        const QString dir = QString::fromStdString(testing::fresh_dir("theme", "export").string());
        auto widgets = figures();
        for (auto& w : widgets) {
            auto* figure = dynamic_cast<viz::Exportable*>(w.get());
            const QString white = dir + QStringLiteral("/white.png");
            QVERIFY(viz::Exporter::exportPng(*figure, white, QSize(400, 300), 1.0));
            QCOMPARE(corner(QImage(white)).lightness(), 255);
            // The export dialog's dark background.
            ExportFigureDialog dialog(*figure, dir + QStringLiteral("/dark.png"));
            dialog.setDarkBackground(true);
            QCOMPARE(dialog.exportNow(), QString());
            const QImage dark(dir + QStringLiteral("/dark.png"));
            QVERIFY2(corner(dark).lightness() < 60, w->metaObject()->className());
            QVERIFY(hasLightInk(dark));
            QCOMPARE(viz::exportFigureTheme(), viz::FigureTheme::Light);  // restored
        }
        // On screen the figures stayed dark throughout.
        QVERIFY(corner(widgets.front()->grab().toImage()).lightness() < 60);
    }
};

QTEST_MAIN(TestFigureTheme)
#include "test_figure_theme.moc"
