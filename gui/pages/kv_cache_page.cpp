// core/ headers first: the cache and generator headers name a member `slots`, which Qt's
// keyword macro would rewrite.
#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/kv_cache.h"
#include "core/kv_measure.h"
#include "core/param_store.h"
#include "training/run_store.h"

#include "gui/pages/kv_cache_page.h"
#include "gui/pages/page_registry.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <omp.h>
#include <cmath>
#include <limits>

#include "gui/figures/figure_export.h"
#include "gui/live/run_reader.h"
#include "viz/bar_chart.h"

namespace tinyseek::gui {

namespace {

constexpr int kThroughputTokens = 64;  // new tokens per sequence when measuring throughput
constexpr int kRepeats = 3;            // each throughput point: the fastest of this many runs
const KvScheme kSchemes[] = {KvScheme::mha, KvScheme::gqa, KvScheme::mqa, KvScheme::mla};

std::shared_ptr<const ParamStore> freshTinyModel() {
    auto params = std::make_shared<ParamStore>(ModelConfig::preset("tiny"));
    init_params(*params, /*seed=*/0);
    return params;
}

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

// What setRun() reads: the run's name and its latest checkpoint.
struct StoredModel {
    QString runName;
    std::optional<CheckpointInfo> checkpoint;
};

QString groupedInt(double v) {
    return std::isfinite(v) ? QLocale().toString(static_cast<qlonglong>(std::llround(v)))
                            : QStringLiteral("n/a");
}

}  // namespace

KvCachePage::KvCachePage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("KV-cache bytes per token for MHA, GQA, MQA and MLA, and the cache memory measured "
           "while generating, will appear here once a model is loaded."));
    buildUi();
    // The page always has a model: without a run it is a freshly initialised tiny one.
    setEmptyStateVisible(false);
    clearRun();
}

KvCachePage::~KvCachePage() {
    m_cancel = true;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
    qDeleteAll(m_figures);
}

void KvCachePage::buildUi() {
    auto* content = new QWidget(this);
    auto* outer = new QVBoxLayout(content);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(buildModelLine(content));
    outer->addLayout(buildControls(content));
    outer->addLayout(buildCharts(content), 1);
    contentLayout()->addWidget(content, 1);
    describeCharts();
    m_figures = {new NamedFigure(QStringLiteral("kv-bytes-per-token"), m_bytesChart),
                 new NamedFigure(QStringLiteral("kv-measured-cache"), m_measuredChart),
                 new NamedFigure(QStringLiteral("kv-max-batch"), m_maxBatchChart),
                 new NamedFigure(QStringLiteral("kv-throughput"), m_throughputChart)};
    connectControls();
}

QHBoxLayout* KvCachePage::buildModelLine(QWidget* content) {
    auto* top = new QHBoxLayout;
    m_modelLabel = new QLabel(content);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    m_modelLabel->setWordWrap(true);
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportButton = new QPushButton(tr("Export Charts…"), content);
    m_exportButton->setToolTip(tr("Write every chart of this page as PNG, SVG, PDF and CSV"));
    top->addWidget(m_modelLabel, 1);
    top->addWidget(m_exportButton, 0, Qt::AlignTop);
    return top;
}

QHBoxLayout* KvCachePage::buildControls(QWidget* content) {
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
                          tr("Sequences per batch for the measured cache and the throughput"));
    m_measureButton = new QPushButton(tr("Measure Throughput"), content);
    m_measureButton->setObjectName(QStringLiteral("measureButton"));
    m_measureButton->setToolTip(
        tr("Generate %1 tokens per sequence in both cache modes and time it")
            .arg(kThroughputTokens));
    controls->addWidget(m_measureButton);
    m_measureStatus = new QLabel(content);
    m_measureStatus->setObjectName(QStringLiteral("measureStatus"));
    controls->addWidget(m_measureStatus, 1);
    return controls;
}

QGridLayout* KvCachePage::buildCharts(QWidget* content) {
    auto* grid = new QGridLayout;
    const auto figures = [this] { return exportables(); };
    auto makeChart = [&](const QString& name, int row, int col) {
        auto* chart = new viz::BarChart(content);
        chart->setObjectName(name);
        chart->setMinimumHeight(240);
        FigureExport::install(chart, chart, figures);
        grid->addWidget(chart, row, col);
        return chart;
    };
    m_bytesChart = makeChart(QStringLiteral("bytesPerTokenChart"), 0, 0);
    m_measuredChart = makeChart(QStringLiteral("measuredChart"), 0, 1);
    m_maxBatchChart = makeChart(QStringLiteral("maxBatchChart"), 1, 0);
    m_throughputChart = makeChart(QStringLiteral("throughputChart"), 1, 1);
    return grid;
}

