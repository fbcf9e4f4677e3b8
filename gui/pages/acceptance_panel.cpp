#include "gui/pages/acceptance_panel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/proportion.h"
#include "gui/figures/figure_export.h"
#include "gui/pages/percent_text.h"
#include "viz/bar_chart.h"
#include "viz/color_map.h"
#include "viz/exporters.h"
#include "viz/scaling_plot.h"
#include "viz/token_strip.h"

namespace tinyseek::gui {

namespace {

// The classes in the order the chart shows them (core/token_class.h's order is tag,
// answer_digit, digit, other) and their CSV names.
constexpr int kClassOrder[kTokenClasses] = {2, 1, 0, 3};
const char* const kClassKeys[kTokenClasses] = {"tag", "answer_digit", "digit", "other"};

// Whole percents for axis ticks.
QString percentTick(double v) {
    return QLocale().toString(100.0 * v, 'f', 0) + QLatin1Char('%');
}

// Positions with fewer drafts than this are left out of the plot (not of the CSV): a draft
// comes every other token when drafts are accepted (a kept draft earns a bonus token), so
// one parity of positions gets nearly every draft and the other a handful, whose rates are
// noise. 5 % of the most drafts at any position, at least 1.
long minimumDrafts(const std::vector<long>& draftedAt) {
    long most = 0;
    for (long d : draftedAt) most = std::max(most, d);
    return std::max(1L, static_cast<long>(std::ceil(0.05 * double(most))));
}

QString grouped(long v) {
    return QLocale().toString(static_cast<qlonglong>(v));
}

// The strip opens on the first completion with a rejected draft, where all three origins show
// (else on the first).
int firstWithRejection(const AcceptanceView& view) {
    for (std::size_t i = 0; i < view.completions.size(); ++i)
        for (TokenOrigin o : view.completions[i].origin)
            if (o == TokenOrigin::draftRejected) return static_cast<int>(i);
    return 0;
}

void writeRateColumns(QTextStream& out, long drafted, long accepted) {
    const Proportion r = wilson_interval(accepted, drafted);
    out << drafted << ',' << accepted << ',' << viz::csvNumber(r.rate) << ','
        << viz::csvNumber(r.low) << ',' << viz::csvNumber(r.high);
}

}  // namespace

AcceptancePanel::AcceptancePanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("acceptanceSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_measureButton = new QPushButton(tr("Measure Again"), this);
    m_measureButton->setObjectName(QStringLiteral("measureAcceptanceButton"));
    m_measureButton->setToolTip(
        tr("Measure the draft's acceptance on the held-out prompts, "
           "then at each stored checkpoint of the run"));
    connect(m_measureButton, &QPushButton::clicked, this, &AcceptancePanel::measureRequested);
    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_measureButton, 0, Qt::AlignTop);
    grid->addLayout(top, 0, 0, 1, 2);

    const auto figures = [this] { return exportables(); };
    m_byPosition = new viz::ScalingPlot(this);
    m_byClass = new viz::BarChart(this);
    m_curvePlot = new viz::ScalingPlot(this);
    m_byPosition->setObjectName(QStringLiteral("acceptanceByPosition"));
    m_byClass->setObjectName(QStringLiteral("acceptanceByClass"));
    m_curvePlot->setObjectName(QStringLiteral("acceptanceOverTraining"));
    for (QWidget* w : {static_cast<QWidget*>(m_byPosition), static_cast<QWidget*>(m_byClass),
                       static_cast<QWidget*>(m_curvePlot)})
        w->setMinimumHeight(230);
    grid->addWidget(m_byPosition, 1, 0);
    grid->addWidget(m_byClass, 1, 1);
    grid->addWidget(m_curvePlot, 2, 0);
    grid->addWidget(buildStripBox(), 2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);
    FigureExport::install(m_byPosition, m_byPosition, figures);
    FigureExport::install(m_byClass, m_byClass, figures);
    FigureExport::install(m_curvePlot, m_curvePlot, figures);
    FigureExport::install(m_strip, m_strip, figures);
    m_figures = {new TableFigure(QStringLiteral("inference-acceptance-by-position"), m_byPosition,
                                 [this](QTextStream& out) { writePositionCsv(out); }),
                 new TableFigure(QStringLiteral("inference-acceptance-by-class"), m_byClass,
                                 [this](QTextStream& out) { writeClassCsv(out); }),
                 new TableFigure(QStringLiteral("inference-acceptance-over-training"), m_curvePlot,
                                 [this](QTextStream& out) { writeCurveCsv(out); }),
                 new NamedFigure(QStringLiteral("inference-draft-tokens"), m_strip)};
    describeFigures();
}

