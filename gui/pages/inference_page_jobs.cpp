// InferencePage: the measurements. Each runs on the page's BackgroundJob (a worker thread),
// reads only the immutable Model it started with, builds the panel's plain view there and
// hands it to the GUI thread, which shows it if the page still has that model.
// core/ and training/ headers first: they name a member `slots`, which Qt's keyword macro
// would rewrite.
#include "core/checkpoint.h"
#include "core/throughput_measure.h"
#include "training/evaluator.h"
#include "training/speculation_eval.h"
#include "training/task.h"

#include "gui/pages/inference_page.h"
#include "gui/pages/inference_page_model.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

#include <omp.h>

#include "gui/live/background_job.h"
#include "gui/models/speculation_view.h"
#include "gui/pages/acceptance_panel.h"
#include "gui/pages/throughput_panel.h"

namespace tinyseek::gui {

namespace {

constexpr char kAcceptanceJob[] = "acceptance";
constexpr char kCurveJob[] = "curve";
constexpr char kThroughputJob[] = "throughput";
// A throughput sample generates for at least this long (core/throughput_measure.h).
constexpr double kMinSampleSeconds = 0.25;

SpeculationEvalOptions evalOptions(int prompts) {
    SpeculationEvalOptions o;
    o.prompts = prompts;
    return o;
}

bool hasMtp(const ModelConfig& c) {
    return c.num_nextn_predict_layers > 0;
}

}  // namespace

void InferencePage::connectJob() {
    connect(m_job, &BackgroundJob::progressed, this, [this](int done, int total) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
    });
    connect(m_job, &BackgroundJob::finished, this, &InferencePage::onJobFinished);
}

bool InferencePage::isMeasuring() const {
    return m_job->isRunning();
}

bool InferencePage::isBusy() const {
    // Measurements waiting for a hidden page are not under way: nothing waits for them.
    const bool willStart = m_autoPending && (isVisible() || m_measureHidden);
    return m_job->isRunning() || willStart || m_runTicket != 0;
}

void InferencePage::setMeasureWhileHidden(bool on) {
    m_measureHidden = on;
    if (on && m_autoPending && !m_job->isRunning()) startAutomatic();
}

void InferencePage::showEvent(QShowEvent* event) {
    Page::showEvent(event);
    if (m_autoPending && !m_job->isRunning()) startAutomatic();
}

QString InferencePage::measurementStatus() const {
    return m_jobLabel->text();
}

void InferencePage::setHeldOutPrompts(int n) {
    m_heldOutPrompts = std::max(1, n);
}

void InferencePage::setThroughputBatches(const QList<int>& batches, int repeats) {
    m_batches = batches;
    m_repeats = std::max(1, repeats);
}

void InferencePage::cancelMeasurement() {
    m_job->cancel();
}

QString InferencePage::decodingSetting(int prompts) const {
    const CheckpointTask task =
        checkpoint_task(m_model->checkpoint->metadata, m_model->dir.toStdString());
    return tr("Greedy speculative decoding of the first %1 held-out %2 problems (the "
              "evaluator's set, never trained on), latent cache, at most %3 new tokens, "
              "stopping at </answer> or <eos>.")
        .arg(prompts)
        .arg(QString::fromStdString(task.name))
        .arg(evalOptions(m_heldOutPrompts).max_new_tokens);
}

QString InferencePage::whyNoAcceptance() const {
    if (!m_trained)
        return tr(
            "No trained model: open a run that has a checkpoint, or a checkpoint "
            "directory (“Open Checkpoint…”), to measure how often its MTP draft is "
            "accepted. A freshly initialised model's drafts are noise.");
    if (!hasMtp(m_model->checkpoint->config))
        return tr(
            "This model has no MTP module (num_nextn_predict_layers = 0), so there is no "
            "draft to accept. Train with num_nextn_predict_layers = 1 for speculative "
            "decoding.");
    return QString();
}