void KvCachePage::describeCharts() {
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
    m_throughputChart->setValueFormatter(groupedInt);
    m_throughputChart->setXAxisTitle(tr("Cache mode"));
    m_throughputChart->setYAxisTitle(tr("Tokens per second"));
    m_throughputChart->setTitle(tr("Generation throughput"));
    m_throughputChart->setEmptyText(
        tr("Press “Measure Throughput” to time a short generation in each cache mode."));
}

void KvCachePage::connectControls() {
    connect(m_dtypeCombo, &QComboBox::currentIndexChanged, this, [this] {
        refreshAccounting();
        refreshMaxBatch();
    });
    connect(m_seqSpin, &QSpinBox::valueChanged, this, &KvCachePage::refreshMaxBatch);
    connect(m_budgetSpin, &QSpinBox::valueChanged, this, &KvCachePage::refreshMaxBatch);
    connect(m_batchSpin, &QSpinBox::valueChanged, this, &KvCachePage::refreshMeasured);
    connect(m_measureButton, &QPushButton::clicked, this, &KvCachePage::measureThroughput);
    connect(m_exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportAll(this, exportables()); });
}

void KvCachePage::setRun(const QString& dbPath, qint64 runId) {
    if (!reader()) return;
    m_runTicket = reader()->read<StoredModel>(
        dbPath, this,
        [runId](const RunStore& store) {
            return StoredModel{QString::fromStdString(store.run(runId).name),
                               store.latest_checkpoint(runId)};
        },
        [this, dbPath, runId](const ReadResult<StoredModel>& read) {
            if (read.ticket != m_runTicket) return;  // another run (or none) since
            m_runTicket = 0;
            const CheckpointInfo* checkpoint =
                read.value.checkpoint ? &*read.value.checkpoint : nullptr;
            useStoredModel(dbPath, runId, read.value.runName, checkpoint, read.error);
        });
}

void KvCachePage::useStoredModel(const QString& dbPath, qint64 runId, const QString& runName,
                                 const CheckpointInfo* ck, const QString& readError) {
    const auto unreadable = [&](const QString& reason) {
        useModel(freshTinyModel(),
                 tr("Model: a freshly initialised tiny model — the checkpoint of run %1 could not "
                    "be read: %2")
                     .arg(runId)
                     .arg(reason));
    };
    if (!readError.isEmpty()) return unreadable(readError);
    if (!ck) {
        useModel(freshTinyModel(),
                 tr("Model: a freshly initialised tiny model — run “%1” has no checkpoint "
                    "yet (one is written at the end of each stage). Cache sizes depend only "
                    "on the dimensions; throughput does not depend on the weights.")
                     .arg(runName));
        return;
    }
    QString dir = QString::fromStdString(ck->path);
    if (QFileInfo(dir).isRelative())
        dir = QDir(QFileInfo(dbPath).absolutePath()).absoluteFilePath(dir);
    try {
        CheckpointLoadOptions load;
        load.optimizer = false;
        auto checkpoint = std::make_shared<Checkpoint>(load_checkpoint(dir.toStdString(), load));
        // Keep only the weights: the aliasing pointer shares the checkpoint's lifetime.
        std::shared_ptr<const ParamStore> params(checkpoint, &checkpoint->params);
        useModel(params, tr("Model: run “%1”, checkpoint of step %2 (%3)")
                             .arg(runName)
                             .arg(ck->step)
                             .arg(QDir::toNativeSeparators(dir)));
    } catch (const std::exception& e) {
        unreadable(QString::fromUtf8(e.what()));
    }
}

bool KvCachePage::isBusy() const {
    return isMeasuring() || m_runTicket != 0;
}

void KvCachePage::clearRun() {
    m_runTicket = 0;  // a run being read is no longer wanted
    useModel(freshTinyModel(),
             tr("Model: a freshly initialised tiny model (no run is open). Cache sizes depend only "
                "on the dimensions; throughput does not depend on the weights."));
}

QString KvCachePage::modelDescription() const {
    return m_modelText;
}

