#include "gui/pages/next_token_panel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/figures/figure_export.h"
#include "viz/bar_chart.h"
#include "viz/token_strip.h"

namespace tinyseek::gui {

namespace {

// Text strip buckets, most likely first: >= 90 %, 50-90 %, 10-50 %, < 10 %.
const double kBucketFloor[] = {0.9, 0.5, 0.1, 0.0};

}  // namespace

NextTokenPanel::NextTokenPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bars = new viz::BarChart(this);
    m_bars->setObjectName(QStringLiteral("nextTokenBars"));
    m_bars->setMinimumHeight(260);
    m_bars->setYAxisTitle(tr("Probability"));
    m_bars->setXAxisTitle(tr("Next token (click one to append it)"));
    m_bars->setValueFormatter([](double v) { return QString::number(100.0 * v, 'f', 1) + "%"; });
    m_bars->setAxisFormatter([](double v) { return QString::number(100.0 * v, 'g', 3) + "%"; });
    m_bars->setGroupColors({QColor(160, 160, 160), QColor(31, 119, 180)});
    m_bars->setCursor(Qt::PointingHandCursor);
    layout->addWidget(m_bars, 3);
    layout->addWidget(buildControls());
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("nextTokenSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    layout->addWidget(buildButtons());
    m_text = new viz::TokenStrip(this);
    m_text->setObjectName(QStringLiteral("exploreText"));
    m_text->setTitle(tr("The text by the probability of each token"));
    m_text->setLegendTitle(tr("Probability when chosen"));
    m_text->setCategoryNames({tr("≥ 90%"), tr("50–90%"), tr("10–50%"), tr("< 10%")});
    m_text->setCategoryColors(
        {QColor(44, 160, 44), QColor(188, 189, 34), QColor(255, 127, 14), QColor(214, 39, 40)});
    m_text->setLegendListsAllNamed(true);
    layout->addWidget(m_text, 1);
    connect(m_bars, &viz::BarChart::categoryClicked, this, [this](int category) {
        if (category >= 0 && category < static_cast<int>(m_distribution.top.size()))
            emit appendRequested(m_distribution.top[category].token);
    });
    const auto figures = [this] { return exportables(); };
    FigureExport::install(m_bars, m_bars, figures);
    FigureExport::install(m_text, m_text, figures);
    m_figures = {new NamedFigure(QStringLiteral("explore-next-token"), m_bars),
                 new NamedFigure(QStringLiteral("explore-text-probabilities"), m_text)};
    clear(tr("Type a text above, or pick a held-out problem, to see what the model predicts."));
}

NextTokenPanel::~NextTokenPanel() {
    qDeleteAll(m_figures);
}

QWidget* NextTokenPanel::buildControls() {
    auto* box = new QWidget(this);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    const auto sliderRow = [this, box](QSlider*& slider, QLabel*& value, int lo, int hi, int at) {
        auto* row = new QHBoxLayout;
        slider = new QSlider(Qt::Horizontal, box);
        slider->setRange(lo, hi);
        slider->setValue(at);
        value = new QLabel(box);
        value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("greedy  ")));
        row->addWidget(slider, 1);
        row->addWidget(value);
        connect(slider, &QSlider::valueChanged, this, &NextTokenPanel::redraw);
        return row;
    };
    form->addRow(tr("Temperature:"), sliderRow(m_temperature, m_temperatureValue, 0, 200, 100));
    m_temperature->setObjectName(QStringLiteral("temperatureSlider"));
    m_temperature->setToolTip(tr("0 = greedy: always the most likely token"));
    m_topK = new QSpinBox(box);
    m_topK->setObjectName(QStringLiteral("topKSpin"));
    m_topK->setRange(0, 1000);
    m_topK->setSpecialValueText(tr("off"));
    connect(m_topK, &QSpinBox::valueChanged, this, &NextTokenPanel::redraw);
    form->addRow(tr("Top-k:"), m_topK);
    form->addRow(tr("Top-p:"), sliderRow(m_topP, m_topPValue, 1, 100, 100));
    m_topP->setObjectName(QStringLiteral("topPSlider"));
    m_topP->setToolTip(tr("Keep the smallest set of most likely tokens whose mass reaches p"));
    return box;
}

QWidget* NextTokenPanel::buildButtons() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_appendTop = new QPushButton(tr("Append Most Likely"), box);
    m_appendTop->setObjectName(QStringLiteral("appendTopButton"));
    m_sample = new QPushButton(tr("Sample One"), box);
    m_sample->setObjectName(QStringLiteral("sampleButton"));
    m_sample->setToolTip(tr("Draw the next token from the sampler's distribution shown in blue"));
    m_undo = new QPushButton(tr("Undo"), box);
    m_undo->setObjectName(QStringLiteral("undoButton"));
    m_undo->setEnabled(false);
    row->addWidget(m_appendTop);
    row->addWidget(m_sample);
    row->addWidget(m_undo);
    row->addStretch(1);
    connect(m_appendTop, &QPushButton::clicked, this, [this] {
        if (!m_distribution.top.empty()) emit appendRequested(m_distribution.top.front().token);
    });
    connect(m_sample, &QPushButton::clicked, this, &NextTokenPanel::sampleRequested);
    connect(m_undo, &QPushButton::clicked, this, &NextTokenPanel::undoRequested);
    return box;
}

