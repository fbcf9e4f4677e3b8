// core/ headers first: they name a member `slots`, which Qt's keyword macro would rewrite.
#include "core/checkpoint.h"
#include "core/errors.h"
#include "training/fp8_quant_probe.h"

#include "gui/pages/granularity_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QTextStream>
#include <QVBoxLayout>

#include <memory>

#include "gui/figures/figure_export.h"
#include "gui/pages/job_strip.h"
#include "viz/bar_chart.h"

namespace tinyseek::gui {

namespace {

constexpr int kPrompts = 16;  // held-out problems run for the activations

// Short enough for ten categories side by side; the CSV keeps the full group names.
QString categoryOf(const Fp8QuantErrorRow& row) {
    static const std::pair<const char*, const char*> kShort[] = {
        {"embedding", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "embed")},
        {"attention", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "attention")},
        {"dense_mlp", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "dense MLP")},
        {"router", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "router")},
        {"routed_experts", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "experts")},
        {"shared_experts", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "shared exp.")},
        {"mtp", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "MTP")},
        {"head", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "head")},
        {"layer0_attn_input", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "x: attn in")},
        {"head_input", QT_TRANSLATE_NOOP("tinyseek::gui::GranularityPanel", "x: head in")}};
    for (const auto& [group, label] : kShort)
        if (row.group == group) return GranularityPanel::tr(label);
    return QString::fromStdString(row.group);
}

// Bar group of a row's statistic: per tensor / per tile, then the same with outliers.
int barGroup(bool withOutliers, bool perTile) {
    return (withOutliers ? 2 : 0) + (perTile ? 1 : 0);
}

}  // namespace

GranularityPanel::GranularityPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildControls());
    m_strip = new JobStrip(tr("Compute"),
                           tr("Quantise the checkpoint's weights and activations both ways"), this);
    m_strip->setObjectName(QStringLiteral("granularityJob"));
    layout->addWidget(m_strip);
    auto* charts = new QVBoxLayout;
    m_error = new viz::BarChart(this);
    m_error->setObjectName(QStringLiteral("granularityErrorChart"));
    m_error->setTitle(tr("Mean relative quantisation error"));
    m_error->setYAxisTitle(tr("|q(x) − x| / |x|"));
    m_flushed = new viz::BarChart(this);
    m_flushed->setObjectName(QStringLiteral("granularityFlushedChart"));
    m_flushed->setTitle(tr("Share of non-zero values flushed to zero"));
    m_flushed->setYAxisTitle(tr("share"));
    charts->addWidget(m_error, 1);
    charts->addWidget(m_flushed, 1);
    layout->addLayout(charts, 1);
    m_figures = {new TableFigure(QStringLiteral("precision-granularity-error"), m_error,
                                 [this](QTextStream& out) { writeCsv(out); }),
                 new TableFigure(QStringLiteral("precision-granularity-flushed"), m_flushed,
                                 [this](QTextStream& out) { writeCsv(out); })};
    connect(m_strip, &JobStrip::startRequested, this, [this] { compute(); });
    connect(m_strip, &JobStrip::finished, this, [this] {
        if (!m_computeWhenStopped) return;
        m_computeWhenStopped = false;
        compute();
    });
    setCheckpoint(QString(), QString());
}

GranularityPanel::~GranularityPanel() {
    qDeleteAll(m_figures);
}

QWidget* GranularityPanel::buildControls() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto* form = new QFormLayout;
    m_tile = new QComboBox(box);
    for (int t : {16, 32, 64, 128}) m_tile->addItem(QString::number(t), t);
    m_tile->setCurrentIndex(3);  // 128, DeepSeek-V3's
    m_tile->setToolTip(
        tr("T: weights in T×T blocks, activations in 1×T tiles. DeepSeek-V3 uses "
           "128; the tiny model's matrices are 32 to 384 wide, so smaller tiles "
           "show the effect"));
    m_format = new QComboBox(box);
    m_format->addItem(QStringLiteral("E4M3"), QStringLiteral("e4m3"));
    m_format->addItem(QStringLiteral("E5M2"), QStringLiteral("e5m2"));
    m_outliers = new QSpinBox(box);
    m_outliers->setRange(0, 64);
    m_outliers->setValue(4);
    m_outliers->setToolTip(
        tr("Entries per matrix multiplied by 1000 in the outlier bars (0: "
           "no outlier bars)"));
    form->addRow(tr("Tile T:"), m_tile);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Outliers per matrix:"), m_outliers);
    m_model = new QLabel(box);
    m_model->setWordWrap(true);
    m_model->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    row->addLayout(form);
    row->addWidget(m_model, 1);
    return box;
}

