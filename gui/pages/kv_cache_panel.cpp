// core/ headers first: the cache headers name a member `slots`, which Qt's keyword macro
// would rewrite.
#include "core/kv_cache.h"
#include "core/kv_measure.h"
#include "core/param_store.h"

#include "gui/pages/kv_cache_panel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "gui/figures/figure_export.h"
#include "viz/bar_chart.h"

namespace tinyseek::gui {

namespace {

const KvScheme kSchemes[] = {KvScheme::mha, KvScheme::gqa, KvScheme::mqa, KvScheme::mla};

// Decimal byte units (1 kB = 1000 B), so a log axis's decades read 100 B, 1 kB, 10 kB, 1 MB.
QString siBytes(double v) {
    if (!std::isfinite(v)) return QStringLiteral("n/a");
    static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    int u = 0;
    while (std::abs(v) >= 999.5 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    const int decimals = (u == 0 || std::abs(v) >= 99.95) ? 0 : std::abs(v) >= 9.995 ? 1 : 2;
    QString text = QLocale().toString(v, 'f', decimals);
    if (decimals > 0) {
        const QChar point = QLocale().decimalPoint().front();
        while (text.endsWith(QLatin1Char('0'))) text.chop(1);
        if (text.endsWith(point)) text.chop(1);
    }
    return text + QLatin1Char(' ') + QLatin1String(units[u]);
}

QString groupedInt(double v) {
    return std::isfinite(v) ? QLocale().toString(static_cast<qlonglong>(std::llround(v)))
                            : QStringLiteral("n/a");
}

}  // namespace

KvCachePanel::KvCachePanel(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(buildControls());
    outer->addLayout(buildCharts(), 1);
    describeCharts();
    m_figures = {new NamedFigure(QStringLiteral("kv-bytes-per-token"), m_bytesChart),
                 new NamedFigure(QStringLiteral("kv-measured-cache"), m_measuredChart),
                 new NamedFigure(QStringLiteral("kv-max-batch"), m_maxBatchChart)};
    connect(m_dtypeCombo, &QComboBox::currentIndexChanged, this, [this] {
        refreshAccounting();
        refreshMaxBatch();
    });
    connect(m_seqSpin, &QSpinBox::valueChanged, this, &KvCachePanel::refreshMaxBatch);
    connect(m_budgetSpin, &QSpinBox::valueChanged, this, &KvCachePanel::refreshMaxBatch);
    connect(m_batchSpin, &QSpinBox::valueChanged, this, &KvCachePanel::refreshMeasured);
}

KvCachePanel::~KvCachePanel() {
    qDeleteAll(m_figures);
}

QHBoxLayout* KvCachePanel::buildControls() {
    QWidget* content = this;
    auto* controls = new QHBoxLayout;
    auto addSpin = [&](const QString& label, const QString& name, int lo, int hi, int value,
                       const QString& suffix, const QString& tip) {
        auto* l = new QLabel(label, content);
        auto* spin = new QSpinBox(content);
        spin->setObjectName(name);
        spin->setRange(lo, hi);
        spin->setValue(value);
        spin->setSuffix(suffix);
        spin->setToolTip(tip);
        spin->setGroupSeparatorShown(true);
        l->setBuddy(spin);
        controls->addWidget(l);
        controls->addWidget(spin);
        controls->addSpacing(10);
        return spin;
    };
    auto* dtypeLabel = new QLabel(tr("Element type:"), content);
    m_dtypeCombo = new QComboBox(content);
    m_dtypeCombo->setObjectName(QStringLiteral("dtypeCombo"));
    m_dtypeCombo->addItem(QStringLiteral("bf16"), int(KvDtype::bf16));
    m_dtypeCombo->addItem(QStringLiteral("fp8"), int(KvDtype::fp8));
    m_dtypeCombo->addItem(QStringLiteral("fp32"), int(KvDtype::fp32));
    m_dtypeCombo->setToolTip(tr("Bytes per cached element in the computed figures"));
    dtypeLabel->setBuddy(m_dtypeCombo);
    controls->addWidget(dtypeLabel);
    controls->addWidget(m_dtypeCombo);
    controls->addSpacing(10);
    m_seqSpin = addSpin(tr("Sequence length:"), QStringLiteral("seqSpin"), 1, 1 << 20, 256,
                        tr(" tokens"), tr("Tokens per sequence for the memory budget"));
    m_budgetSpin = addSpin(tr("Memory budget:"), QStringLiteral("budgetSpin"), 1, 1 << 20, 64,
                           tr(" MiB"), tr("Memory the KV caches of a batch may take"));
    m_batchSpin = addSpin(tr("Batch:"), QStringLiteral("batchSpin"), 1, 256, 8, QString(),
                          tr("Sequences per batch for the measured cache"));
    controls->addStretch(1);
    return controls;
}

QGridLayout* KvCachePanel::buildCharts() {
    QWidget* content = this;
    auto* grid = new QGridLayout;
    const auto figures = [this] { return exportables(); };
    auto makeChart = [&](const QString& name, int row, int col, int columns) {
        auto* chart = new viz::BarChart(content);
        chart->setObjectName(name);
        chart->setMinimumHeight(240);
        FigureExport::install(chart, chart, figures);
        grid->addWidget(chart, row, col, 1, columns);
        return chart;
    };
    m_bytesChart = makeChart(QStringLiteral("bytesPerTokenChart"), 0, 0, 1);
    m_measuredChart = makeChart(QStringLiteral("measuredChart"), 0, 1, 1);
    m_maxBatchChart = makeChart(QStringLiteral("maxBatchChart"), 1, 0, 2);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    return grid;
}

void KvCachePanel::describeCharts() {
    const viz::ValueFormatter bytes = siBytes;
    m_bytesChart->setLogScale(true);
    m_bytesChart->setValueFormatter(bytes);
    m_bytesChart->setAxisFormatter(bytes);
    m_bytesChart->setXAxisTitle(tr("Attention"));
    m_bytesChart->setYAxisTitle(tr("KV cache per token (log scale)"));
    m_measuredChart->setLogScale(true);
    m_measuredChart->setValueFormatter(bytes);
    m_measuredChart->setAxisFormatter(bytes);
    m_measuredChart->setXAxisTitle(tr("Tokens per sequence"));
    m_measuredChart->setYAxisTitle(tr("Allocated cache (log scale)"));
    m_maxBatchChart->setValueFormatter(groupedInt);
    m_maxBatchChart->setXAxisTitle(tr("Attention"));
    m_maxBatchChart->setYAxisTitle(tr("Sequences"));
}

void KvCachePanel::setModel(std::shared_ptr<const ParamStore> params) {
    m_params = std::move(params);
    m_config = m_params->config();
    // Measured sequence lengths: powers of two from 32 up to the context length.
    m_lengths.clear();
    for (int n = 32; n < m_config.max_position_embeddings; n *= 2) m_lengths << n;
    m_lengths << m_config.max_position_embeddings;
    {
        const QSignalBlocker block(m_seqSpin);
        m_seqSpin->setValue(m_config.max_position_embeddings);
    }
    refreshAccounting();
    refreshMeasured();
    refreshMaxBatch();
}

KvDtype KvCachePanel::dtype() const {
    return static_cast<KvDtype>(m_dtypeCombo->currentData().toInt());
}

void KvCachePanel::setDtype(KvDtype dtype) {
    m_dtypeCombo->setCurrentIndex(m_dtypeCombo->findData(int(dtype)));
}

void KvCachePanel::setBudgetMiB(int mib) {
    m_budgetSpin->setValue(mib);
}

void KvCachePanel::setSequenceLength(int tokens) {
    m_seqSpin->setValue(tokens);
}

void KvCachePanel::setBatch(int batch) {
    m_batchSpin->setValue(batch);
}

void KvCachePanel::refreshAccounting() {
    const KvAccountingOptions options{dtype(), 0, false};
    const ModelConfig models[] = {m_config, ModelConfig::preset("deepseek-v2"),
                                  ModelConfig::preset("deepseek-v3")};
    const QStringList groups = {tr("This model (%1)").arg(QString::fromStdString(m_config.name)),
                                tr("DeepSeek-V2 †"), tr("DeepSeek-V3 †")};
    std::vector<std::vector<double>> values;
    QStringList gqa;
    for (const ModelConfig& c : models) {
        const KvReport report = kv_report(c, options);
        std::vector<double> row;
        for (KvScheme s : kSchemes) row.push_back(double(report.row(s).bytes_per_token));
        values.push_back(row);
        const GqaGroups g = gqa_groups(c);
        gqa << (g.assumed ? tr("%1 (assumed)").arg(g.kv_heads) : QString::number(g.kv_heads));
    }
    m_bytesChart->setData({tr("MHA"), tr("GQA"), tr("MQA"), tr("MLA")}, groups, values);
    const QString type = QString::fromLatin1(to_string(dtype()));
    m_bytesChart->setTitle(tr("KV cache per token, all layers (%1)").arg(type));
    m_bytesChart->setNote(
        tr("† Computed from the published dimensions of DeepSeek-V2 and V3 (their config.json); "
           "nothing of them is run. All bars: %1 bytes per element, MTP block not counted. GQA "
           "KV heads: this model %2, DeepSeek-V2 %3, DeepSeek-V3 %4.")
            .arg(bytes_per_element(dtype()))
            .arg(gqa[0], gqa[1], gqa[2]));
}

void KvCachePanel::refreshMeasured() {
    const int batch = m_batchSpin->value();
    QStringList categories;
    for (int n : m_lengths) categories << QString::number(n);
    QStringList groups;
    std::vector<std::vector<double>> values;
    m_latentBytesPerToken = m_expandedBytesPerToken = 0.0;
    QStringList checks;
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        if (mode == CacheMode::latent && m_config.attention != AttentionKind::mla) continue;
        const QString name = mode == CacheMode::latent ? tr("latent") : tr("expanded");
        const std::size_t formula = KvCache::bytes_per_token(m_config, mode);
        bool matches = true;
        QList<int> batches = {1};
        if (batch > 1) batches << batch;
        for (int b : batches) {
            const std::vector<int> lengths(m_lengths.begin(), m_lengths.end());
            const std::vector<std::int64_t> measured =
                measure_cache_bytes(*m_params, mode, b, lengths);
            std::vector<double> row;
            for (std::size_t i = 0; i < lengths.size(); ++i) {
                row.push_back(double(measured[i]));
                matches =
                    matches && measured[i] == static_cast<std::int64_t>(formula) * b * lengths[i];
            }
            groups << tr("%1, batch %2").arg(name).arg(b);
            values.push_back(row);
            if (b == 1) {
                const double perToken = values.back().back() / m_lengths.last();
                (mode == CacheMode::latent ? m_latentBytesPerToken : m_expandedBytesPerToken) =
                    perToken;
            }
        }
        checks << tr("%1 %2 per token (%3 the formula)")
                      .arg(name, siBytes(double(formula)),
                           matches ? tr("equals") : tr("differs from"));
    }
    m_measuredChart->setData(categories, groups, values);
    m_measuredChart->setTitle(tr("Cache the generator allocates (measured, fp32)"));
    m_measuredChart->setNote(tr("Bytes of a real KvCache allocation on this model for B "
                                "sequences of N tokens: %1.")
                                 .arg(checks.join(QStringLiteral("; "))));
}

void KvCachePanel::refreshMaxBatch() {
    const std::int64_t seq = m_seqSpin->value();
    const std::int64_t budget = static_cast<std::int64_t>(m_budgetSpin->value()) * (1 << 20);
    const KvReport report = kv_report(m_config, {dtype(), 0, false});
    std::vector<double> formula, measured;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (KvScheme s : kSchemes) {
        formula.push_back(double(kv_max_batch(report.row(s).bytes_per_token, seq, budget)));
        // The generator's modes: latent is the MLA cache; expanded keeps what the model's own
        // attention would (MHA for an MLA model, GQA for a GQA model).
        double perToken = 0.0;
        if (s == KvScheme::mla) perToken = m_latentBytesPerToken;
        const KvScheme expandedAs =
            m_config.attention == AttentionKind::gqa ? KvScheme::gqa : KvScheme::mha;
        if (s == expandedAs) perToken = m_expandedBytesPerToken;
        measured.push_back(perToken > 0 ? double(kv_max_batch(std::llround(perToken), seq, budget))
                                        : nan);
    }
    const QString type = QString::fromLatin1(to_string(dtype()));
    m_maxBatchChart->setData(
        {tr("MHA"), tr("GQA"), tr("MQA"), tr("MLA")},
        {tr("computed, %1").arg(type), tr("this program's cache (fp32, measured)")},
        {formula, measured});
    m_maxBatchChart->setTitle(tr("Largest batch of %1-token sequences in %2 MiB")
                                  .arg(QLocale().toString(static_cast<qlonglong>(seq)))
                                  .arg(m_budgetSpin->value()));
    m_maxBatchChart->setNote(
        tr("This model. floor(budget ÷ (tokens × bytes per token)); the measured bars use the "
           "generator's latent (MLA) and expanded caches."));
}

QList<viz::Exportable*> KvCachePanel::exportables() const {
    QList<viz::Exportable*> out;
    for (NamedFigure* f : m_figures)
        if (auto* chart = dynamic_cast<viz::BarChart*>(f->figure());
            chart && !chart->categories().isEmpty())
            out << f;
    return out;
}

}  // namespace tinyseek::gui