AcceptancePanel::~AcceptancePanel() {
    qDeleteAll(m_figures);
}

QWidget* AcceptancePanel::buildStripBox() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    auto* label = new QLabel(tr("Completion:"), box);
    m_completionSpin = new QSpinBox(box);
    m_completionSpin->setObjectName(QStringLiteral("completionSpin"));
    m_completionSpin->setRange(1, 1);
    m_completionSpin->setToolTip(tr("Which held-out prompt's completion the tokens show"));
    label->setBuddy(m_completionSpin);
    header->addWidget(label);
    header->addWidget(m_completionSpin);
    header->addStretch(1);
    layout->addLayout(header);
    m_strip = new viz::TokenStrip(box);
    m_strip->setObjectName(QStringLiteral("draftTokens"));
    layout->addWidget(m_strip, 1);
    connect(m_completionSpin, &QSpinBox::valueChanged, this,
            [this](int value) { showCompletion(value - 1); });
    return box;
}

void AcceptancePanel::describeFigures() {
    const QList<viz::ReferenceLine> reported = {
        {tr("DeepSeek-V3 reported"), kDeepSeekV3AcceptanceLow, kDeepSeekV3AcceptanceHigh}};
    for (viz::ScalingPlot* plot : {m_byPosition, m_curvePlot}) {
        plot->setLinearX(true);
        plot->setYRange(0.0, 1.0);
        plot->setYAxisTitle(tr("Drafts accepted"));
        plot->setReferenceLines(reported);
    }
    m_byPosition->setXAxisTitle(tr("Position in the completion (token index)"));
    m_byPosition->setXSymbol(QStringLiteral("position"));

    m_curvePlot->setXAxisTitle(tr("Training step"));
    m_curvePlot->setXSymbol(QStringLiteral("step"));
    m_curvePlot->setTitle(tr("Draft acceptance over training"));
    m_byClass->setValueFormatter(percentText);
    m_byClass->setAxisFormatter(percentTick);
    m_byClass->setXAxisTitle(tr("Class of the token at the drafted position"));
    m_byClass->setYAxisTitle(tr("Drafts accepted"));
    m_byClass->setReferenceLines(reported);
    m_byPosition->setTitle(tr("Draft acceptance by position"));
    m_byClass->setTitle(tr("Draft acceptance by token class"));
    m_strip->setTitle(tr("Who produced each token"));
    m_strip->setLegendTitle(tr("Token"));
    m_strip->setCategoryNames({originName(TokenOrigin::prompt), originName(TokenOrigin::mainModel),
                               originName(TokenOrigin::draftAccepted),
                               originName(TokenOrigin::draftRejected)});
    m_strip->setCategoryColors(
        {QColor(215, 215, 215), QColor(158, 202, 225), QColor(84, 168, 84), QColor(214, 96, 77)});
    m_strip->setLegendListsAllNamed(true);
}

QString AcceptancePanel::originName(TokenOrigin origin) const {
    switch (origin) {
        case TokenOrigin::prompt:
            return tr("prompt");
        case TokenOrigin::mainModel:
            return tr("main model (not drafted)");
        case TokenOrigin::draftAccepted:
            return tr("MTP draft, accepted");
        case TokenOrigin::draftRejected:
            return tr("MTP draft rejected: main model's token");
    }
    return QString();
}

