#include "gui/pages/accumulation_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QTextStream>
#include <QVBoxLayout>

#include <memory>

#include "core/errors.h"
#include "gui/figures/figure_export.h"
#include "gui/pages/job_strip.h"
#include "viz/scaling_plot.h"

namespace tinyseek::gui {

namespace {

// 256 .. 16,384 in powers of two: the range of the report's experiment and beyond.
const std::vector<int> kKList = {256, 512, 1024, 2048, 4096, 8192, 16384};
// DeepSeek-V3 technical report, §3.3.2: "the maximum relative error is nearly 2%" (K = 4096).
constexpr double kReportedError = 0.02;

const RelErrorStats& statsOf(const Fp8GemmErrorRow& row, int method) {
    return method == 0 ? row.no_promotion : method == 1 ? row.promoted : row.fp32;
}

}  // namespace

AccumulationPanel::AccumulationPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildControls());
    m_strip = new JobStrip(tr("Compute"), tr("Multiply random FP8 matrices for every K"), this);
    m_strip->setObjectName(QStringLiteral("accumulationJob"));
    m_strip->setStatus(tr("Press Compute: random matrices, K from 256 to 16,384."));
    layout->addWidget(m_strip);
    m_plot = new viz::ScalingPlot(this);
    m_plot->setObjectName(QStringLiteral("accumulationPlot"));
    m_plot->setTitle(tr("FP8 GEMM: relative error against K"));
    m_plot->setXAxisTitle(tr("Inner dimension K"));
    m_plot->setXSymbol(QStringLiteral("K"));
    m_plot->setLogY(true);
    m_plot->setEmptyText(tr("Not computed yet: press Compute."));
    layout->addWidget(m_plot, 1);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_figures = {new TableFigure(QStringLiteral("precision-accumulation"), m_plot,
                                 [this](QTextStream& out) { writeCsv(out); })};
    connect(m_strip, &JobStrip::startRequested, this, [this] { compute(); });
    connect(m_statistic, &QComboBox::currentIndexChanged, this, [this] { showRows(); });
}

AccumulationPanel::~AccumulationPanel() {
    qDeleteAll(m_figures);
}

QWidget* AccumulationPanel::buildControls() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto* left = new QFormLayout;
    auto* right = new QFormLayout;
    m_entries = new QComboBox(box);
    m_entries->addItem(tr("uniform [0, 1)"), QStringLiteral("uniform"));
    m_entries->addItem(tr("normal N(0, 1)"), QStringLiteral("normal"));
    m_outliers = new QCheckBox(tr("about 1 entry in 1000 multiplied by 100"), box);
    m_bits = new QSpinBox(box);
    m_bits->setRange(1, 23);
    m_bits->setValue(Fp8AccumulatorModel().mantissa_bits);
    m_bits->setToolTip(
        tr("Mantissa bits the tensor core keeps of the running sum (13: Hopper's "
           "FP8 MMA as measured by MMA-Sim; the report says about 14)"));
    m_promoteEvery = new QSpinBox(box);
    m_promoteEvery->setRange(1, 16384);
    m_promoteEvery->setValue(Fp8AccumulatorModel().promote_every);
    m_promoteEvery->setToolTip(
        tr("N_C: elements of K between two copies of the partial sum "
           "into an FP32 register (DeepSeek-V3: 128)"));
    m_statistic = new QComboBox(box);
    m_statistic->addItem(tr("maximum over the outputs"));
    m_statistic->addItem(tr("mean over the outputs"));
    left->addRow(tr("Entries:"), m_entries);
    left->addRow(tr("Outliers:"), m_outliers);
    right->addRow(tr("Accumulator mantissa bits:"), m_bits);
    right->addRow(tr("Promote every N_C:"), m_promoteEvery);
    right->addRow(tr("Relative error:"), m_statistic);
    row->addLayout(left, 1);
    row->addLayout(right, 1);
    return box;
}

