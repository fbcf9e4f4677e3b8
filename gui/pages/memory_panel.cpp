#include "gui/pages/memory_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/figures/figure_export.h"
#include "viz/bar_chart.h"

namespace tinyseek::gui {

namespace {

// A recipe's components in the chart's order, then the total.
std::vector<double> componentsOf(const MemoryRecipe& r) {
    return {r.weights, r.weight_scales, r.master_weights, r.gradients,
            r.adam_m,  r.adam_v,        r.total()};
}

}  // namespace

MemoryPanel::MemoryPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("memoryModel"));
    m_model->addItem(QString());
    m_model->addItem(tr("DeepSeek-V3 (published dimensions, 671B parameters)"));
    form->addRow(tr("Model:"), m_model);
    layout->addLayout(form);
    m_chart = new viz::BarChart(this);
    m_chart->setObjectName(QStringLiteral("memoryChart"));
    layout->addWidget(m_chart, 1);
    m_figures = {new TableFigure(QStringLiteral("precision-memory"), m_chart,
                                 [this](QTextStream& out) { writeCsv(out); })};
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    setModel(ModelConfig::preset("tiny"), tr("the tiny preset"));
}

MemoryPanel::~MemoryPanel() {
    qDeleteAll(m_figures);
}

void MemoryPanel::setModel(const ModelConfig& config, const QString& description) {
    m_config = config;
    m_model->setItemText(0, description);
    refresh();
}

void MemoryPanel::showModel(int index) {
    m_model->setCurrentIndex(index);
}

void MemoryPanel::refresh() {
    const bool v3 = m_model->currentIndex() == 1;
    m_result = fp8_training_memory(v3 ? ModelConfig::preset("deepseek-v3") : m_config);
    const QStringList categories = {tr("weights"),   tr("weight scales"), tr("master weights"),
                                    tr("gradients"), tr("AdamW m"),       tr("AdamW v"),
                                    tr("total")};
    // One binary unit for the whole chart (MiB for the tiny model, TiB for V3), so the axis
    // ticks fall on round numbers of it.
    double largest = 0.0;
    for (const MemoryRecipe& r : m_result.recipes) largest = std::max(largest, r.total());
    static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (unit < 4 && largest >= 1024.0 * std::pow(1024.0, unit)) ++unit;
    const double scale = std::pow(1024.0, unit);
    QStringList groups;
    std::vector<std::vector<double>> values;
    for (const MemoryRecipe& r : m_result.recipes) {
        groups << QString::fromStdString(r.name).toUpper();
        values.push_back(componentsOf(r));
        for (double& v : values.back()) v /= scale;
    }
    m_chart->setYAxisTitle(QString::fromLatin1(kUnits[unit]));
    m_chart->setData(categories, groups, values);
    m_chart->setTitle(tr("Training-state memory: %1").arg(m_model->currentText()));
    const double params = double(m_result.params.total);
    QStringList perParam;
    for (const MemoryRecipe& r : m_result.recipes)
        perParam << tr("%1 %2 B")
                        .arg(QString::fromStdString(r.name).toUpper())
                        .arg(r.total() / params, 0, 'f', 2);
    m_chart->setNote(
        tr("Computed from the config, not measured: %1 parameters, %2% of them in GEMM weights "
           "(FP8 in the FP8 recipe, with one FP32 scale per 128×128 block). Bytes per "
           "parameter: %3. Activations and the KV cache are not counted.")
            .arg(QLocale().toString(m_result.params.total))
            .arg(100.0 * double(m_result.params.gemm_weights) / params, 0, 'f', 1)
            .arg(perParam.join(QStringLiteral(", "))));
}

void MemoryPanel::writeCsv(QTextStream& out) const {
    out << "recipe,weights,weight_scales,master_weights,gradients,adam_m,adam_v,total,"
           "parameters\n";
    for (const MemoryRecipe& r : m_result.recipes) {
        out << QString::fromStdString(r.name);
        for (double v : componentsOf(r)) out << ',' << QString::number(v, 'g', 17);
        out << ',' << m_result.params.total << '\n';
    }
}

QList<viz::Exportable*> MemoryPanel::exportables() const {
    return {m_figures[0]};
}

}  // namespace tinyseek::gui
