// MetricChart: renders data (and an empty/error state otherwise), log-y filtering, stable run
// colours, nearest-point hover, decimation of what is drawn, zoom/pan/reset, full CSV.
#include <QAreaSeries>
#include <QChart>
#include <QGraphicsScene>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

#include <QtTest>
#include <algorithm>

#include <cmath>

#include "tests/image_stats.h"
#include "viz/color_map.h"
#include "viz/metric_chart.h"
#include "viz/smoothing.h"

using namespace tinyseek::viz;

namespace {

MetricSeries ramp(int n, double stepStride = 1.0, double offset = 0.0) {
    MetricSeries s;
    s.name = QStringLiteral("reward");
    for (int i = 0; i < n; ++i)
        s.append(i * stepStride, i * 0.5, offset + std::sin(i * 0.05) + 0.001 * i);
    return s;
}

QImage renderChart(MetricChart& chart, QSize size) {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    chart.renderTo(p, QRectF(QPointF(0, 0), QSizeF(size)));
    return image;
}

int pixelsNear(const QImage& image, const QColor& color, int tolerance = 40) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                    std::abs(c.blue() - color.blue()) <
                tolerance)
                ++count;
        }
    return count;
}

QColor seriesColor(MetricChart& chart, const QString& name) {
    for (QAbstractSeries* s : chart.chart()->series())
        if (s->name() == name) return static_cast<QLineSeries*>(s)->pen().color();
    return QColor();
}

}  // namespace

class TestMetricChart : public QObject {
    Q_OBJECT

  private slots:
    void rendersDataNotBlank() {
        MetricChart chart;
        chart.setTitle(QStringLiteral("Reward"));
        chart.updateRun(4, QStringLiteral("run four"), ramp(2000));
        QVERIFY(chart.stateText().isEmpty());
        const QImage image = renderChart(chart, QSize(640, 400));
        QVERIFY(greyStdDev(image) > 10.0);
        // The smoothed line is drawn in the run's colour: plenty of such pixels.
        QVERIFY(pixelsNear(image, runColor(4)) > 300);
    }