SamplingParams NextTokenPanel::sampling() const {
    SamplingParams p;
    p.temperature = m_temperature->value() / 100.0f;
    p.top_k = m_topK->value();
    p.top_p = m_topP->value() / 100.0f;
    return p;
}

void NextTokenPanel::setSampling(const SamplingParams& sampling) {
    m_temperature->setValue(static_cast<int>(std::lround(sampling.temperature * 100)));
    m_topK->setValue(sampling.top_k);
    m_topP->setValue(static_cast<int>(std::lround(sampling.top_p * 100)));
}

void NextTokenPanel::setUndoEnabled(bool enabled) {
    m_undo->setEnabled(enabled);
}

void NextTokenPanel::showInspection(const ForwardInspection& inspection,
                                    const Tokenizer& tokenizer) {
    m_inspection = inspection;
    m_tokenizer = tokenizer;
    m_topK->setMaximum(inspection.vocab);
    m_appendTop->setEnabled(true);
    m_sample->setEnabled(true);
    redraw();
    drawText();
}

void NextTokenPanel::clear(const QString& why) {
    m_inspection.reset();
    m_distribution = {};
    m_bars->setData({}, {}, {});
    m_bars->setTitle(tr("Next token"));
    m_bars->setEmptyText(why);
    m_text->setTokens({}, {});
    m_text->setEmptyText(why);
    m_summary->clear();
    m_appendTop->setEnabled(false);
    m_sample->setEnabled(false);
    redraw();
}

QString NextTokenPanel::tokenLabel(int token) const {
    return viz::TokenStrip::visibleText(QString::fromStdString(m_tokenizer.token_text(token)));
}

int NextTokenPanel::probabilityBucket(double p) {
    if (std::isnan(p)) return -1;
    for (int b = 0; b < 4; ++b)
        if (p >= kBucketFloor[b]) return b;
    return 3;
}

void NextTokenPanel::drawText() {
    const ForwardInspection& in = *m_inspection;
    QStringList tokens, tips;
    std::vector<int> buckets;
    for (size_t t = 0; t < in.tokens.size(); ++t) {
        tokens << QString::fromStdString(m_tokenizer.token_text(in.tokens[t]));
        const double p = in.token_prob[t];
        buckets.push_back(probabilityBucket(p));
        tips << (std::isnan(p)
                     ? tr("Position %1: the first token (nothing predicts it)").arg(t)
                     : tr("Position %1: the model gave it %2%").arg(t).arg(100.0 * p, 0, 'f', 2));
    }
    m_text->setTokens(tokens, buckets, tips);
}

void NextTokenPanel::redraw() {
    const SamplingParams p = sampling();
    m_temperatureValue->setText(p.greedy() ? tr("greedy") : QString::number(p.temperature, 'f', 2));
    m_topPValue->setText(QString::number(p.top_p, 'f', 2));
    if (!m_inspection) return;
    const ForwardInspection& in = *m_inspection;
    m_distribution = next_token_distribution(in.next_logits, p);
    QStringList categories;
    std::vector<std::vector<double>> values(2);
    for (const NextTokenEntry& e : m_distribution.top) {
        categories << tokenLabel(e.token);
        values[0].push_back(e.model_prob);
        values[1].push_back(e.sampler_prob);
    }
    categories << tr("rest");
    values[0].push_back(m_distribution.rest_model);
    values[1].push_back(m_distribution.rest_sampler);
    const QString setting = p.greedy()
                                ? tr("greedy")
                                : tr("T %1, top-k %2, top-p %3")
                                      .arg(p.temperature, 0, 'f', 2)
                                      .arg(p.top_k > 0 ? QString::number(p.top_k) : tr("off"))
                                      .arg(p.top_p, 0, 'f', 2);
    m_bars->setData(categories, {tr("Model"), tr("Sampler (%1)").arg(setting)}, values);
    m_bars->setTitle(tr("Next token after %n token(s)", nullptr, int(in.tokens.size())));
    QString text = tr("Entropy: model %1 nats, sampler %2 nats. The sampler can draw %3 of %4 "
                      "tokens.")
                       .arg(m_distribution.entropy_model, 0, 'f', 3)
                       .arg(m_distribution.entropy_sampler, 0, 'f', 3)
                       .arg(m_distribution.kept)
                       .arg(in.vocab);
    if (in.mtp_assumed_next >= 0) {
        const NextTokenDistribution mtp =
            next_token_distribution(in.mtp_logits, {1.0f, 0, 1.0f}, 1);
        text += QLatin1Char(' ') +
                tr("MTP's guess for the token after next (if the next is “%1”): “%2” (%3%).")
                    .arg(tokenLabel(in.mtp_assumed_next), tokenLabel(mtp.top.front().token))
                    .arg(100.0 * mtp.top.front().model_prob, 0, 'f', 1);
    } else {
        text += QLatin1Char(' ') + tr("No MTP guess: the model has no MTP module or the context "
                                      "is full.");
    }
    m_summary->setText(text);
}

QList<viz::Exportable*> NextTokenPanel::exportables() const {
    if (!m_inspection) return {};
    return {m_figures[0], m_figures[1]};
}

}  // namespace tinyseek::gui
