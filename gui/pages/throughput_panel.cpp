#include "gui/pages/throughput_panel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTextStream>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "gui/figures/figure_export.h"
#include "viz/bar_chart.h"
#include "viz/exporters.h"

namespace tinyseek::gui {

namespace {

QString groupedInt(double v) {
    return std::isfinite(v) ? QLocale().toString(static_cast<qlonglong>(std::llround(v)))
                            : QStringLiteral("n/a");
}

QString times(double v) {
    return std::isfinite(v) ? QLocale().toString(v, 'f', 2) + QStringLiteral("×")
                            : QStringLiteral("n/a");
}

// Axis ticks: as many digits as the tick needs (0.2×, 1×, 1.8×).
QString timesTick(double v) {
    return QLocale().toString(v, 'g', 3) + QStringLiteral("×");
}

const char* modeKey(bool latent) {
    return latent ? "latent" : "expanded";
}

}  // namespace

ThroughputPanel::ThroughputPanel(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_measureButton = new QPushButton(tr("Measure Throughput"), this);
    m_measureButton->setObjectName(QStringLiteral("measureButton"));
    m_measureButton->setToolTip(
        tr("Time plain and speculative decoding of held-out prompts in "
           "both cache modes at each batch size (on a worker thread)"));
    connect(m_measureButton, &QPushButton::clicked, this, &ThroughputPanel::measureRequested);
    m_plan = new QLabel(this);
    m_plan->setObjectName(QStringLiteral("throughputPlan"));
    m_plan->setWordWrap(true);
    top->addWidget(m_measureButton, 0, Qt::AlignTop);
    top->addWidget(m_plan, 1);
    outer->addLayout(top);
    auto* charts = new QHBoxLayout;
    m_throughput = new viz::BarChart(this);
    m_speedup = new viz::BarChart(this);
    m_throughput->setObjectName(QStringLiteral("throughputChart"));
    m_speedup->setObjectName(QStringLiteral("speedupChart"));
    const auto figures = [this] { return exportables(); };
    for (viz::BarChart* chart : {m_throughput, m_speedup}) {
        chart->setMinimumHeight(260);
        FigureExport::install(chart, chart, figures);
        charts->addWidget(chart, 1);
    }
    outer->addLayout(charts, 1);
    m_figures = {new TableFigure(QStringLiteral("inference-throughput"), m_throughput,
                                 [this](QTextStream& out) { writeThroughputCsv(out); }),
                 new TableFigure(QStringLiteral("inference-speedup"), m_speedup,
                                 [this](QTextStream& out) { writeSpeedupCsv(out); })};
    describeCharts();
}

ThroughputPanel::~ThroughputPanel() {
    qDeleteAll(m_figures);
}

void ThroughputPanel::describeCharts() {
    m_throughput->setLogScale(true);
    m_throughput->setValueFormatter(groupedInt);
    m_throughput->setTitle(tr("Generated tokens per second"));
    m_throughput->setXAxisTitle(tr("Sequences per batch"));
    m_throughput->setYAxisTitle(tr("Tokens per second (log scale)"));
    m_speedup->setValueFormatter(times);
    m_speedup->setAxisFormatter(timesTick);
    m_speedup->setTitle(tr("Speed-up of speculative decoding"));
    m_speedup->setXAxisTitle(tr("Sequences per batch"));
    m_speedup->setYAxisTitle(tr("Speculative ÷ plain tokens per second"));
    m_speedup->setReferenceLines(
        {{tr("DeepSeek-V3 reported"), kDeepSeekV3Speedup}, {tr("no gain"), 1.0}});
}

void ThroughputPanel::setMeasureEnabled(bool enabled) {
    m_measureButton->setEnabled(enabled);
}

void ThroughputPanel::setPlan(const QString& text) {
    m_plan->setText(text);
}

void ThroughputPanel::clearThroughput(const QString& why) {
    m_view = ThroughputView();
    m_throughput->setData({}, {}, {});
    m_speedup->setData({}, {}, {});
    m_throughput->setNote(QString());
    m_speedup->setNote(QString());
    m_throughput->setEmptyText(why);
    m_speedup->setEmptyText(why);
}

const ThroughputView::Point* ThroughputPanel::find(bool latent, int batch, bool speculative) const {
    for (const ThroughputView::Point& p : m_view.points)
        if (p.latent == latent && p.batch == batch && p.speculative == speculative) return &p;
    return nullptr;
}

QList<int> ThroughputPanel::batches() const {
    QList<int> out;
    for (const ThroughputView::Point& p : m_view.points)
        if (!out.contains(p.batch)) out << p.batch;
    return out;
}

double ThroughputPanel::speedup(bool latent, int batch) const {
    const ThroughputView::Point* plain = find(latent, batch, false);
    const ThroughputView::Point* spec = find(latent, batch, true);
    if (!plain || !spec || !(plain->tokensPerSecond() > 0))
        return std::numeric_limits<double>::quiet_NaN();
    return spec->tokensPerSecond() / plain->tokensPerSecond();
}

void ThroughputPanel::showThroughput(const ThroughputView& view) {
    m_view = view;
    fillThroughput();
    fillSpeedup();
}

void ThroughputPanel::fillThroughput() {
    QStringList categories;
    for (int b : batches()) categories << QString::number(b);
    QStringList groups;
    std::vector<std::vector<double>> values;
    for (bool latent : {true, false})
        for (bool speculative : {false, true}) {
            std::vector<double> row;
            bool any = false;
            for (int b : batches()) {
                const ThroughputView::Point* p = find(latent, b, speculative);
                row.push_back(p ? p->tokensPerSecond() : std::nan(""));
                any = any || p;
            }
            if (!any) continue;
            groups << (speculative ? tr("speculative, %1") : tr("plain, %1"))
                          .arg(latent ? tr("latent") : tr("expanded"));
            values.push_back(row);
        }
    m_throughput->setData(categories, groups, values);
    m_throughput->setNote(
        tr("A batch of B greedily decodes the first B held-out prompts, at most %1 new tokens "
           "each, stopping at </answer> or <eos>; the fastest of %2 samples of at least %3 s on "
           "this machine with %n OpenMP thread(s). Both decodings emit the same tokens.",
           "", m_view.threads)
            .arg(m_view.maxNewTokens)
            .arg(m_view.repeats)
            .arg(m_view.minSeconds));
}

void ThroughputPanel::fillSpeedup() {
    QStringList categories;
    for (int b : batches()) categories << QString::number(b);
    QStringList groups;
    std::vector<std::vector<double>> values;
    QStringList perForward;
    for (bool latent : {true, false}) {
        std::vector<double> row;
        bool any = false;
        for (int b : batches()) {
            row.push_back(speedup(latent, b));
            any = any || std::isfinite(row.back());
            if (const ThroughputView::Point* p = find(latent, b, true); p && p->forwards > 0)
                perForward << tr("%1 batch %2: %3")
                                  .arg(latent ? tr("latent") : tr("expanded"))
                                  .arg(b)
                                  .arg(QLocale().toString(double(p->tokens) / p->forwards, 'f', 2));
        }
        if (!any) continue;
        groups << (latent ? tr("latent cache") : tr("expanded cache"));
        values.push_back(row);
    }
    m_speedup->setData(categories, groups, values);
    QString note = tr("Tokens per main-model forward (the speed-up if drafting and verifying "
                      "cost nothing): %1.")
                       .arg(perForward.join(QStringLiteral("; ")));
    if (!m_view.trained)
        note += QLatin1Char(' ') + tr("A freshly initialised model drafts almost nothing right: "
                                      "this shows the cost of speculation alone.");
    m_speedup->setNote(note);
    m_speedup->setEmptyText(
        tr("This model has no MTP module, so there is no speculative "
           "decoding to compare with."));
}

void ThroughputPanel::writeThroughputCsv(QTextStream& out) const {
    out << "cache,batch,decoding,calls,tokens,seconds,tokens_per_second,main_forwards,"
           "tokens_per_forward\n";
    for (const ThroughputView::Point& p : m_view.points)
        out << modeKey(p.latent) << ',' << p.batch << ','
            << (p.speculative ? "speculative" : "plain") << ',' << p.calls << ',' << p.tokens << ','
            << viz::csvNumber(p.seconds) << ',' << viz::csvNumber(p.tokensPerSecond()) << ','
            << p.forwards << ','
            << viz::csvNumber(p.forwards ? double(p.tokens) / p.forwards : std::nan("")) << '\n';
}

void ThroughputPanel::writeSpeedupCsv(QTextStream& out) const {
    out << "cache,batch,plain_tokens_per_second,speculative_tokens_per_second,speedup\n";
    for (bool latent : {true, false})
        for (int b : batches()) {
            const ThroughputView::Point* plain = find(latent, b, false);
            const ThroughputView::Point* spec = find(latent, b, true);
            if (!plain || !spec) continue;
            out << modeKey(latent) << ',' << b << ',' << viz::csvNumber(plain->tokensPerSecond())
                << ',' << viz::csvNumber(spec->tokensPerSecond()) << ','
                << viz::csvNumber(speedup(latent, b)) << '\n';
        }
}

QList<viz::Exportable*> ThroughputPanel::exportables() const {
    QList<viz::Exportable*> out;
    if (!m_view.points.empty()) out << m_figures[0];
    if (!m_speedup->categories().isEmpty() && !m_speedup->groups().isEmpty()) out << m_figures[1];
    return out;
}

}  // namespace tinyseek::gui
