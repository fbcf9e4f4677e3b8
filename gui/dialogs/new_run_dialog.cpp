#include "gui/dialogs/new_run_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/model_config.h"
#include "gui/resources.h"
#include "training/task.h"

namespace tinyseek::gui {

namespace {

// Spin boxes accept far more than the config does: validate() explains the limits.
QSpinBox* spin(QWidget* parent, int minimum, int maximum, const QString& tip) {
    auto* s = new QSpinBox(parent);
    s->setRange(minimum, maximum);
    s->setToolTip(tip);
    s->setKeyboardTracking(true);
    return s;
}

QLineEdit* number(QWidget* parent, const QString& tip) {
    auto* e = new QLineEdit(parent);
    e->setToolTip(tip);
    e->setMaximumWidth(120);
    return e;
}

QString floatText(float v) {
    return QString::number(static_cast<double>(v), 'g', 6);
}

int clampToInt(std::int64_t v) {
    return static_cast<int>(std::clamp<std::int64_t>(v, 0, std::numeric_limits<int>::max()));
}

// Spin box maximum for counts the config bounds itself (steps, sizes, targets).
constexpr int kBig = 1'000'000'000;

}  // namespace

NewRunDialog::NewRunDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("New Training Run"));
    setObjectName(QStringLiteral("newRunDialog"));
    QGroupBox* runBox = buildRunBox();
    QGroupBox* sftBox = buildSftBox();
    QGroupBox* grpoBox = buildGrpoBox();
    QGroupBox* otherBox = buildOtherBox();
    buildFooter();
    arrange({runBox, sftBox}, {grpoBox, otherBox});
    setConfig(defaultConfig());
    connectEdits();
}

namespace {

// The precision box's entry for a config: FP32, the FP8 recipe, V3's BF16 moments, or one of
// the ablations.
QString precisionChoice(const TrainConfig& c) {
    if (c.precision != "fp8") return QStringLiteral("fp32");
    if (c.fp8.limited_accumulator)
        return c.fp8.per_tensor && c.fp8.promote_every == 0 ? QStringLiteral("fp8-never-promoted")
                                                            : QStringLiteral("fp8-limited");
    if (c.fp8.bf16_moments) return QStringLiteral("fp8-bf16-moments");
    if (c.fp8.per_tensor) return QStringLiteral("fp8-tensor");
    if (c.fp8.grad_format == Fp8Format::e5m2) return QStringLiteral("fp8-e5m2");
    return QStringLiteral("fp8");
}

// The direct share of a mixture in whole percent.
int directPercent(const StyleMix& styles) {
    const double total = styles.worked + styles.partial + styles.search + styles.direct;
    return total > 0 ? static_cast<int>(std::lround(100.0 * styles.direct / total)) : 0;
}

// `styles` with a direct share of `direct` (0..1); the thinking styles split the rest in
// their old proportions (all worked when there were none).
StyleMix withDirectShare(const StyleMix& styles, double direct) {
    StyleMix out = styles;
    const double thinking = styles.worked + styles.partial + styles.search;
    const double scale = thinking > 0 ? (1.0 - direct) / thinking : 0.0;
    out.worked = thinking > 0 ? styles.worked * scale : 1.0 - direct;
    out.partial = styles.partial * scale;
    out.search = styles.search * scale;
    out.direct = direct;
    return out;
}

}  // namespace