void AcceptancePanel::setMeasureEnabled(bool enabled) {
    m_measureButton->setEnabled(enabled);
}

QString AcceptancePanel::summaryText() const {
    return m_summary->text();
}

void AcceptancePanel::clearAcceptance(const QString& why) {
    m_view = AcceptanceView();
    m_hasView = false;
    m_summary->setText(why);
    m_byPosition->setCurves({});
    m_byPosition->setSecondaryCurves({});
    m_byClass->setData({}, {}, {});
    m_byClass->setNote(QString());
    m_strip->setTokens({}, {});
    m_completionSpin->setRange(1, 1);
    m_byPosition->setEmptyText(why);
    m_byClass->setEmptyText(why);
    m_strip->setEmptyText(why);
}

void AcceptancePanel::showAcceptance(const AcceptanceView& view, const QString& setting) {
    m_view = view;
    m_hasView = true;
    const Proportion all = wilson_interval(view.accepted, view.drafted);
    m_summary->setText(
        tr("%1 of %2 drafts accepted (%3, 95% interval %4–%5); %6 tokens per main-model "
           "forward. %7")
            .arg(grouped(view.accepted), grouped(view.drafted), percentText(all.rate),
                 percentText(all.low), percentText(all.high),
                 QLocale().toString(view.tokensPerForward, 'f', 2), setting));
    fillByPosition();
    fillByClass();
    m_completionSpin->setRange(1, std::max<int>(1, static_cast<int>(view.completions.size())));
    m_completionSpin->setSuffix(tr(" of %1").arg(view.completions.size()));
    const int first = firstWithRejection(view);
    if (m_completionSpin->value() == first + 1) showCompletion(first);
    m_completionSpin->setValue(first + 1);  // (valueChanged shows it otherwise)
}

void AcceptancePanel::fillByPosition() {
    viz::ScalingCurve rate{tr("Accepted (95% interval)"), {}, {}, {}, {}};
    viz::ScalingCurve drafts{tr("Drafts at the position"), {}, {}, {}, {}};
    const long minimum = minimumDrafts(m_view.draftedAt);
    for (std::size_t k = 0; k < m_view.draftedAt.size(); ++k) {
        if (m_view.draftedAt[k] < minimum) continue;
        const Proportion r = wilson_interval(m_view.acceptedAt[k], m_view.draftedAt[k]);
        rate.k.push_back(double(k));
        rate.mean.push_back(r.rate);
        rate.low.push_back(r.low);
        rate.high.push_back(r.high);
        drafts.k.push_back(double(k));
        drafts.mean.push_back(double(m_view.draftedAt[k]));
    }
    m_byPosition->setCurves({rate});
    m_byPosition->setSecondaryCurves({drafts});
    m_byPosition->setTitle(minimum > 1 ? tr("Draft acceptance by position (positions with at "
                                            "least %1 drafts)")
                                             .arg(minimum)
                                       : tr("Draft acceptance by position"));
    m_byPosition->setEmptyText(
        tr("No token was drafted: every completion ended after its "
           "first token."));
}

void AcceptancePanel::fillByClass() {
    QStringList categories;
    std::vector<double> values;
    QStringList counts;
    const QString names[kTokenClasses] = {tr("tags"), tr("answer digits"), tr("thinking digits"),
                                          tr("other")};
    for (int c : kClassOrder) {
        categories << names[c];
        values.push_back(wilson_interval(m_view.acceptedByClass[c], m_view.draftedByClass[c]).rate);
        counts << tr("%1 %2 of %3")
                      .arg(names[c], grouped(m_view.acceptedByClass[c]),
                           grouped(m_view.draftedByClass[c]));
    }
    m_byClass->setData(categories, {tr("drafts accepted")}, {values});
    m_byClass->setNote(tr("Accepted of drafted: %1. Thinking digits are those outside "
                          "<answer>…</answer>.")
                           .arg(counts.join(QStringLiteral("; "))));
}