void InferencePage::clearMeasurements() {
    const QString why = whyNoAcceptance();
    m_acceptance->clearAcceptance(why.isEmpty() ? tr("Measuring…") : why);
    m_acceptance->clearCurve(why.isEmpty() ? tr("Measuring…") : why);
    m_throughput->clearThroughput(
        tr("Press “Measure Throughput” to time plain and speculative decoding of held-out "
           "prompts at batch sizes %1, in both cache modes.")
            .arg(QLocale().createSeparatedList([this] {
                QStringList b;
                for (int n : m_batches) b << QString::number(n);
                return b;
            }())));
    QString plan =
        tr("Times greedy decoding of held-out prompts, plain and speculative, in the latent and "
           "the expanded cache, at each batch size; each point is the fastest of %n sample(s) "
           "of at least %1 s. Other work on the machine slows it down.",
           "", m_repeats)
            .arg(kMinSampleSeconds);
    if (!m_trained)
        plan += QLatin1Char(' ') + tr("No trained model: the measurement runs on a freshly "
                                      "initialised one, whose drafts are almost never "
                                      "accepted, so it shows the cost of speculation only.");
    m_throughput->setPlan(plan);
    m_acceptance->setMeasureEnabled(why.isEmpty());
}

void InferencePage::startAutomatic() {
    m_autoPending = !isVisible() && !m_measureHidden;  // then showEvent() starts them
    if (m_autoPending) return;
    m_jobLabel->clear();
    if (whyNoAcceptance().isEmpty()) measureAcceptance();
}

bool InferencePage::startJob(
    const QString& name, const QString& text, std::function<void()> onDone,
    std::function<void(const std::atomic<bool>&, const std::function<void(int, int)>&)> work,
    bool timing) {
    if (!m_job->start(
            name, std::move(work),
            timing ? BackgroundJob::Priority::Timing : BackgroundJob::Priority::Background))
        return false;
    m_onDone = std::move(onDone);
    m_jobLabel->setText(text);
    m_progress->setRange(0, 0);  // busy until the first progress report
    m_progress->setVisible(true);
    m_cancelButton->setVisible(true);
    m_cancelButton->setEnabled(true);
    m_throughput->setMeasureEnabled(false);
    m_acceptance->setMeasureEnabled(false);
    return true;
}

void InferencePage::onJobFinished(const QString& name, bool cancelled, const QString& error) {
    m_progress->setVisible(false);
    m_cancelButton->setVisible(false);
    std::function<void()> done = std::move(m_onDone);
    m_onDone = nullptr;
    m_throughput->setMeasureEnabled(true);
    m_acceptance->setMeasureEnabled(whyNoAcceptance().isEmpty());
    if (cancelled) {
        // Cancelled for a new model: nothing to say about the old one.
        if (!m_jobSuperseded) {
            m_jobLabel->setText(tr("Measurement cancelled."));
            clearFiguresOf(name, name == QLatin1String(kThroughputJob)
                                     ? tr("Cancelled. Press “Measure Throughput” to measure "
                                          "again.")
                                     : tr("Cancelled. Press “Measure Again” to measure."));
        }
    } else if (!error.isEmpty()) {
        m_jobLabel->setText(tr("Measurement failed: %1").arg(error));
        clearFiguresOf(name, m_jobLabel->text());
    } else {
        m_jobLabel->clear();
        if (done) done();
    }
    m_jobSuperseded = false;
    emit measurementFinished(name, cancelled, error);
    if (m_autoPending) startAutomatic();
}

void InferencePage::clearFiguresOf(const QString& job, const QString& why) {
    if (job == QLatin1String(kThroughputJob))
        m_throughput->clearThroughput(why);
    else if (job == QLatin1String(kCurveJob))
        m_acceptance->clearCurve(why);
    else
        m_acceptance->clearAcceptance(why);
}