QGroupBox* NewRunDialog::buildRunBox() {
    auto* runBox = new QGroupBox(tr("Run"), this);
    auto* runForm = new QFormLayout(runBox);
    m_experiment = new QComboBox(runBox);
    m_experiment->setObjectName(QStringLiteral("experimentCombo"));
    m_experiment->addItem(tr("Custom (the settings below)"));
    for (const auto& [path, name] : experiments()) m_experiment->addItem(name, path);
    m_experiment->setToolTip(
        tr("Fills the form with a built-in experiment's pinned configuration (the files behind "
           "the README's figures, in assets/experiments/)"));
    runForm->addRow(tr("Experiment"), m_experiment);
    m_name = new QLineEdit(runBox);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setToolTip(tr("Shown in the run list; empty = task and pipeline"));
    runForm->addRow(tr("Name"), m_name);
    m_task = new QComboBox(runBox);
    m_task->setObjectName(QStringLiteral("taskCombo"));
    for (const std::string& t : task_names()) m_task->addItem(QString::fromStdString(t));
    m_task->setToolTip(tr("Verifiable task the model learns; answers are checked exactly"));
    runForm->addRow(tr("Task"), m_task);
    m_digits = spin(runBox, 0, 1000, tr("Addition and subtraction: digits per operand"));
    m_digits->setObjectName(QStringLiteral("digitsSpin"));
    runForm->addRow(tr("Digits"), m_digits);
    m_aDigits = spin(runBox, 0, 1000, tr("Multiplication: digits of the first operand"));
    m_bDigits = spin(runBox, 0, 1000, tr("Multiplication: digits of the second operand"));
    auto* mulRow = new QHBoxLayout;
    mulRow->addWidget(m_aDigits);
    mulRow->addWidget(new QLabel(QStringLiteral("×"), runBox));
    mulRow->addWidget(m_bDigits);
    runForm->addRow(tr("Digits (a × b)"), mulRow);
    m_numbers = spin(runBox, 0, 1000, tr("Countdown: how many numbers are given"));
    m_maxTarget = spin(runBox, 0, kBig, tr("Countdown: largest target"));
    runForm->addRow(tr("Numbers"), m_numbers);
    runForm->addRow(tr("Largest target"), m_maxTarget);
    m_pipeline = new QComboBox(runBox);
    m_pipeline->setObjectName(QStringLiteral("pipelineCombo"));
    m_pipeline->addItem(tr("SFT cold start, then GRPO"), QStringLiteral("sft,grpo"));
    m_pipeline->addItem(tr("SFT only"), QStringLiteral("sft"));
    m_pipeline->addItem(tr("GRPO only (from random weights)"), QStringLiteral("grpo"));
    runForm->addRow(tr("Pipeline"), m_pipeline);
    m_preset = new QComboBox(runBox);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const std::string& p : ModelConfig::preset_names())
        m_preset->addItem(QString::fromStdString(p));
    m_preset->setToolTip(tr("Model configuration the run starts from (random initialisation)"));
    runForm->addRow(tr("Model preset"), m_preset);
    m_balance = new QComboBox(runBox);
    m_balance->setObjectName(QStringLiteral("balanceCombo"));
    m_balance->addItem(tr("aux_free — bias update only"), QStringLiteral("aux_free"));
    m_balance->addItem(tr("aux_free_seq — bias update + sequence loss α = 1e-4 (DeepSeek-V3)"),
                       QStringLiteral("aux_free_seq"));
    m_balance->addItem(tr("aux_loss — sequence-wise balance loss"), QStringLiteral("aux_loss"));
    m_balance->addItem(tr("none — watch routing collapse"), QStringLiteral("none"));
    runForm->addRow(tr("Expert balancing"), m_balance);
    m_mtp = new QCheckBox(tr("Train the multi-token prediction (MTP) module"), runBox);
    m_mtp->setObjectName(QStringLiteral("mtpCheck"));
    m_mtp->setToolTip(
        tr("A depth-1 MTP module learns to predict the token after next (its loss "
           "adds to SFT's); unchecked, the model has none and saves its compute"));
    runForm->addRow(QString(), m_mtp);
    return runBox;
}

