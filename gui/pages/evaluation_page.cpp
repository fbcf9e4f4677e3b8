// core/ and training/ headers first: they name a member `slots`, which Qt's keyword macro would
// rewrite.
#include "training/run_pass_at_k.h"
#include "training/run_store.h"
#include "training/step_report.h"

#include "gui/pages/evaluation_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "gui/figures/figure_export.h"
#include "gui/live/background_job.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/pages/page_registry.h"
#include "gui/pages/percent_text.h"
#include "viz/heatmap_widget.h"
#include "viz/scaling_plot.h"

namespace tinyseek::gui {

namespace {

// The rollout temperature of a stored run's config (pass@k samples as GRPO does), 1 if unknown.
double configTemperature(const std::string& configJson) {
    try {
        const nlohmann::json j = nlohmann::json::parse(configJson);
        return j.at("grpo").at("temperature").get<double>();
    } catch (const std::exception&) {
        return 1.0;
    }
}

// A bucket's label from its metric key ("eval/bucket/digits 3+2" -> "digits 3+2").
QString bucketLabel(const QString& key, const char* prefix) {
    return key.mid(static_cast<int>(std::strlen(prefix)));
}

// The stage a curve's checkpoint step belongs to, e.g. "SFT"; empty when the step is gone.
QString stageOf(const RunStore& store, const StoredPassAtK& curve) {
    try {
        return store.load_step(curve.run_id, curve.step).stage == Stage::sft
                   ? QStringLiteral("SFT")
                   : QStringLiteral("GRPO");
    } catch (const StoreError&) {
        return QString();
    }
}

// "carries 2" before "carries 10": runs of digits compare by value, the rest by character.
// (QCollator's numeric mode needs ICU, which the C locale of a headless run lacks.)
bool naturalLess(const QString& a, const QString& b) {
    int i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            int ei = i, ej = j;
            while (ei < a.size() && a[ei].isDigit()) ++ei;
            while (ej < b.size() && b[ej].isDigit()) ++ej;
            const qulonglong x = a.mid(i, ei - i).toULongLong(), y = b.mid(j, ej - j).toULongLong();
            if (x != y) return x < y;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

}  // namespace

EvaluationPage::EvaluationPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("Held-out evaluations beyond one accuracy: pass@k and maj@k curves, and "
           "accuracy by difficulty. Open a run to see them."));
    m_job = new BackgroundJob(this);
    connect(m_job, &BackgroundJob::progressed, this, [this](int done, int total) {
        m_measureDone = done;
        m_measureTotal = total;
        updateStatus();
    });
    connect(m_job, &BackgroundJob::finished, this,
            [this](const QString&, bool cancelled, const QString& error) {
                onMeasureFinished(cancelled, error);
            });

    auto* top = new QHBoxLayout;
    auto* intro = new QLabel(tr("Runs shown on the Training page (the current run and those added "
                                "with Compare), with their control arms."),
                             this);
    intro->setWordWrap(true);
    auto* exportButton = new QPushButton(tr("Export Charts…"), this);
    exportButton->setToolTip(tr("Write both figures of this page as PNG, SVG, PDF and CSV"));
    connect(exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportAll(this, exportables()); });
    top->addWidget(intro, 1);
    top->addWidget(exportButton, 0, Qt::AlignTop);
    contentLayout()->addLayout(top);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("evaluationTabs"));
    m_tabs->addTab(buildPassTab(), tr("pass@k and maj@k"));
    m_tabs->addTab(buildDifficultyTab(), tr("Accuracy by Difficulty"));
    contentLayout()->addWidget(m_tabs, 1);
    updatePlot();
    updateDifficulty();
}

EvaluationPage::~EvaluationPage() = default;