bool InferencePage::measureAcceptance() {
    if (!whyNoAcceptance().isEmpty()) return false;
    const std::shared_ptr<const Model> model = m_model;
    const SpeculationEvalOptions options = evalOptions(m_heldOutPrompts);
    auto view = std::make_shared<AcceptanceView>();
    const auto work = [model, options, view](const std::atomic<bool>& cancel,
                                             const std::function<void(int, int)>& progress) {
        const Checkpoint& ck = *model->checkpoint;
        const SpeculationEval eval = evaluate_speculation(
            ck.params, ck.tokenizer, checkpoint_task(ck.metadata, model->dir.toStdString()),
            options, &cancel, progress);
        *view = acceptanceView(eval, ck.tokenizer);
    };
    const auto done = [this, model, view] {
        if (model != m_model) return;
        m_acceptance->showAcceptance(*view, decodingSetting(view->prompts));
        emit acceptanceMeasured();
        if (!model->checkpoints.isEmpty()) measureCurve();
    };
    return startJob(
        QString::fromLatin1(kAcceptanceJob),
        tr("Measuring the MTP draft's acceptance on %1 held-out prompts…").arg(m_heldOutPrompts),
        done, work);
}

bool InferencePage::measureCurve() {
    if (!whyNoAcceptance().isEmpty() || m_model->checkpoints.isEmpty()) return false;
    const std::shared_ptr<const Model> model = m_model;
    const SpeculationEvalOptions options = evalOptions(m_heldOutPrompts);
    auto points = std::make_shared<std::vector<CurvePoint>>();
    const auto work = [model, options, points](const std::atomic<bool>& cancel,
                                               const std::function<void(int, int)>& progress) {
        std::vector<CheckpointRef> refs;
        for (const CheckpointEntry& e : model->checkpoints)
            refs.push_back({e.step, e.dir.toStdString()});
        *points = curveView(acceptance_over_checkpoints(refs, options, &cancel, progress));
    };
    const auto done = [this, model, points] {
        if (model != m_model) return;
        m_acceptance->showCurve(*points);
        emit curveMeasured();
    };
    return startJob(QString::fromLatin1(kCurveJob),
                    tr("Measuring the draft's acceptance at %n checkpoint(s)…", "",
                       static_cast<int>(model->checkpoints.size())),
                    done, work);
}

bool InferencePage::measureThroughput() {
    const std::shared_ptr<const Model> model = m_model;
    const ModelConfig& config = model->checkpoint->config;
    auto request = std::make_shared<ThroughputRequest>();
    request->modes = {CacheMode::expanded};
    if (config.attention == AttentionKind::mla)
        request->modes.insert(request->modes.begin(), CacheMode::latent);
    request->batches.assign(m_batches.begin(), m_batches.end());
    request->speculative = {false};
    if (hasMtp(config)) request->speculative.push_back(true);
    request->generation.max_new_tokens = evalOptions(m_heldOutPrompts).max_new_tokens;
    request->generation.sampling.temperature = 0.0f;
    request->generation.stop_tokens = evaluation_stop_tokens();
    request->repeats = m_repeats;
    request->min_seconds = kMinSampleSeconds;
    auto view = std::make_shared<ThroughputView>();
    view->repeats = m_repeats;
    view->minSeconds = kMinSampleSeconds;
    view->maxNewTokens = request->generation.max_new_tokens;
    view->trained = model->trained;
    int largest = 1;
    for (int b : m_batches) largest = std::max(largest, b);
    const auto work = [model, request, view, largest](
                          const std::atomic<bool>& cancel,
                          const std::function<void(int, int)>& progress) {
        const Checkpoint& ck = *model->checkpoint;
        const CheckpointTask task = checkpoint_task(ck.metadata, model->dir.toStdString());
        request->prompts = held_out_prompts(*make_task(task.name, task.options), ck.tokenizer,
                                            largest, evalOptions(1).seed);
        view->threads = omp_get_max_threads();
        view->points = throughputPoints(measure_throughput(ck.params, *request, &cancel, progress));
    };
    const auto done = [this, model, view] {
        if (model != m_model) return;
        m_throughput->showThroughput(*view);
        emit throughputMeasured();
    };
    return startJob(QString::fromLatin1(kThroughputJob),
                    tr("Timing plain and speculative decoding…"), done, work, /*timing=*/true);
}

}  // namespace tinyseek::gui