QGroupBox* NewRunDialog::buildSftBox() {
    auto* sftBox = new QGroupBox(tr("SFT (cold start)"), this);
    auto* sftForm = new QFormLayout(sftBox);
    m_sftSteps = spin(sftBox, 0, kBig, tr("Optimizer steps of the SFT stage"));
    m_sftSteps->setObjectName(QStringLiteral("sftStepsSpin"));
    sftForm->addRow(tr("Steps"), m_sftSteps);
    m_sftBatch = spin(sftBox, 0, kBig, tr("Sequences per step"));
    sftForm->addRow(tr("Batch size"), m_sftBatch);
    m_sftLr = number(sftBox, tr("Peak learning rate; the cosine schedule ends at the same "
                                "fraction of it as the starting config"));
    m_sftLr->setObjectName(QStringLiteral("sftLrEdit"));
    sftForm->addRow(tr("Learning rate"), m_sftLr);
    m_coldStartPool = spin(sftBox, 0, kBig,
                           tr("Unique worked traces SFT draws from; 0 = a fresh problem every "
                              "time (unlimited traces)"));
    m_coldStartPool->setObjectName(QStringLiteral("coldStartSpin"));
    sftForm->addRow(tr("Cold-start pool"), m_coldStartPool);
    m_directShare = spin(sftBox, 0, 100,
                         tr("Share of cold-start traces that answer directly with an empty "
                            "<think></think> instead of working the problem out; GRPO then "
                            "decides which style the model keeps"));
    m_directShare->setObjectName(QStringLiteral("directShareSpin"));
    m_directShare->setSuffix(QStringLiteral(" %"));
    sftForm->addRow(tr("Direct answers"), m_directShare);
    return sftBox;
}

QGroupBox* NewRunDialog::buildGrpoBox() {
    auto* grpoBox = new QGroupBox(tr("GRPO"), this);
    auto* grpoForm = new QFormLayout(grpoBox);
    m_grpoSteps = spin(grpoBox, 0, kBig, tr("Optimizer steps (batches of rollouts)"));
    m_grpoSteps->setObjectName(QStringLiteral("grpoStepsSpin"));
    grpoForm->addRow(tr("Steps"), m_grpoSteps);
    m_groupSize = spin(grpoBox, 0, kBig, tr("G: completions sampled per prompt"));
    m_groupSize->setObjectName(QStringLiteral("groupSizeSpin"));
    grpoForm->addRow(tr("Group size G"), m_groupSize);
    m_promptsPerStep = spin(grpoBox, 0, kBig, tr("Fresh prompts per batch"));
    grpoForm->addRow(tr("Prompts per step"), m_promptsPerStep);
    m_beta = number(grpoBox, tr("β: weight of the KL penalty to the frozen reference"));
    m_beta->setObjectName(QStringLiteral("betaEdit"));
    grpoForm->addRow(tr("KL weight β"), m_beta);
    m_epsilon = number(grpoBox, tr("ε: the probability ratio is clipped to [1 − ε, 1 + ε]"));
    m_epsilon->setObjectName(QStringLiteral("epsilonEdit"));
    grpoForm->addRow(tr("Clip range ε"), m_epsilon);
    m_temperature = number(grpoBox, tr("Sampling temperature of the rollouts"));
    m_temperature->setObjectName(QStringLiteral("temperatureEdit"));
    grpoForm->addRow(tr("Temperature"), m_temperature);
    m_grpoLr = number(grpoBox, tr("Learning rate of the GRPO stage (constant after warm-up)"));
    m_grpoLr->setObjectName(QStringLiteral("grpoLrEdit"));
    grpoForm->addRow(tr("Learning rate"), m_grpoLr);
    m_maxNewTokens = spin(grpoBox, 0, kBig, tr("Completion budget per rollout in tokens"));
    grpoForm->addRow(tr("Max new tokens"), m_maxNewTokens);
    m_control = new QCheckBox(tr("Also run the SFT control arm"), grpoBox);
    m_control->setObjectName(QStringLiteral("controlCheck"));
    m_control->setToolTip(
        tr("SFT continued on the same pool, from the same checkpoint, for the same wall time, "
           "stored as a linked run: what GRPO added is the gap between the two"));
    grpoForm->addRow(QString(), m_control);
    m_speculative = new QCheckBox(tr("Sample rollouts speculatively (MTP drafts)"), grpoBox);
    m_speculative->setObjectName(QStringLiteral("speculativeCheck"));
    m_speculative->setToolTip(
        tr("The MTP module drafts each next token and the model verifies it: the same "
           "distribution as plain sampling; faster only where drafts are cheap (small batches)"));
    grpoForm->addRow(QString(), m_speculative);
    return grpoBox;
}