QWidget* EvaluationPage::buildPassTab() {
    auto* tab = new QWidget(m_tabs);
    auto* layout = new QVBoxLayout(tab);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show:"), tab));
    m_measureCombo = new QComboBox(tab);
    m_measureCombo->setObjectName(QStringLiteral("passMeasure"));
    m_measureCombo->addItem(tr("pass@k and maj@k"));
    m_measureCombo->addItem(tr("pass@k (a right answer among k samples)"));
    m_measureCombo->addItem(tr("maj@k (the vote of k samples is right)"));
    connect(m_measureCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_measure = index == 1 ? Measure::Pass : index == 2 ? Measure::Majority : Measure::Both;
        updatePlot();
    });
    controls->addWidget(m_measureCombo);
    controls->addStretch(1);
    m_measureButton = new QPushButton(tr("Measure Current Run"), tab);
    m_measureButton->setObjectName(QStringLiteral("measurePassAtK"));
    m_measureButton->setToolTip(
        tr("Sample 64 completions of each of 100 held-out problems from the current run's latest "
           "checkpoint at its rollout temperature, and store the curve with the run (a minute or "
           "more)"));
    connect(m_measureButton, &QPushButton::clicked, this, [this] {
        if (m_job->isRunning())
            m_job->cancel();
        else
            measureCurrentRun();
    });
    controls->addWidget(m_measureButton);
    layout->addLayout(controls);

    m_plot = new viz::ScalingPlot(tab);
    m_plot->setObjectName(QStringLiteral("passAtKPlot"));
    m_plot->setXAxisTitle(tr("Samples per problem (k)"));
    m_plot->setYAxisTitle(tr("Share of problems"));
    m_plot->setYRange(0.0, 1.0);
    layout->addWidget(m_plot, 1);
    m_passSummary = new QLabel(tab);
    m_passSummary->setObjectName(QStringLiteral("passSummary"));
    m_passSummary->setWordWrap(true);
    m_passSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_passSummary);
    return tab;
}

QWidget* EvaluationPage::buildDifficultyTab() {
    auto* tab = new QWidget(m_tabs);
    auto* layout = new QVBoxLayout(tab);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Run:"), tab));
    m_difficultyRun = new QComboBox(tab);
    m_difficultyRun->setObjectName(QStringLiteral("difficultyRun"));
    m_difficultyRun->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_difficultyRun, &QComboBox::currentIndexChanged, this, [this] { updateDifficulty(); });
    controls->addWidget(m_difficultyRun);
    controls->addStretch(1);
    layout->addLayout(controls);

    m_heatmap = new viz::HeatmapWidget(tab);
    m_heatmap->setObjectName(QStringLiteral("difficultyHeatmap"));
    m_heatmap->setTitle(tr("Held-out greedy accuracy by difficulty bucket"));
    m_heatmap->setRowAxisTitle(tr("Bucket (problems)"));
    m_heatmap->setColumnAxisTitle(tr("Step of the evaluation"));
    m_heatmap->setValueTitle(tr("Accuracy"));
    m_heatmap->setColorMap(viz::ColorMap::viridis(0.0, 1.0));
    m_heatmap->setAutoRange(false);
    layout->addWidget(m_heatmap, 1);
    m_difficultySummary = new QLabel(tab);
    m_difficultySummary->setObjectName(QStringLiteral("difficultySummary"));
    m_difficultySummary->setWordWrap(true);
    layout->addWidget(m_difficultySummary);
    return tab;
}

void EvaluationPage::setHub(MetricsHub* hub) {
    m_hub = hub;
    setReader(hub->reader());
    connect(hub, &MetricsHub::selectionChanged, this, &EvaluationPage::onSelectionChanged);
    connect(hub, &MetricsHub::currentRunChanged, this, &EvaluationPage::onSelectionChanged);
    connect(hub, &MetricsHub::databaseChanged, this, &EvaluationPage::onSelectionChanged);
    connect(hub, &MetricsHub::runDataChanged, this, [this](qint64 runId) {
        if (!m_hub->shownRuns().contains(runId)) return;
        populateDifficultyRuns();  // a loaded run's name arrives with its data
        updateDifficulty();
    });
    onSelectionChanged();
}

