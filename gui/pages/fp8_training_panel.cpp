#include "gui/pages/fp8_training_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

#include "gui/figures/figure_export.h"
#include "viz/curve_chart.h"

namespace tinyseek::gui {

namespace {

viz::MetricSeries vizSeries(const MetricSeries& points, const QString& name, double scale = 1.0) {
    viz::MetricSeries out;
    out.name = name;
    out.reserve(points.size());
    for (const MetricPoint& p : points) out.append(double(p.step), p.wall_time, scale * p.value);
    return out;
}

// A loss gap, signed with two decimals; an accuracy (sign = false) with one.
QString gapPercent(double fraction, bool sign = true) {
    if (!std::isfinite(fraction)) return QStringLiteral("–");
    return (sign && fraction >= 0 ? QStringLiteral("+") : QString()) +
           QString::number(100.0 * fraction, 'f', sign ? 2 : 1) + QLatin1Char('%');
}

QString armLegend(const PrecisionArm& arm, const QString& precision) {
    return Fp8TrainingPanel::tr("%1, seed %2 (run %3)")
        .arg(precision)
        .arg(arm.seed)
        .arg(arm.run_id);
}

viz::LabelledCurve curve(int id, const QString& legend, const PrecisionArm& arm,
                         viz::MetricSeries series) {
    return {id,
            legend,
            {QString::number(arm.run_id), QString::fromStdString(arm.name)},
            std::move(series)};
}

}  // namespace

Fp8TrainingPanel::Fp8TrainingPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("fp8TrainingSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_overlay = new QPushButton(tr("Overlay on the Training Page"), this);
    m_overlay->setObjectName(QStringLiteral("fp8OverlayButton"));
    m_overlay->setToolTip(tr("Show these runs together on the Training page, every metric"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_overlay, 0, Qt::AlignTop);
    layout->addLayout(top);
    connect(m_overlay, &QPushButton::clicked, this, [this] {
        QList<qint64> ids;
        for (const PrecisionArm* arm :
             {&m_comparison.fp8, &m_comparison.fp32, &m_comparison.fp32_other})
            if (arm->run_id) ids << arm->run_id;
        emit overlayRequested(ids);
    });
    m_loss = new viz::CurveChart(this);
    m_loss->setObjectName(QStringLiteral("fp8LossChart"));
    m_loss->setTitle(tr("SFT loss: FP8 against FP32"));
    m_loss->setYAxisTitle(tr("loss"));
    m_loss->setLogY(true);
    m_loss->setCsvColumns({QStringLiteral("run"), QStringLiteral("name")}, QStringLiteral("loss"));
    m_gap = new viz::CurveChart(this);
    m_gap->setObjectName(QStringLiteral("fp8GapChart"));
    m_gap->setYAxisTitle(tr("gap (%)"));
    m_gap->setSmoothing(0.0);
    m_gap->setCsvColumns({QStringLiteral("run"), QStringLiteral("name")},
                         QStringLiteral("gap_percent"));
    layout->addWidget(m_loss, 3);
    layout->addWidget(m_gap, 2);
    m_figures = {new NamedFigure(QStringLiteral("precision-training-loss"), m_loss),
                 new NamedFigure(QStringLiteral("precision-training-gap"), m_gap)};
    clearComparison(tr("Open a run to compare it with its FP8 or FP32 twin."));
}

Fp8TrainingPanel::~Fp8TrainingPanel() {
    qDeleteAll(m_figures);
}

int Fp8TrainingPanel::gapWindow(std::int64_t sftSteps) {
    return static_cast<int>(std::max<std::int64_t>(1, sftSteps / 20));
}

void Fp8TrainingPanel::clearComparison(const QString& why) {
    m_comparison = {};
    m_shown = false;
    m_loss->setCurves({});
    m_gap->setCurves({});
    m_loss->setEmptyText(why);
    m_gap->setEmptyText(why);
    m_gap->setTitle(tr("Relative SFT loss gap"));
    m_summary->setText(why);
    m_overlay->setVisible(false);
}

void Fp8TrainingPanel::showComparison(const PrecisionComparison& c) {
    m_comparison = c;
    m_shown = true;
    const PrecisionArm* other = c.fp32_other.run_id ? &c.fp32_other : nullptr;
    QList<viz::LabelledCurve> losses = {curve(0, armLegend(c.fp32, QStringLiteral("FP32")), c.fp32,
                                              vizSeries(c.fp32.loss, QStringLiteral("loss"))),
                                        curve(1, armLegend(c.fp8, QStringLiteral("FP8")), c.fp8,
                                              vizSeries(c.fp8.loss, QStringLiteral("loss")))};
    if (other)
        losses << curve(2, armLegend(*other, QStringLiteral("FP32")), *other,
                        vizSeries(other->loss, QStringLiteral("loss")));
    m_loss->setCurves(losses);

    const int window = gapWindow(c.sft_steps);
    QList<viz::LabelledCurve> gaps = {
        curve(1, tr("FP8 against FP32 (same seed)"), c.fp8,
              vizSeries(relative_gap_curve(c.fp8.loss, c.fp32.loss, c.sft_steps, window),
                        QStringLiteral("gap"), 100.0))};
    if (other)
        gaps << curve(
            2, tr("FP32 seed %1 against seed %2 (the noise)").arg(other->seed).arg(c.fp32.seed),
            *other,
            vizSeries(relative_gap_curve(other->loss, c.fp32.loss, c.sft_steps, window),
                      QStringLiteral("gap"), 100.0));
    m_gap->setTitle(tr("Relative SFT loss gap, trailing means over %1 steps").arg(window));
    m_gap->setCurves(gaps);
    m_summary->setText(summary());
    m_overlay->setVisible(true);
}

QString Fp8TrainingPanel::describeGaps() const {
    const PrecisionComparison& c = m_comparison;
    const std::int64_t first = static_cast<std::int64_t>(0.9 * double(c.sft_steps)) + 1;
    QString text = tr("SFT loss gap over the stage's last 10% (steps %1–%2): FP8 %3 against "
                      "FP32; whole stage %4.")
                       .arg(first)
                       .arg(c.sft_steps)
                       .arg(gapPercent(c.fp8_gap.last_tenth), gapPercent(c.fp8_gap.whole));
    if (c.fp32_other.run_id)
        text += QLatin1Char(' ') +
                tr("Two FP32 seeds differ by %1 (last 10%) and %2 (whole): "
                   "the noise.")
                    .arg(gapPercent(c.seed_gap.last_tenth), gapPercent(c.seed_gap.whole));
    else
        text += QLatin1Char(' ') + tr("No FP32 run of another seed is stored to show the noise.");
    return text + QLatin1Char(' ') + tr("DeepSeek-V3 reports its FP8 loss within 0.25% of BF16.");
}

QString Fp8TrainingPanel::describeAccuracy() const {
    const PrecisionComparison& c = m_comparison;
    auto end = [](const PrecisionArm& a) {
        return a.accuracy.empty() ? std::nan("") : a.accuracy.back().value;
    };
    return tr("Held-out accuracy at step 1,000: FP8 %1, FP32 %2; at the end: FP8 %3, FP32 %4.")
        .arg(gapPercent(value_at_step(c.fp8.accuracy, 1000), false),
             gapPercent(value_at_step(c.fp32.accuracy, 1000), false), gapPercent(end(c.fp8), false),
             gapPercent(end(c.fp32), false));
}

QString Fp8TrainingPanel::summary() const {
    if (!m_shown) return m_summary->text();
    return describeGaps() + QLatin1Char('\n') + describeAccuracy();
}

QList<viz::Exportable*> Fp8TrainingPanel::exportables() const {
    if (!m_shown) return {};
    return {m_figures[0], m_figures[1]};
}

}  // namespace tinyseek::gui