QGroupBox* NewRunDialog::buildOtherBox() {
    auto* otherBox = new QGroupBox(tr("Evaluation and resources"), this);
    auto* otherForm = new QFormLayout(otherBox);
    m_evalN = spin(otherBox, 0, kBig, tr("Fixed held-out problems scored during training"));
    otherForm->addRow(tr("Held-out problems"), m_evalN);
    m_seed = number(otherBox, tr("Seed of the data and sampling; same seed, same run"));
    m_seed->setObjectName(QStringLiteral("seedEdit"));
    otherForm->addRow(tr("Seed"), m_seed);
    m_threads = spin(otherBox, 0, 100000,
                     tr("OpenMP threads of the worker; 0 = all cores. Leaving one core free keeps "
                        "the window responsive"));
    m_threads->setObjectName(QStringLiteral("threadsSpin"));
    otherForm->addRow(tr("Threads"), m_threads);
    m_precision = new QComboBox(otherBox);
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precision->addItem(tr("FP32"), QStringLiteral("fp32"));
    m_precision->addItem(tr("FP8 — E4M3, 1×T activation and T×T weight scales (DeepSeek-V3)"),
                         QStringLiteral("fp8"));
    m_precision->addItem(tr("FP8, one scale per tensor (ablation)"), QStringLiteral("fp8-tensor"));
    m_precision->addItem(tr("FP8, E5M2 gradients (ablation)"), QStringLiteral("fp8-e5m2"));
    m_precision->addItem(tr("FP8 with BF16 AdamW moments (DeepSeek-V3)"),
                         QStringLiteral("fp8-bf16-moments"));
    m_precision->addItem(tr("FP8, simulated tensor-core accumulator promoted every 128 "
                            "(bit-exact, about 65× slower)"),
                         QStringLiteral("fp8-limited"));
    m_precision->addItem(tr("FP8, one scale per tensor, accumulator never promoted (ablation, "
                            "about 65× slower)"),
                         QStringLiteral("fp8-never-promoted"));
    m_precision->setToolTip(
        tr("Precision of the linear layers' GEMMs in training (forward, input and weight "
           "gradients), simulated exactly; master weights, head and router stay FP32"));
    otherForm->addRow(tr("Training precision"), m_precision);
    return otherBox;
}