void AcceptancePanel::showCompletion(int index) {
    if (m_view.completions.empty()) return;
    index = std::clamp(index, 0, static_cast<int>(m_view.completions.size()) - 1);
    const AcceptanceView::Completion& c = m_view.completions[static_cast<std::size_t>(index)];
    std::vector<int> categories;
    QStringList tips;
    int prompt = 0;
    for (std::size_t i = 0; i < c.origin.size(); ++i) {
        categories.push_back(static_cast<int>(c.origin[i]));
        if (c.origin[i] == TokenOrigin::prompt) {
            ++prompt;
            tips << tr("Prompt token %1").arg(i);
        } else {
            tips << tr("Completion position %1: %2")
                        .arg(static_cast<int>(i) - prompt)
                        .arg(originName(c.origin[i]));
        }
    }
    m_strip->setTokens(c.tokens, categories, tips);
    m_strip->setTitle(tr("Who produced each token (held-out prompt %1)").arg(index + 1));
}

void AcceptancePanel::clearCurve(const QString& why) {
    m_curve.clear();
    m_curvePlot->setCurves({});
    m_curvePlot->setEmptyText(why);
}

void AcceptancePanel::showCurve(const std::vector<CurvePoint>& points) {
    m_curve = points;
    viz::ScalingCurve rate{tr("Accepted (95% interval)"), {}, {}, {}, {}};
    QStringList failed;
    for (const CurvePoint& p : points) {
        if (!p.error.isEmpty() || p.drafted == 0) {
            failed << tr("step %1: %2")
                          .arg(p.step)
                          .arg(p.error.isEmpty() ? tr("nothing drafted") : p.error);
            continue;
        }
        const Proportion r = wilson_interval(p.accepted, p.drafted);
        rate.k.push_back(double(p.step));
        rate.mean.push_back(r.rate);
        rate.low.push_back(r.low);
        rate.high.push_back(r.high);
    }
    m_curvePlot->setCurves({rate});
    m_curvePlot->setTitle(tr("Draft acceptance over training (%n checkpoint(s))", "",
                             static_cast<int>(points.size())));
    m_curvePlot->setEmptyText(
        failed.isEmpty()
            ? tr("No checkpoint to measure.")
            : tr("No checkpoint could be measured: %1").arg(failed.join(QStringLiteral("; "))));
}

void AcceptancePanel::writePositionCsv(QTextStream& out) const {
    out << "position,drafted,accepted,acceptance,ci95_low,ci95_high\n";
    for (std::size_t k = 0; k < m_view.draftedAt.size(); ++k) {
        out << k << ',';
        writeRateColumns(out, m_view.draftedAt[k], m_view.acceptedAt[k]);
        out << '\n';
    }
}

void AcceptancePanel::writeClassCsv(QTextStream& out) const {
    out << "class,drafted,accepted,acceptance,ci95_low,ci95_high\n";
    for (int c : kClassOrder) {
        out << kClassKeys[c] << ',';
        writeRateColumns(out, m_view.draftedByClass[c], m_view.acceptedByClass[c]);
        out << '\n';
    }
    out << "all,";
    writeRateColumns(out, m_view.drafted, m_view.accepted);
    out << '\n';
}

void AcceptancePanel::writeCurveCsv(QTextStream& out) const {
    out << "step,drafted,accepted,acceptance,ci95_low,ci95_high,tokens_per_forward,checkpoint,"
           "error\n";
    for (const CurvePoint& p : m_curve) {
        out << p.step << ',';
        writeRateColumns(out, p.drafted, p.accepted);
        out << ',' << viz::csvNumber(p.tokensPerForward) << ',' << viz::csvField(p.checkpoint)
            << ',' << viz::csvField(p.error) << '\n';
    }
}

QList<viz::Exportable*> AcceptancePanel::exportables() const {
    QList<viz::Exportable*> out;
    if (m_hasView) out << m_figures[0] << m_figures[1];
    if (!m_curve.empty()) out << m_figures[2];
    if (m_hasView) out << m_figures[3];
    return out;
}

}  // namespace tinyseek::gui