void EvaluationPage::showSection(const QString& section) {
    if (section == QLatin1String(kSections[0])) m_tabs->setCurrentIndex(0);
    if (section == QLatin1String(kSections[1])) m_tabs->setCurrentIndex(1);
}

bool EvaluationPage::isBusy() const {
    return m_readTicket != 0 || m_job->isRunning();
}

void EvaluationPage::setMeasure(Measure measure) {
    m_measureCombo->setCurrentIndex(measure == Measure::Pass       ? 1
                                    : measure == Measure::Majority ? 2
                                                                   : 0);
}

void EvaluationPage::onSelectionChanged() {
    const bool shown = m_hub && m_hub->currentRun() != 0;
    setEmptyStateVisible(!shown);
    m_tabs->setVisible(shown);
    populateDifficultyRuns();
    updateDifficulty();
    refresh();
}

void EvaluationPage::refresh() {
    m_dbPath = m_hub ? m_hub->databasePath() : QString();
    const QList<qint64> shown = m_hub ? m_hub->shownRuns() : QList<qint64>();
    if (m_dbPath.isEmpty() || shown.isEmpty() || !reader()) {
        m_readTicket = 0;
        m_runs.clear();
        updatePlot();
        return;
    }
    const std::set<qint64> wanted(shown.begin(), shown.end());
    m_readTicket = reader()->read<QList<RunCurves>>(
        m_dbPath, this,
        [wanted, shown](const RunStore& store) {
            // The shown runs in their order, each followed by its control arms.
            const std::vector<RunInfo> all = store.list_runs();
            QList<RunCurves> out;
            auto add = [&](const RunInfo& info, bool control) {
                RunCurves run{info.id, QString::fromStdString(info.name),
                              control, store.pass_at_k_curves(info.id),
                              {},      configTemperature(info.config_json)};
                for (const StoredPassAtK& c : run.curves) run.stages << stageOf(store, c);
                out.append(run);
            };
            for (qint64 id : shown)
                for (const RunInfo& info : all) {
                    if (info.id == id) add(info, false);
                    if (info.parent_run_id == id && !wanted.count(info.id)) add(info, true);
                }
            return out;
        },
        [this](ReadResult<QList<RunCurves>> result) {
            showCurves(result.ticket, result.value, result.error);
        });
}

void EvaluationPage::showCurves(quint64 ticket, const QList<RunCurves>& runs,
                                const QString& error) {
    if (ticket != m_readTicket) return;  // a newer read replaced this one
    m_readTicket = 0;
    m_runs = runs;
    if (!error.isEmpty())
        m_plot->setErrorText(error);
    else
        m_plot->clearError();
    updatePlot();
}