void NewRunDialog::buildFooter() {
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(this);
    QPushButton* start = m_buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    start->setObjectName(QStringLiteral("startButton"));
    start->setDefault(true);
    m_buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isValid()) accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void NewRunDialog::arrange(const QList<QGroupBox*>& leftBoxes,
                           const QList<QGroupBox*>& rightBoxes) {
    auto* columns = new QHBoxLayout;
    for (const QList<QGroupBox*>& boxes : {leftBoxes, rightBoxes}) {
        auto* column = new QVBoxLayout;
        for (QGroupBox* box : boxes) column->addWidget(box);
        column->addStretch();
        columns->addLayout(column);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
}

void NewRunDialog::connectEdits() {
    for (QLineEdit* e : {m_name, m_sftLr, m_beta, m_epsilon, m_temperature, m_grpoLr, m_seed})
        connect(e, &QLineEdit::textChanged, this, &NewRunDialog::revalidate);
    for (QSpinBox* s : {m_digits, m_aDigits, m_bDigits, m_numbers, m_maxTarget, m_sftSteps,
                        m_sftBatch, m_coldStartPool, m_directShare, m_grpoSteps, m_groupSize,
                        m_promptsPerStep, m_maxNewTokens, m_evalN, m_threads})
        connect(s, &QSpinBox::valueChanged, this, &NewRunDialog::revalidate);
    for (QComboBox* c : {m_task, m_pipeline, m_preset, m_balance})
        connect(c, &QComboBox::currentIndexChanged, this, &NewRunDialog::revalidate);
    connect(m_control, &QCheckBox::toggled, this, &NewRunDialog::revalidate);
    connect(m_mtp, &QCheckBox::toggled, this, &NewRunDialog::updateStageFields);
    connect(m_task, &QComboBox::currentIndexChanged, this, &NewRunDialog::updateTaskFields);
    connect(m_pipeline, &QComboBox::currentIndexChanged, this, &NewRunDialog::updateStageFields);
    connect(m_experiment, &QComboBox::activated, this, &NewRunDialog::loadExperiment);
}

QList<QPair<QString, QString>> NewRunDialog::experiments() {
    ensureResources();
    QList<QPair<QString, QString>> out;
    const QDir dir(QStringLiteral(":/experiments"));
    for (const QString& file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        const QString path = dir.filePath(file);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) continue;
        try {
            const TrainConfig c = TrainConfig::from_json(
                nlohmann::json::parse(f.readAll().toStdString()), path.toStdString());
            out.append({path, QString::fromStdString(c.display_name())});
        } catch (const std::exception&) {
            continue;  // a test holds every bundled file loadable
        }
    }
    return out;
}

void NewRunDialog::loadExperiment(int index) {
    const QString path = m_experiment->itemData(index).toString();
    if (path.isEmpty()) return;
    QFile f(path);
    try {
        if (!f.open(QIODevice::ReadOnly)) throw Error(f.errorString().toStdString());
        setConfig(TrainConfig::from_json(nlohmann::json::parse(f.readAll().toStdString()),
                                         path.toStdString()));
        m_experiment->setCurrentIndex(index);
    } catch (const std::exception& e) {  // bundled files are tested; say why all the same
        m_error->setText(tr("Cannot load %1: %2").arg(path, QString::fromUtf8(e.what())));
        m_error->setVisible(true);
    }
}

TrainConfig NewRunDialog::defaultConfig() {
    TrainConfig config;
    config.threads = std::max(1, QThread::idealThreadCount() - 1);
    return config;
}

void NewRunDialog::setConfig(const TrainConfig& config) {
    m_base = config;
    m_minLrRatio = config.sft.lr > 0.0f ? config.sft.min_lr / config.sft.lr : 0.1f;
    m_name->setText(QString::fromStdString(config.name));
    m_name->setPlaceholderText(QString::fromStdString(TrainConfig(config).display_name()));
    m_task->setCurrentText(QString::fromStdString(config.task));
    m_digits->setValue(config.task_options.digits);
    m_aDigits->setValue(config.task_options.a_digits);
    m_bDigits->setValue(config.task_options.b_digits);
    m_numbers->setValue(config.task_options.numbers);
    m_maxTarget->setValue(config.task_options.max_target);
    QStringList stages;
    for (Stage s : config.pipeline) stages << QString::fromLatin1(to_string(s));
    const int pipelineIndex = m_pipeline->findData(stages.join(QLatin1Char(',')));
    m_pipeline->setCurrentIndex(std::max(0, pipelineIndex));
    m_preset->setCurrentText(QString::fromStdString(config.model_preset));
    m_balance->setCurrentIndex(std::max(
        0, m_balance->findData(QString::fromLatin1(to_string(config.model.balance_mode)))));
    m_sftSteps->setValue(clampToInt(config.sft.steps));
    m_sftBatch->setValue(config.sft.batch_size);
    m_sftLr->setText(floatText(config.sft.lr));
    m_coldStartPool->setValue(config.sft.cold_start_pool);
    m_directShare->setValue(directPercent(config.task_options.styles));
    m_grpoSteps->setValue(clampToInt(config.grpo.steps));
    m_groupSize->setValue(config.grpo.group_size);
    m_promptsPerStep->setValue(config.grpo.prompts_per_step);
    m_beta->setText(floatText(config.grpo.beta));
    m_epsilon->setText(floatText(config.grpo.epsilon));
    m_temperature->setText(floatText(config.grpo.temperature));
    m_grpoLr->setText(floatText(config.grpo.lr));
    m_maxNewTokens->setValue(config.grpo.max_new_tokens);
    m_control->setChecked(config.control == "sft");
    m_mtp->setChecked(config.model.num_nextn_predict_layers > 0);
    m_speculative->setChecked(config.grpo.speculative_rollouts);
    m_evalN->setValue(config.eval.n);
    m_seed->setText(QString::number(config.seed));
    m_threads->setValue(config.threads);
    m_precision->setCurrentIndex(m_precision->findData(precisionChoice(config)));
    updateTaskFields();
    updateStageFields();
    revalidate();
}