void KvCachePage::useModel(std::shared_ptr<const ParamStore> params, const QString& description) {
    m_params = std::move(params);
    m_config = m_params->config();
    m_modelText = description;
    m_modelLabel->setText(description);
    // Measured sequence lengths: powers of two from 32 up to the context length.
    m_lengths.clear();
    for (int n = 32; n < m_config.max_position_embeddings; n *= 2) m_lengths << n;
    m_lengths << m_config.max_position_embeddings;
    {
        const QSignalBlocker block(m_seqSpin);
        m_seqSpin->setValue(m_config.max_position_embeddings);
    }
    m_throughputChart->setData({}, {}, {});
    m_measureStatus->clear();
    refreshAccounting();
    refreshMeasured();
    refreshMaxBatch();
}

KvDtype KvCachePage::dtype() const {
    return static_cast<KvDtype>(m_dtypeCombo->currentData().toInt());
}

void KvCachePage::setDtype(KvDtype dtype) {
    m_dtypeCombo->setCurrentIndex(m_dtypeCombo->findData(int(dtype)));
}

void KvCachePage::setBudgetMiB(int mib) {
    m_budgetSpin->setValue(mib);
}

void KvCachePage::setSequenceLength(int tokens) {
    m_seqSpin->setValue(tokens);
}

void KvCachePage::setBatch(int batch) {
    m_batchSpin->setValue(batch);
}

void KvCachePage::refreshAccounting() {
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

void KvCachePage::refreshMeasured() {
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

void KvCachePage::refreshMaxBatch() {
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

void KvCachePage::measureThroughput() {
    if (m_thread) return;
    m_cancel = false;
    std::vector<CacheMode> modes;
    if (m_config.attention == AttentionKind::mla) modes.push_back(CacheMode::latent);
    modes.push_back(CacheMode::expanded);
    std::vector<int> batches = {1};
    if (m_batchSpin->value() > 1) batches.push_back(m_batchSpin->value());
    auto params = m_params;
    auto result = std::make_shared<std::vector<ThroughputPoint>>();
    auto threads = std::make_shared<int>(1);
    auto error = std::make_shared<QString>();
    m_thread = QThread::create([=, this] {
        *threads = omp_get_max_threads();
        try {
            *result =
                measure_throughput(*params, modes, batches, kThroughputTokens, kRepeats, &m_cancel);
        } catch (const std::exception& e) {
            *error = QString::fromUtf8(e.what());
        }
    });
    connect(m_thread, &QThread::finished, this, [=, this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        m_measureButton->setEnabled(true);
        if (params != m_params) return;  // the model changed meanwhile
        if (!error->isEmpty())
            m_measureStatus->setText(tr("Measurement failed: %1").arg(*error));
        else
            showThroughput(*result, *threads);
        emit throughputMeasured();
    });
    m_measureButton->setEnabled(false);
    m_measureStatus->setText(tr("Measuring…"));
    m_thread->start();
}

void KvCachePage::showThroughput(const std::vector<ThroughputPoint>& points, int threads) {
    QStringList categories;
    QStringList groups;
    QList<int> batches;
    for (const ThroughputPoint& p : points) {
        const QString mode = p.mode == CacheMode::latent ? tr("latent") : tr("expanded");
        if (!categories.contains(mode)) categories << mode;
        if (!batches.contains(p.batch)) batches << p.batch;
    }
    for (int b : batches) groups << tr("batch %1").arg(b);
    std::vector<std::vector<double>> values(
        static_cast<std::size_t>(groups.size()),
        std::vector<double>(static_cast<std::size_t>(categories.size()),
                            std::numeric_limits<double>::quiet_NaN()));
    for (const ThroughputPoint& p : points) {
        const QString mode = p.mode == CacheMode::latent ? tr("latent") : tr("expanded");
        values[static_cast<std::size_t>(batches.indexOf(p.batch))]
              [static_cast<std::size_t>(categories.indexOf(mode))] = p.tokens_per_second();
    }
    m_throughputChart->setData(categories, groups, values);
    m_throughputChart->setTitle(
        tr("Generation throughput, %1 new tokens per sequence").arg(kThroughputTokens));
    m_throughputChart->setNote(
        tr("Measured on this machine with %n OpenMP thread(s), sampling from <bos>, no stop "
           "token; the fastest of %1 runs.",
           "", threads)
            .arg(kRepeats));
    m_measureStatus->setText(tr("Measured."));
}

QList<viz::Exportable*> KvCachePage::exportables() const {
    QList<viz::Exportable*> out;
    for (NamedFigure* f : m_figures)
        if (auto* chart = dynamic_cast<viz::BarChart*>(f->figure());
            chart && !chart->categories().isEmpty())
            out << f;
    return out;
}

}  // namespace tinyseek::gui