void EvaluationPage::updatePlot() {
    QList<viz::ScalingCurve> curves;
    std::set<double> temperatures;
    for (const RunCurves& run : m_runs)
        for (const StoredPassAtK& c : run.curves) temperatures.insert(c.temperature);
    QStringList summary;
    int checkpoint = 0;  // one colour per checkpoint: pass@k solid, maj@k dashed
    for (const RunCurves& run : m_runs) {
        for (std::size_t i = 0; i < run.curves.size(); ++i, ++checkpoint) {
            const StoredPassAtK& c = run.curves[i];
            QString name = tr("%1 · step %2").arg(run.name).arg(c.step);
            if (!run.stages[i].isEmpty()) name += tr(" (%1)").arg(run.stages[i]);
            if (temperatures.size() > 1) name += tr(" · T %1").arg(c.temperature);
            const std::vector<double> k(c.ks.begin(), c.ks.end());
            if (m_measure != Measure::Majority)
                curves.append({name + tr(" · pass@k"), k, c.pass, {}, {}, checkpoint, false});
            if (m_measure != Measure::Pass)
                curves.append({name + tr(" · maj@k"),
                               k,
                               c.majority,
                               {},
                               {},
                               checkpoint,
                               m_measure == Measure::Both});
            summary << tr("%1: pass@1 %2, pass@%3 %4, maj@%3 %5 (%6 problems × %7 samples, "
                          "temperature %8)")
                           .arg(name, percentText(c.pass.front()))
                           .arg(c.ks.back())
                           .arg(percentText(c.pass.back()), percentText(c.majority.back()))
                           .arg(c.problems)
                           .arg(c.samples)
                           .arg(c.temperature);
        }
    }
    m_plot->setCurves(curves);
    m_plot->setTitle(m_measure == Measure::Both
                         ? tr("pass@k (solid) and maj@k (dashed) on held-out problems")
                     : m_measure == Measure::Pass ? tr("pass@k on held-out problems")
                                                  : tr("maj@k on held-out problems"));
    if (m_runs.isEmpty()) {
        m_plot->setEmptyText(tr("Open a run to see its pass@k curves."));
    } else {
        m_plot->setEmptyText(
            tr("No pass@k curve stored for run %1 or its control arm yet. Press \"Measure Current "
               "Run\", or measure any checkpoint of it with:\ntinyseek passk --db FILE --run %1 "
               "[--step N]")
                .arg(m_runs.front().id));
    }
    m_curveSummary = summary;
    updateStatus();
}

// The summary under the plot (a running measurement's progress first) and the Measure button.
void EvaluationPage::updateStatus() {
    QStringList lines = m_curveSummary;
    if (m_job->isRunning()) lines.prepend(measuringText());
    m_passSummary->setText(lines.join(QLatin1Char('\n')));
    m_measureButton->setText(m_job->isRunning() ? tr("Cancel Measurement")
                                                : tr("Measure Current Run"));
    m_measureButton->setEnabled(m_job->isRunning() || (m_hub && m_hub->currentRun() != 0));
}

QString EvaluationPage::passSummary() const {
    return m_passSummary->text();
}

double EvaluationPage::rolloutTemperature() const {
    for (const RunCurves& run : m_runs)
        if (m_hub && run.id == m_hub->currentRun()) return run.temperature;
    return 1.0;
}

bool EvaluationPage::measureCurrentRun() {
    if (!m_hub || m_hub->currentRun() == 0 || m_dbPath.isEmpty() || m_job->isRunning())
        return false;
    const std::string db = m_dbPath.toStdString();
    const qint64 run = m_hub->currentRun();
    PassAtKSettings settings;
    settings.temperature = rolloutTemperature();
    m_measureDone = m_measureTotal = 0;
    const bool started = m_job->start(
        QStringLiteral("pass@k"), [db, run, settings](const std::atomic<bool>& cancel,
                                                      const BackgroundJob::Progress& progress) {
            measure_run_pass_at_k(db, run, std::nullopt, settings, &cancel,
                                  [&progress](long done, long total) {
                                      progress(static_cast<int>(done), static_cast<int>(total));
                                  });
        });
    updateStatus();
    return started;
}

QString EvaluationPage::measuringText() const {
    const qint64 run = m_hub ? m_hub->currentRun() : 0;
    if (m_measureTotal <= 0) return tr("Measuring pass@k of run %1…").arg(run);
    return tr("Measuring pass@k of run %1: %2 of %3 samples drawn…")
        .arg(run)
        .arg(QLocale().toString(m_measureDone), QLocale().toString(m_measureTotal));
}

void EvaluationPage::onMeasureFinished(bool cancelled, const QString& error) {
    updateStatus();
    if (!error.isEmpty())
        m_passSummary->setText(tr("The measurement failed: %1").arg(error));
    else if (cancelled)
        m_passSummary->setText(tr("Measurement cancelled; nothing was stored."));
    if (error.isEmpty() && !cancelled) refresh();
}