void NewRunDialog::updateTaskFields() {
    const QString task = m_task->currentText();
    const bool digits = task == QLatin1String("addition") || task == QLatin1String("subtraction");
    const bool mul = task == QLatin1String("multiplication");
    const bool countdown = task == QLatin1String("countdown");
    m_digits->setEnabled(digits);
    m_aDigits->setEnabled(mul);
    m_bDigits->setEnabled(mul);
    m_numbers->setEnabled(countdown);
    m_maxTarget->setEnabled(countdown);
}

void NewRunDialog::updateStageFields() {
    const QString pipeline = m_pipeline->currentData().toString();
    const bool sft = pipeline.contains(QLatin1String("sft"));
    const bool grpo = pipeline.contains(QLatin1String("grpo"));
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_sftSteps, m_sftBatch, m_sftLr, m_directShare})
        w->setEnabled(sft);
    for (QWidget* w : std::initializer_list<QWidget*>{m_grpoSteps, m_groupSize, m_promptsPerStep,
                                                      m_beta, m_epsilon, m_temperature, m_grpoLr,
                                                      m_maxNewTokens, m_control})
        w->setEnabled(grpo);
    m_speculative->setEnabled(grpo && m_mtp->isChecked());
}

bool NewRunDialog::readFloat(const QLineEdit* edit, const QString& label, float* out,
                             QString* error) const {
    bool ok = false;
    const double v = QLocale::c().toDouble(edit->text().trimmed(), &ok);
    if (!ok) {
        *error = tr("%1: '%2' is not a number (write e.g. 0.0001 or 1e-4).")
                     .arg(label, edit->text().trimmed());
        return false;
    }
    *out = static_cast<float>(v);
    return true;
}