void GranularityPanel::setCheckpoint(const QString& dir, const QString& description,
                                     const QString& why) {
    m_dir = dir;
    if (isComputing()) {
        m_strip->cancel();
        m_computeWhenStopped = !dir.isEmpty();
    }
    m_model->setText(dir.isEmpty() ? why : tr("Model: %1").arg(description));
    m_strip->setButtonEnabled(!dir.isEmpty());
    m_strip->setStatus(dir.isEmpty() ? QString()
                                     : tr("Press Compute: %1 held-out addition problems run "
                                          "through the model for its activations.")
                                           .arg(kPrompts));
    m_hasResult = false;
    clearCharts(dir.isEmpty() ? why : tr("Not computed yet: press Compute."));
}

Fp8QuantErrorConfig GranularityPanel::config() const {
    Fp8QuantErrorConfig c;
    c.tile = m_tile->currentData().toInt();
    c.format = fp8_format_from_string(m_format->currentData().toString().toStdString());
    c.outliers = m_outliers->value();
    return c;
}

bool GranularityPanel::compute() {
    if (m_dir.isEmpty()) return false;
    const Fp8QuantErrorConfig c = config();
    const std::string dir = m_dir.toStdString();
    auto probe = std::make_shared<Fp8QuantProbe>();
    return m_strip->start(
        tr("Quantising the weights and activations of the checkpoint…"),
        [c, dir, probe](const std::atomic<bool>&, const BackgroundJob::Progress& progress) {
            progress(0, 2);
            const Checkpoint ckpt = load_checkpoint(dir, {.optimizer = false});
            progress(1, 2);
            *probe = probe_fp8_quant_error(ckpt, c, kPrompts);
        },
        [this, probe] {
            m_result = probe->result;
            m_hasResult = true;
            showResult(probe->tokens);
            emit computed();
        });
}

bool GranularityPanel::isComputing() const {
    return m_strip->isRunning();
}

void GranularityPanel::clearCharts(const QString& why) {
    for (viz::BarChart* chart : {m_error, m_flushed}) {
        chart->setData({}, {}, {});
        chart->setEmptyText(why);
    }
}

void GranularityPanel::showResult(int tokens) {
    const int t = m_result.config.tile;
    const QStringList groups = {tr("per tensor"), tr("per tile (%1×%1, 1×%1)").arg(t),
                                tr("per tensor, outliers"), tr("per tile, outliers")};
    QStringList categories;
    std::vector<std::vector<double>> error(4), flushed(4);
    for (const Fp8QuantErrorRow& row : m_result.rows) {
        const QString category = categoryOf(row);
        int c = static_cast<int>(categories.indexOf(category));
        if (c < 0) {
            c = static_cast<int>(categories.size());
            categories << category;
            for (int g = 0; g < 4; ++g) {
                error[g].push_back(std::numeric_limits<double>::quiet_NaN());
                flushed[g].push_back(std::numeric_limits<double>::quiet_NaN());
            }
        }
        for (bool perTile : {false, true}) {
            const Fp8QuantStats& s = perTile ? row.per_tile : row.per_tensor;
            error[barGroup(row.with_outliers, perTile)][c] = s.mean_rel_error();
            flushed[barGroup(row.with_outliers, perTile)][c] = s.flushed_share();
        }
    }
    const int shown = m_result.config.outliers > 0 ? 4 : 2;
    error.resize(shown);
    flushed.resize(shown);
    m_error->setData(categories, groups.mid(0, shown), error);
    m_flushed->setData(categories, groups.mid(0, shown), flushed);
    const QString note =
        tr("%1, scales from each tile's largest magnitude. Weight groups, then "
           "activations (x): the input of layer 0's attention and of the head, "
           "%2 tokens. Outliers: %3 entries per matrix ×1000.")
            .arg(QString::fromStdString(to_string(m_result.config.format)).toUpper())
            .arg(tokens)
            .arg(m_result.config.outliers);
    m_error->setNote(note);
    m_flushed->setNote(note);
    m_strip->setStatus(tr("Computed on %1 tokens and every 2-D weight.").arg(tokens));
}

void GranularityPanel::writeCsv(QTextStream& out) const {
    out << "kind,group,outliers,scaling,tile,matrices,elements,max_rel_error,mean_rel_error,"
           "flushed_share,saturated_share\n";
    for (const Fp8QuantErrorRow& row : m_result.rows)
        for (bool perTile : {false, true}) {
            const Fp8QuantStats& s = perTile ? row.per_tile : row.per_tensor;
            out << QString::fromStdString(row.kind) << ',' << QString::fromStdString(row.group)
                << ',' << (row.with_outliers ? 1 : 0) << ',' << (perTile ? "tile" : "tensor") << ','
                << m_result.config.tile << ',' << row.matrices << ',' << row.elements << ','
                << QString::number(s.max_rel_error, 'g', 17) << ','
                << QString::number(s.mean_rel_error(), 'g', 17) << ','
                << QString::number(s.flushed_share(), 'g', 17) << ','
                << QString::number(s.saturated_share(), 'g', 17) << '\n';
        }
}

QList<viz::Exportable*> GranularityPanel::exportables() const {
    if (!m_hasResult) return {};
    return {m_figures[0], m_figures[1]};
}

}  // namespace tinyseek::gui