void EvaluationPage::populateDifficultyRuns() {
    const qint64 keep = m_difficultyRun->currentData().toLongLong();
    const QSignalBlocker block(m_difficultyRun);
    m_difficultyRun->clear();
    if (!m_hub) return;
    for (qint64 id : m_hub->shownRuns()) {
        const HubRun* run = m_hub->run(id);
        const QString name = run && !run->name.isEmpty() ? run->name : QString();
        m_difficultyRun->addItem(tr("Run %1 %2").arg(id).arg(name).trimmed(), id);
    }
    const int index = m_difficultyRun->findData(keep);
    m_difficultyRun->setCurrentIndex(index >= 0 ? index : 0);
}

void EvaluationPage::updateDifficulty() {
    const qint64 runId = m_difficultyRun->currentData().toLongLong();
    const HubRun* run = m_hub && runId ? m_hub->run(runId) : nullptr;
    QStringList labels;
    std::set<double> steps;
    if (run)
        for (const auto& [key, series] : run->metrics)
            if (key.startsWith(QLatin1String(metric::kEvalBucketPrefix))) {
                labels << bucketLabel(key, metric::kEvalBucketPrefix);
                steps.insert(series.steps.begin(), series.steps.end());
            }
    std::sort(labels.begin(), labels.end(), naturalLess);
    const std::vector<double> columns(steps.begin(), steps.end());
    viz::Matrix m(static_cast<int>(labels.size()), static_cast<int>(columns.size()),
                  std::numeric_limits<float>::quiet_NaN());
    for (int r = 0; r < labels.size(); ++r) {
        const viz::MetricSeries& acc =
            run->metrics.at(QLatin1String(metric::kEvalBucketPrefix) + labels[r]);
        for (std::size_t i = 0; i < acc.size(); ++i) {
            const auto col = std::lower_bound(columns.begin(), columns.end(), acc.steps[i]);
            m.setValue(r, static_cast<int>(col - columns.begin()), float(acc.values[i]));
        }
        const auto n = run->metrics.find(QLatin1String(metric::kEvalBucketCountPrefix) + labels[r]);
        const bool counted = n != run->metrics.end() && !n->second.isEmpty();
        m.rowLabels << (counted ? tr("%1 (%2)").arg(labels[r]).arg(n->second.values.back())
                                : labels[r]);
    }
    for (double step : columns) m.colLabels << QString::number(qint64(step));
    m_heatmap->setMatrix(m);
    if (!run)
        m_heatmap->setEmptyText(tr("Open a run to see its accuracy by difficulty."));
    else
        m_heatmap->setEmptyText(
            tr("Run %1 stores no accuracy by difficulty: its evaluations ran before this "
               "version of TinySeek, with eval.bucket_min = 0, or not yet.")
                .arg(runId));
    if (m.isEmpty()) {
        m_difficultySummary->clear();
        return;
    }
    // The latest evaluation's hardest and easiest buckets.
    int worst = -1, best = -1;
    const int last = m.cols() - 1;
    for (int r = 0; r < m.rows(); ++r) {
        const float v = m.value(r, last);
        if (std::isnan(v)) continue;
        if (worst < 0 || v < m.value(worst, last)) worst = r;
        if (best < 0 || v > m.value(best, last)) best = r;
    }
    m_difficultySummary->setText(
        worst < 0
            ? QString()
            : tr("Step %1: hardest %2 at %3, easiest %4 at %5. Buckets a uniform draw "
                 "rarely hits (short operands) are topped up with held-out problems "
                 "(eval.bucket_min); those count in their length bucket only, never in "
                 "eval/accuracy.")
                  .arg(m.colLabels.back(), m.rowLabels[worst], percentText(m.value(worst, last)),
                       m.rowLabels[best], percentText(m.value(best, last))));
}

QList<viz::Exportable*> EvaluationPage::exportables() const {
    return {m_plot, m_heatmap};
}

}  // namespace tinyseek::gui