    // Qt Charts lays an axis out for its new range before the chart re-ticks it: a range that
    // grows a thousandfold at once (a stored or followed run arriving in bulk) must already
    // carry the new tick interval then, or the axis builds a tick item for every old interval
    // (tens of thousands here, seconds of GUI time).
    void aBulkUpdateNeverLaysOutThousandsOfTicks() {
        MetricChart chart;
        chart.resize(640, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.updateRun(4, QStringLiteral("run four"), ramp(10));
        QTest::qWait(50);  // laid out for the small range
        QGraphicsScene* scene = chart.chart()->scene();
        QVERIFY(scene);
        const qsizetype before = scene->items().size();
        chart.updateRun(4, QStringLiteral("run four"), ramp(100000));
        // Counted before the next layout pass would delete surplus tick items again.
        const qsizetype after = scene->items().size();
        QVERIFY2(after < before + 100,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    }

    // One evaluation so far: a line of one point draws nothing, so the point is a dot (the
    // run's colour appears on the chart); from three points on it is a plain line.
    void aLoneEvaluationIsDrawnAsADot() {
        MetricChart chart;
        chart.setSmoothing(0.0);
        chart.setSeries({RunCurve{1, QStringLiteral("run"), ramp(1)}});
        const auto dotted = [&chart] {
            for (QAbstractSeries* s : chart.chart()->series())
                if (auto* line = qobject_cast<QLineSeries*>(s); line && line->isVisible())
                    return line->pointsVisible();
            return false;
        };
        QVERIFY(dotted());
        QVERIFY(pixelsNear(renderChart(chart, QSize(640, 400)), runColor(1), 40) > 10);
        chart.setSeries({RunCurve{1, QStringLiteral("run"), ramp(5)}});
        QVERIFY(!dotted());
    }

    // 200 values near 1 and one spike of 50: Auto shows the spike, Ignore outliers keeps the
    // 1st-99th percentile (the spike out, every ordinary value in), Start at zero adds 0.
    void yRangeModes() {
        MetricSeries s;
        for (int i = 0; i < 200; ++i) {
            s.steps.push_back(i);
            s.wallTimes.push_back(i);
            s.values.push_back(i == 100 ? 50.0 : 1.0 + 0.001 * i);
        }
        MetricChart chart;
        chart.setSmoothing(0.0);
        chart.setSeries({RunCurve{1, QStringLiteral("run"), s}});
        const auto yRange = [&chart] {
            double x0, x1, y0, y1;
            chart.visibleRange(&x0, &x1, &y0, &y1);
            return std::pair<double, double>(y0, y1);
        };
        const auto all = yRange();
        QVERIFY(all.second > 50.0);
        chart.setYRangeMode(YRangeMode::IgnoreOutliers);
        QVERIFY2(yRange().second < 2.0, qPrintable(QString::number(yRange().second)));
        QVERIFY(yRange().first > 0.9 && yRange().first < 1.01);
        chart.setYRangeMode(YRangeMode::StartAtZero);
        QVERIFY(yRange().first <= 0.0);
        QVERIFY(yRange().second > 50.0);
        chart.setYRangeMode(YRangeMode::Auto);
        QCOMPARE(yRange(), all);
    }

    void emptyAndErrorStates() {
        MetricChart chart;
        QCOMPARE(chart.stateText(), QStringLiteral("No data yet"));
        const QImage empty = renderChart(chart, QSize(640, 400));
        // The message is drawn near the centre; no axes or curves anywhere.
        bool textInCentre = false;
        for (int y = 180; y < 220 && !textInCentre; ++y)
            for (int x = 260; x < 380 && !textInCentre; ++x)
                textInCentre = qGray(empty.pixel(x, y)) < 160;
        QVERIFY(textInCentre);
        QCOMPARE(pixelsNear(empty, runColor(4)), 0);

        chart.updateRun(4, QStringLiteral("run four"), ramp(100));
        QVERIFY(chart.stateText().isEmpty());
        chart.setErrorText(QStringLiteral("database is locked"));
        QCOMPARE(chart.stateText(), QStringLiteral("database is locked"));
        const QImage error = renderChart(chart, QSize(640, 400));
        QCOMPARE(pixelsNear(error, runColor(4)), 0);
        QVERIFY(pixelsNear(error, QColor(180, 30, 30), 60) > 20);
        chart.clearError();
        QVERIFY(chart.stateText().isEmpty());

        // A series of only NaNs is "no data", not an empty-looking chart.
        MetricSeries nan;
        nan.append(0, 0, std::nan(""));
        MetricChart nanChart;
        nanChart.updateRun(1, QStringLiteral("r"), nan);
        QCOMPARE(nanChart.stateText(), QStringLiteral("No data yet"));
    }

    void logYFiltersNonPositive() {
        MetricSeries s;
        const double values[] = {-1.0, 0.0, 0.5, 2.0, 8.0, 3.0, 0.0, 1.0};
        for (int i = 0; i < 8; ++i) s.append(i, i, values[i]);
        MetricChart chart;
        chart.setSmoothing(0.5);
        chart.updateRun(1, QStringLiteral("loss"), s);
        QVERIFY(chart.logNoteText().isEmpty());
        bool hasNonPositive = false;
        for (const QPointF& p : chart.drawnPoints(1, false)) hasNonPositive |= p.y() <= 0.0;
        QVERIFY(hasNonPositive);

        chart.setLogY(true);
        const QList<QPointF> raw = chart.drawnPoints(1, false);
        const QList<QPointF> smoothed = chart.drawnPoints(1, true);
        QCOMPARE(raw.size(), 5);  // 0.5, 2, 8, 3, 1
        for (const QPointF& p : raw) QVERIFY(p.y() > 0.0);
        for (const QPointF& p : smoothed) QVERIFY(p.y() > 0.0);
        QVERIFY2(chart.logNoteText().contains(QLatin1Char('3')), qPrintable(chart.logNoteText()));
        double x0, x1, y0, y1;
        chart.visibleRange(&x0, &x1, &y0, &y1);
        QVERIFY(y0 > 0.0);
        QVERIFY(y1 >= 8.0);

        // Nothing positive at all: say so instead of drawing an empty log plot.
        MetricSeries negative;
        negative.append(0, 0, -2.0);
        negative.append(1, 1, 0.0);
        chart.updateRun(1, QStringLiteral("loss"), negative);
        QVERIFY(chart.stateText().contains(QStringLiteral("log")));
        chart.setLogY(false);
        QVERIFY(chart.stateText().isEmpty());
    }

    void coloursAreStablePerRunId() {
        MetricChart a;
        a.updateRun(5, QStringLiteral("five"), ramp(50));
        a.updateRun(2, QStringLiteral("two"), ramp(50));
        MetricChart b;
        b.updateRun(2, QStringLiteral("two"), ramp(50));
        b.updateRun(9, QStringLiteral("nine"), ramp(50));
        b.updateRun(5, QStringLiteral("five"), ramp(50));
        QCOMPARE(seriesColor(a, QStringLiteral("five")), runColor(5));
        QCOMPARE(seriesColor(b, QStringLiteral("five")), runColor(5));
        QCOMPARE(seriesColor(a, QStringLiteral("two")), seriesColor(b, QStringLiteral("two")));
        QVERIFY(runColor(2) != runColor(5));
        // Removing a run does not recolour the others.
        b.removeRun(2);
        QCOMPARE(seriesColor(b, QStringLiteral("five")), runColor(5));
        QCOMPARE(seriesColor(b, QStringLiteral("nine")), runColor(9));
        QVERIFY(seriesColor(b, QStringLiteral("two")) == QColor());
    }

    void hoverReturnsNearestPoint() {
        MetricSeries s;
        for (int i = 0; i <= 10; ++i) s.append(i * 10, 100 + i * 60, i * i);
        MetricChart chart;
        chart.setSmoothing(0.5);
        chart.updateRun(3, QStringLiteral("a"), s);
        const std::vector<double> smoothed = emaSmooth(s.values, 0.5);

        QList<HoverValue> h = chart.hoverValues(14.0);
        QCOMPARE(h.size(), 1);
        QCOMPARE(h[0].step, 10.0);
        QCOMPARE(h[0].raw, 1.0);
        QCOMPARE(h[0].smoothed, smoothed[1]);
        QCOMPARE(h[0].color, runColor(3));
        h = chart.hoverValues(16.0);
        QCOMPARE(h[0].step, 20.0);
        QCOMPARE(h[0].raw, 4.0);
        QCOMPARE(chart.hoverValues(1e9)[0].step, 100.0);

        // Wall-time axis (700 s of data -> minutes): x is in axis units.
        chart.setXAxisMode(XAxisMode::WallTime);
        QCOMPARE(chart.xUnitSeconds(), 60.0);
        h = chart.hoverValues(520.0 / 60.0);  // 520 s -> nearest logged wall time 520 (step 70)
        QCOMPARE(h[0].step, 70.0);

        // The mouse path: a view position over step 50 shows step 50 in the callout.
        chart.setXAxisMode(XAxisMode::Step);
        chart.resize(640, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QLineSeries* series = nullptr;
        for (QAbstractSeries* a : chart.chart()->series())
            if (a->name() == QStringLiteral("a")) series = static_cast<QLineSeries*>(a);
        QVERIFY(series);
        const QPointF inChart = chart.chart()->mapToPosition(QPointF(51, 25), series);
        const QPoint inView = chart.mapFromScene(chart.chart()->mapToScene(inChart));
        chart.showHoverAt(inView);
        // Step and training time (400 s at step 50), raw and smoothed values.
        QVERIFY2(chart.hoverText().startsWith(QStringLiteral("Step 50 · 6 min 40 s")),
                 qPrintable(chart.hoverText()));
        QVERIFY(chart.hoverText().contains(QStringLiteral("a: 25 (smoothed ")));
        chart.hideHover();
        QVERIFY(chart.hoverText().isEmpty());
    }

    void drawsDecimatedPointsKeepingSpikes() {
        MetricSeries s = ramp(100000);
        s.values[77777] = 500.0;
        MetricChart chart;
        chart.setSmoothing(0.9);
        chart.resize(800, 500);
        chart.updateRun(1, QStringLiteral("big"), s);
        const QList<QPointF> raw = chart.drawnPoints(1, false);
        QVERIFY2(raw.size() <= 2 * 1000 + 4, qPrintable(QString::number(raw.size())));
        QVERIFY(raw.size() > 200);
        QCOMPARE(raw.first().x(), 0.0);
        QCOMPARE(raw.last().x(), 99999.0);
        bool spike = false;
        for (const QPointF& p : raw) spike |= (p.x() == 77777.0 && p.y() == 500.0);
        QVERIFY(spike);
    }

    void zoomPanAndReset() {
        MetricChart chart;
        chart.setSmoothing(0.0);
        chart.resize(640, 400);
        chart.updateRun(1, QStringLiteral("big"), ramp(100000));
        QVERIFY(chart.isAutoRange());

        // Zooming re-decimates over the visible range: 1001 points fit, so all are drawn.
        chart.zoomToRange(1000, 2000, -2, 2);
        QVERIFY(!chart.isAutoRange());
        QList<QPointF> pts = chart.drawnPoints(1, true);
        QCOMPARE(pts.size(), 1001 + 2);  // plus one neighbour on each side
        QCOMPARE(pts.first().x(), 999.0);
        QCOMPARE(pts.last().x(), 2001.0);

        // Live updates keep the user's zoom.
        chart.updateRun(1, QStringLiteral("big"), ramp(100500));
        double x0, x1, y0, y1;
        chart.visibleRange(&x0, &x1, &y0, &y1);
        QCOMPARE(x0, 1000.0);
        QCOMPARE(x1, 2000.0);

        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QVERIFY(chart.chart()->plotArea().width() > 100);
        const QPoint centre =
            chart.mapFromScene(chart.chart()->mapToScene(chart.chart()->plotArea().center()));

        // Wheel up zooms in around the mouse.
        QWheelEvent wheel(centre, chart.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(chart.viewport(), &wheel);
        chart.visibleRange(&x0, &x1, &y0, &y1);
        QVERIFY2(std::abs((x1 - x0) - 800.0) < 5.0, qPrintable(QString::number(x1 - x0)));
        QVERIFY(std::abs((x0 + x1) / 2 - 1500.0) < 5.0);

        // Ctrl + left drag pans: dragging right by 1/4 of the plot moves the range left.
        const double before = x0;
        const double pixelsPerUnit = chart.chart()->plotArea().width() / (x1 - x0);
        const int dx = static_cast<int>(chart.chart()->plotArea().width() / 4);
        QTest::mousePress(chart.viewport(), Qt::LeftButton, Qt::ControlModifier, centre);
        QTest::mouseMove(chart.viewport(), centre + QPoint(dx, 0));
        QTest::mouseRelease(chart.viewport(), Qt::LeftButton, Qt::ControlModifier,
                            centre + QPoint(dx, 0));
        chart.visibleRange(&x0, &x1, &y0, &y1);
        QVERIFY2(std::abs((before - x0) - dx / pixelsPerUnit) < 3.0,
                 qPrintable(QString("%1 -> %2").arg(before).arg(x0)));

        // Double-click resets to the data bounds and follows the data again.
        QTest::mouseDClick(chart.viewport(), Qt::LeftButton, Qt::NoModifier, centre);
        QVERIFY(chart.isAutoRange());
        chart.visibleRange(&x0, &x1, &y0, &y1);
        QCOMPARE(x0, 0.0);
        QCOMPARE(x1, 100499.0);
    }

    void yTickLabelsFitTheChartHeight() {
        // MaxVio-like data (0..1.6): six nice ticks would be 0.2 apart, nine labels. Qt Charts
        // elides every label to "..." when they do not fit between the ticks, so a short chart
        // must get fewer ticks, and a tall one keeps more.
        MetricSeries s;
        s.name = QStringLiteral("max_vio");
        for (int i = 0; i <= 300; ++i) s.append(i, i, 1.6 * (i % 50) / 49.0);
        MetricChart chart;
        chart.updateRun(1, QStringLiteral("r"), s);
        const auto yTicks = [&chart] {
            const auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0));
            if (!y || y->tickType() != QValueAxis::TicksDynamic) return -1;
            return static_cast<int>(std::floor((y->max() - y->min()) / y->tickInterval())) + 1;
        };
        const auto truncated = [&chart] {
            return chart.chart()->axes(Qt::Vertical).value(0)->labelsTruncated();
        };
        chart.resize(480, 190);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QTRY_VERIFY(chart.chart()->plotArea().height() > 0);
        QTest::qWait(50);
        const int shortTicks = yTicks();
        QVERIFY2(shortTicks >= 2 && shortTicks <= 4, qPrintable(QString::number(shortTicks)));
        QVERIFY(!truncated());

        chart.resize(480, 700);
        QTRY_VERIFY(yTicks() > shortTicks);
        QTest::qWait(50);
        QVERIFY(!truncated());
    }

    void csvHasEveryPoint() {
        MetricChart chart;
        chart.setSmoothing(0.6);
        chart.updateRun(2, QStringLiteral("long, run"), ramp(100000));
        chart.updateRun(1, QStringLiteral("short"), ramp(10, 5.0));
        const QString csv = chart.csv();
        const QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 100000 + 10);
        QCOMPARE(lines.first(), QStringLiteral("run,step,wall_time,value,smoothed"));
        // Ordered by run id; names with commas are quoted; numbers read back exactly.
        QVERIFY(lines.at(1).startsWith(QStringLiteral("short,0,0,")));
        QVERIFY(lines.at(11).startsWith(QStringLiteral("\"long, run\",0,0,")));
        const MetricSeries s = ramp(100000);
        const std::vector<double> smoothed = emaSmooth(s.values, 0.6);
        const QStringList last = lines.last().split(QLatin1Char(','));
        QCOMPARE(last.size(), 6);  // quoted name holds one comma
        QCOMPARE(last.at(2).toDouble(), 99999.0);
        QCOMPARE(last.at(4).toDouble(), s.values.back());
        QCOMPARE(last.at(5).toDouble(), smoothed.back());
    }

    // A group's band: drawn as an area behind its lines, in the run's colour, inside the
    // auto range, smoothed like the mean, and in the CSV as two more columns.
    void drawsABandBehindAGroupsMean() {
        MetricChart chart;
        chart.setSmoothing(0.0);
        MetricSeries mean = ramp(50);
        std::vector<double> low, high;
        for (double v : mean.values) {
            low.push_back(v - 3.0);
            high.push_back(v + 3.0);
        }
        chart.setSeries({{5, QStringLiteral("group"), mean, low, high},
                         {6, QStringLiteral("single"), ramp(50, 1.0, 0.5)}});
        QAreaSeries* band = nullptr;
        int bandAt = -1, groupLineAt = -1;
        const QList<QAbstractSeries*> drawn = chart.chart()->series();  // in drawing order
        for (int i = 0; i < drawn.size(); ++i) {
            if (auto* area = qobject_cast<QAreaSeries*>(drawn[i])) {
                band = area;
                bandAt = i;
            }
            if (drawn[i]->name() == QStringLiteral("group")) groupLineAt = i;
        }
        QVERIFY(band);
        QVERIFY(bandAt < groupLineAt);  // the group's mean is drawn over its band
        QCOMPARE(band->brush().color().rgb(), runColor(5).rgb());
        QCOMPARE(band->upperSeries()->count(), band->lowerSeries()->count());
        QVERIFY(band->upperSeries()->count() > 0);
        const auto* y = static_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).first());
        QVERIFY(y->max() >= *std::max_element(high.begin(), high.end()));
        QVERIFY(y->min() <= *std::min_element(low.begin(), low.end()));
        const QStringList csv = chart.csv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(csv.first(),
                 QStringLiteral("run,step,wall_time,value,smoothed,band_low,band_high"));
        // The group's first row carries the band's edges at its first step.
        const QStringList header = csv.first().split(QLatin1Char(','));
        const QStringList groupRow = csv.at(1).split(QLatin1Char(','));
        QCOMPARE(groupRow.size(), 7);
        QCOMPARE(groupRow.at(header.indexOf(QStringLiteral("band_low"))).toDouble(), low[0]);
        QCOMPARE(groupRow.at(header.indexOf(QStringLiteral("band_high"))).toDouble(), high[0]);
        QVERIFY(csv.last().endsWith(QStringLiteral(",,")));  // the single run has no band
        // A band that does not match the series is dropped, not drawn misaligned.
        low.pop_back();
        chart.setSeries({{5, QStringLiteral("group"), mean, low, high}});
        for (QAbstractSeries* s : chart.chart()->series()) QVERIFY(!qobject_cast<QAreaSeries*>(s));
    }
};

QTEST_MAIN(TestMetricChart)
#include "test_metric_chart.moc"