TrainConfig NewRunDialog::config() const {
    TrainConfig c = m_base;
    c.name = m_name->text().trimmed().toStdString();
    c.task = m_task->currentText().toStdString();
    c.task_options.digits = m_digits->value();
    c.task_options.a_digits = m_aDigits->value();
    c.task_options.b_digits = m_bDigits->value();
    c.task_options.numbers = m_numbers->value();
    c.task_options.max_target = m_maxTarget->value();
    c.pipeline.clear();
    for (const QString& s : m_pipeline->currentData().toString().split(QLatin1Char(',')))
        c.pipeline.push_back(parse_stage(s.toStdString()));
    const std::string preset = m_preset->currentText().toStdString();
    if (preset != c.model_preset || c.model.name != preset) {
        c.model_preset = preset;
        c.model = ModelConfig::preset(preset);
    }
    c.model.balance_mode = parse_balance_mode(m_balance->currentData().toString().toStdString())
                               .value_or(BalanceMode::aux_free);
    c.sft.steps = m_sftSteps->value();
    c.sft.batch_size = m_sftBatch->value();
    c.sft.cold_start_pool = m_coldStartPool->value();
    // The starting config's mixture unless the share was edited.
    if (m_directShare->value() != directPercent(m_base.task_options.styles))
        c.task_options.styles =
            withDirectShare(m_base.task_options.styles, m_directShare->value() / 100.0);
    c.grpo.steps = m_grpoSteps->value();
    c.grpo.group_size = m_groupSize->value();
    c.grpo.prompts_per_step = m_promptsPerStep->value();
    c.grpo.max_new_tokens = m_maxNewTokens->value();
    // Stages outside the pipeline take no steps (validate() requires >= 1 only when present).
    const bool sft = m_pipeline->currentData().toString().contains(QLatin1String("sft"));
    const bool grpo = m_pipeline->currentData().toString().contains(QLatin1String("grpo"));
    if (!sft) c.sft.steps = 0;
    if (!grpo) c.grpo.steps = 0;
    c.control = grpo && m_control->isChecked() ? "sft" : "";
    if (!m_mtp->isChecked())
        c.model.num_nextn_predict_layers = 0;
    else if (c.model.num_nextn_predict_layers == 0)
        c.model.num_nextn_predict_layers = 1;
    c.grpo.speculative_rollouts = grpo && m_mtp->isChecked() && m_speculative->isChecked();
    c.eval.n = m_evalN->value();
    c.threads = m_threads->value();
    const QString precision = m_precision->currentData().toString();
    c.precision = precision == QLatin1String("fp32") ? "fp32" : "fp8";
    const bool neverPromoted = precision == QLatin1String("fp8-never-promoted");
    c.fp8.per_tensor = precision == QLatin1String("fp8-tensor") || neverPromoted;
    c.fp8.grad_format = precision == QLatin1String("fp8-e5m2") ? Fp8Format::e5m2 : Fp8Format::e4m3;
    c.fp8.bf16_moments = precision == QLatin1String("fp8-bf16-moments");
    c.fp8.limited_accumulator = precision == QLatin1String("fp8-limited") || neverPromoted;
    c.fp8.promote_every = neverPromoted ? 0 : Fp8TrainingRecipe().promote_every;
    QString unused;
    readFloat(m_sftLr, tr("SFT learning rate"), &c.sft.lr, &unused);
    // The schedule's end follows the peak at the starting config's ratio.
    c.sft.min_lr = c.sft.lr == m_base.sft.lr ? m_base.sft.min_lr : c.sft.lr * m_minLrRatio;
    readFloat(m_beta, tr("KL weight β"), &c.grpo.beta, &unused);
    readFloat(m_epsilon, tr("Clip range ε"), &c.grpo.epsilon, &unused);
    readFloat(m_temperature, tr("Temperature"), &c.grpo.temperature, &unused);
    readFloat(m_grpoLr, tr("GRPO learning rate"), &c.grpo.lr, &unused);
    bool seedOk = false;
    const qulonglong seed = m_seed->text().trimmed().toULongLong(&seedOk);
    if (seedOk) c.seed = seed;
    return c;
}

void NewRunDialog::revalidate() {
    QString error;
    float scratch = 0.0f;
    const struct {
        const QLineEdit* edit;
        QString label;
    } floats[] = {{m_sftLr, tr("SFT learning rate")},
                  {m_beta, tr("KL weight β")},
                  {m_epsilon, tr("Clip range ε")},
                  {m_temperature, tr("Temperature")},
                  {m_grpoLr, tr("GRPO learning rate")}};
    for (const auto& f : floats)
        if (error.isEmpty() && f.edit->isEnabled()) readFloat(f.edit, f.label, &scratch, &error);
    bool seedOk = false;
    m_seed->text().trimmed().toULongLong(&seedOk);
    if (error.isEmpty() && !seedOk)
        error = tr("Seed: '%1' is not a whole number >= 0.").arg(m_seed->text().trimmed());
    if (error.isEmpty()) {
        try {
            config().validate();
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
    }
    m_errorText = error;
    m_error->setText(error.isEmpty() ? QString() : tr("Cannot start: %1").arg(error));
    m_error->setVisible(!error.isEmpty());
    for (QAbstractButton* b : m_buttons->buttons())
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(error.isEmpty());
}

}  // namespace tinyseek::gui