Fp8GemmErrorConfig AccumulationPanel::config() const {
    Fp8GemmErrorConfig c;
    c.k_list = kKList;
    c.entries = random_entries_from_string(m_entries->currentData().toString().toStdString());
    c.outliers = m_outliers->isChecked();
    c.model.mantissa_bits = m_bits->value();
    c.model.promote_every = m_promoteEvery->value();
    return c;
}

bool AccumulationPanel::compute() {
    const Fp8GemmErrorConfig c = config();
    auto rows = std::make_shared<std::vector<Fp8GemmErrorRow>>();
    return m_strip->start(
        tr("Multiplying %1 x K by K x %2 FP8 matrices…").arg(c.m).arg(c.n),
        [c, rows](const std::atomic<bool>& cancel, const BackgroundJob::Progress& progress) {
            for (std::size_t i = 0; i < c.k_list.size(); ++i) {
                if (cancel) throw Cancelled("cancelled");
                progress(static_cast<int>(i), static_cast<int>(c.k_list.size()));
                Fp8GemmErrorConfig one = c;
                one.k_list = {c.k_list[i]};
                rows->push_back(measure_fp8_gemm_error(one).rows.front());
            }
        },
        [this, c, rows] {
            m_config = c;
            m_rows = *rows;
            showRows();
            emit computed();
        });
}

bool AccumulationPanel::isComputing() const {
    return m_strip->isRunning();
}

void AccumulationPanel::showRows() {
    if (m_rows.empty()) return;
    const bool useMax = m_statistic->currentIndex() == 0;
    const QStringList names = {
        tr("%1-bit accumulator, never promoted").arg(m_config.model.mantissa_bits),
        tr("promoted to FP32 every %1").arg(m_config.model.promote_every), tr("FP32 accumulator")};
    QList<viz::ScalingCurve> curves;
    for (int method = 0; method < 3; ++method) {
        viz::ScalingCurve curve;
        curve.name = names[method];
        for (const Fp8GemmErrorRow& row : m_rows) {
            const RelErrorStats& s = statsOf(row, method);
            curve.k.push_back(row.k);
            curve.mean.push_back(useMax ? s.max : s.mean);
        }
        curves << curve;
    }
    m_plot->setCurves(curves);
    m_plot->setYAxisTitle(useMax ? tr("Maximum relative error") : tr("Mean relative error"));
    m_plot->setReferenceLines({{tr("DeepSeek-V3 report: nearly 2% at K = 4096"), kReportedError}});
    const Fp8GemmErrorRow& last = m_rows.back();
    m_note->setText(
        tr("The same E4M3 operands (one scale per tensor) multiplied three ways, each against "
           "the FP64 product of those operands, so only the accumulation differs. At K = %1 "
           "E4M3 itself moved the inputs by %2% on average: the error a GEMM starts from.")
            .arg(last.k)
            .arg(100.0 * last.quant_a.mean_rel_error(), 0, 'f', 2));
    const QString entries = m_entries->itemText(
        m_entries->findData(QString::fromStdString(to_string(m_config.entries))));
    m_strip->setStatus(
        tr("%1 × K by K × %2, entries %3, %4, seed %5.")
            .arg(m_config.m)
            .arg(m_config.n)
            .arg(entries, m_config.outliers ? tr("with outliers") : tr("no outliers"))
            .arg(m_config.seed));
}

void AccumulationPanel::writeCsv(QTextStream& out) const {
    out << "k,method,max_rel_error,mean_rel_error,outputs,acc_mantissa_bits,promote_every\n";
    const char* methods[] = {"no_promotion", "promoted", "fp32"};
    for (const Fp8GemmErrorRow& row : m_rows)
        for (int method = 0; method < 3; ++method) {
            const RelErrorStats& s = statsOf(row, method);
            out << row.k << ',' << methods[method] << ',' << QString::number(s.max, 'g', 17) << ','
                << QString::number(s.mean, 'g', 17) << ',' << s.outputs << ','
                << m_config.model.mantissa_bits << ',' << m_config.model.promote_every << '\n';
        }
}

QList<viz::Exportable*> AccumulationPanel::exportables() const {
    if (m_rows.empty()) return {};
    return {m_figures[0]};
}

}  // namespace tinyseek::gui
