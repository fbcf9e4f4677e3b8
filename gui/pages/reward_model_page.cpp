// training/ headers first: core/safetensors.h names a parameter `slots`, which Qt's keyword
// macro would rewrite.
#include "training/grm/pooling.h"
#include "training/run_store.h"

#include "gui/pages/page_registry.h"
#include "gui/pages/reward_model_page.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <numeric>

#include "gui/figures/figure_export.h"
#include "gui/live/run_reader.h"
#include "viz/scaling_plot.h"

namespace tinyseek::gui {

// The judgments panel as a figure: the table as a picture and every sample as CSV.
class JudgmentsFigure : public viz::Exportable {
  public:
    QString titleText;
    QStringList header;
    QList<QStringList> rows;
    QStringList footer;  // pooled results, one line each

    QString title() const override { return titleText; }
    QSize defaultExportSize() const override { return QSize(1100, 80 + 22 * (rows.size() + 4)); }
    void writeCsv(QTextStream& out) const override {
        QStringList h;
        for (const QString& c : header) h << viz::csvField(c);
        out << h.join(QLatin1Char(',')) << "\n";
        for (const QStringList& r : rows) {
            QStringList f;
            for (const QString& c : r) f << viz::csvField(c);
            out << f.join(QLatin1Char(',')) << "\n";
        }
    }
    void renderTo(QPainter& p, const QRectF& target) override {
        p.save();
        p.fillRect(target, Qt::white);
        p.setPen(Qt::black);
        QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        font.setPointSizeF(9);
        p.setFont(font);
        const QFontMetricsF fm(font);
        const double line = fm.height() * 1.4;
        double y = target.top() + line;
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QPointF(target.left() + 8, y), titleText);
        y += line;
        // Column widths proportional to the header's share; text elided to fit.
        const QList<double> share = {0.04, 0.20, 0.40, 0.14, 0.08, 0.06, 0.08};
        auto drawRow = [&](const QStringList& cells) {
            double x = target.left() + 8;
            for (int c = 0; c < cells.size() && c < share.size(); ++c) {
                const double w = share[c] * (target.width() - 16);
                p.drawText(QPointF(x, y), fm.elidedText(cells[c], Qt::ElideRight, w - 6));
                x += w;
            }
            y += line;
        };
        drawRow(header);
        p.setFont(font);
        for (const QStringList& r : rows) drawRow(r);
        y += line * 0.5;
        for (const QString& f : footer) {
            p.drawText(QPointF(target.left() + 8, y), f);
            y += line;
        }
        p.restore();
    }
};

namespace {

QString scoresText(const std::vector<int>& scores) {
    QStringList parts;
    for (std::size_t i = 0; i < scores.size(); ++i)
        parts << QStringLiteral("%1:%2").arg(QChar(candidate_label(int(i)))).arg(scores[i]);
    return parts.join(QLatin1Char(' '));
}

QString totalsText(const std::vector<double>& totals) {
    QStringList parts;
    for (std::size_t i = 0; i < totals.size(); ++i)
        parts << QStringLiteral("%1 %2").arg(QChar(candidate_label(int(i)))).arg(totals[i]);
    return parts.join(QStringLiteral(", "));
}

}  // namespace

RewardModelPage::RewardModelPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("Reward-model accuracy against the number of samples k (greedy, voting, meta RM, "
           "scalar RM) will appear here once a scaling experiment is stored: run "
           "\"tinyseek grm train\", then \"tinyseek grm scale --db FILE\"."));
    m_judgmentsFigure = std::make_unique<JudgmentsFigure>();
    buildUi();
    m_namedPlot = std::make_unique<NamedFigure>(QStringLiteral("reward-model-scaling"), m_plot);
    m_namedJudgments = std::make_unique<NamedFigure>(QStringLiteral("reward-model-judgments"),
                                                     m_judgmentsFigure.get());
    const auto figures = [this] { return exportables(); };
    FigureExport::install(m_plot, m_namedPlot.get(), figures);
    FigureExport::install(m_table, m_namedJudgments.get(), figures);
    clearRun();
    // Follow the window's database without depending on its class.
    if (parent && parent->metaObject()->indexOfSignal("databaseOpened(QString)") >= 0)
        connect(parent, SIGNAL(databaseOpened(QString)), this, SLOT(setDatabase(QString)));
}

RewardModelPage::~RewardModelPage() = default;

void RewardModelPage::buildUi() {
    m_body = new QWidget(this);
    auto* outer = new QVBoxLayout(m_body);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(buildTopBar());
    buildMessages();
    outer->addWidget(m_summary);
    outer->addWidget(m_stages);
    outer->addWidget(m_error);

    auto* split = new QSplitter(Qt::Vertical, m_body);
    split->addWidget(buildPlot(split));
    split->addWidget(buildJudgmentsPanel(split));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    outer->addWidget(split, 1);
    contentLayout()->addWidget(m_body, 1);
    connectControls();
}

QHBoxLayout* RewardModelPage::buildTopBar() {
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Experiment:"), m_body));
    m_runCombo = new QComboBox(m_body);
    m_runCombo->setObjectName(QStringLiteral("runCombo"));
    m_runCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(m_runCombo);
    m_refreshButton = new QPushButton(tr("Refresh"), m_body);
    m_refreshButton->setToolTip(tr("Read the database again (new experiments, new rows)"));
    top->addWidget(m_refreshButton);
    top->addStretch(1);
    m_exportButton = new QPushButton(tr("Export Charts…"), m_body);
    m_exportButton->setToolTip(tr("Write both figures of this page as PNG, SVG, PDF and CSV"));
    top->addWidget(m_exportButton);
    return top;
}

void RewardModelPage::buildMessages() {
    m_summary = new QLabel(m_body);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    m_stages = new QLabel(m_body);
    m_stages->setObjectName(QStringLiteral("stages"));
    m_stages->setWordWrap(true);
    m_stages->setVisible(false);
    m_error = new QLabel(m_body);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setForegroundRole(QPalette::PlaceholderText);
}

viz::ScalingPlot* RewardModelPage::buildPlot(QWidget* parent) {
    m_plot = new viz::ScalingPlot(parent);
    m_plot->setObjectName(QStringLiteral("scalingPlot"));
    m_plot->setTitle(tr("Reward-model accuracy vs samples per item"));
    m_plot->setYAxisTitle(tr("Accuracy on held-out items"));
    m_plot->setSecondaryAxisTitle(tr("Judge tokens generated per item"));
    // The y axis spans the curves, their band and the reference lines (rounded to nice ticks),
    // not 0..1: the differences between k are a few points, which a full-scale axis flattens
    // into one line, and the scalar-RM line keeps the comparison honest.
    return m_plot;
}

QWidget* RewardModelPage::buildJudgmentsPanel(QWidget* parent) {
    auto* panel = new QWidget(parent);
    auto* pv = new QVBoxLayout(panel);
    pv->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Item:"), panel));
    m_exampleSpin = new QSpinBox(panel);
    m_exampleSpin->setObjectName(QStringLiteral("exampleSpin"));
    bar->addWidget(m_exampleSpin);
    bar->addWidget(new QLabel(tr("k:"), panel));
    m_kCombo = new QComboBox(panel);
    m_kCombo->setObjectName(QStringLiteral("kCombo"));
    bar->addWidget(m_kCombo);
    m_prompt = new QLabel(panel);
    m_prompt->setObjectName(QStringLiteral("prompt"));
    m_prompt->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_prompt, 1);
    pv->addLayout(bar);
    m_table = new QTableWidget(panel);
    m_table->setObjectName(QStringLiteral("judgments"));
    m_table->setColumnCount(7);
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Principles"), tr("Critique"), tr("Scores"),
                                        tr("Meta RM"), tr("Kept"), tr("Right")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    pv->addWidget(m_table, 1);
    m_pooled = new QLabel(panel);
    m_pooled->setObjectName(QStringLiteral("pooled"));
    m_pooled->setWordWrap(true);
    m_pooled->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pv->addWidget(m_pooled);
    return panel;
}

void RewardModelPage::connectControls() {
    connect(m_exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportAll(this, exportables()); });
    connect(m_refreshButton, &QPushButton::clicked, this, &RewardModelPage::refresh);
    connect(m_runCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && index < m_runs.size()) setRun(m_dbPath, m_runs[index]);
    });
    connect(m_exampleSpin, &QSpinBox::valueChanged, this, [this] { updateJudgments(); });
    connect(m_kCombo, &QComboBox::currentIndexChanged, this, [this] { updateJudgments(); });
}

QList<viz::Exportable*> RewardModelPage::exportables() const {
    return {m_namedPlot.get(), m_namedJudgments.get()};
}

QList<qint64> RewardModelPage::availableRuns() const {
    return m_runs;
}

void RewardModelPage::setDatabase(const QString& path) {
    listRuns(path, 0);
}

void RewardModelPage::refresh() {
    if (m_dbPath.isEmpty()) return;
    listRuns(m_dbPath, m_runId);
}

void RewardModelPage::listRuns(const QString& path, qint64 keep) {
    m_dbPath = path;
    m_runs.clear();
    if (!reader()) return;
    m_listTicket = reader()->read<QList<ScalingRunEntry>>(
        path, this,
        [](const RunStore& store) {
            QList<ScalingRunEntry> runs;
            for (const RunInfo& info : store.list_runs())
                if (info.kind == "grm_scale")
                    runs.append({info.id, QString::fromStdString(info.name)});
            return runs;
        },
        [this, path, keep](const ReadResult<QList<ScalingRunEntry>>& runs) {
            if (runs.ticket != m_listTicket) return;  // another database or refresh since
            m_listTicket = 0;
            showRunList(path, keep, runs);
        });
}

void RewardModelPage::showRunList(const QString& path, qint64 keep,
                                  const ReadResult<QList<ScalingRunEntry>>& runs) {
    if (!runs.ok()) {
        clearRun();
        showError(tr("Cannot read %1: %2").arg(path, runs.error));
        return;
    }
    QList<ScalingRunEntry> entries = runs.value;
    std::sort(entries.begin(), entries.end(),
              [](const ScalingRunEntry& a, const ScalingRunEntry& b) { return a.id > b.id; });
    m_runs.clear();
    for (const ScalingRunEntry& e : entries) m_runs.append(e.id);
    populateRunCombo(entries);
    if (m_runs.isEmpty()) {
        clearRun();
        return;
    }
    // The newest experiment, or the one shown before a refresh when it is still there.
    setRun(path, keep && m_runs.contains(keep) ? keep : m_runs.front());
}

// "Run 4 · grm experiment mix": the id the other pages and the CLI use, and the run's name.
void RewardModelPage::populateRunCombo(const QList<ScalingRunEntry>& entries) {
    const QSignalBlocker block(m_runCombo);
    m_runCombo->clear();
    for (const ScalingRunEntry& e : entries)
        m_runCombo->addItem(
            e.name.isEmpty() ? tr("Run %1").arg(e.id) : tr("Run %1 · %2").arg(e.id).arg(e.name),
            e.id);
}

void RewardModelPage::clearRun() {
    m_runTicket = 0;  // an experiment being read is no longer wanted
    m_runId = 0;
    m_rows.clear();
    m_examples.clear();
    m_ks.clear();
    m_plot->setCurves({});
    m_plot->setReferenceLines({});
    m_plot->setSecondaryCurves({});
    m_table->setRowCount(0);
    m_pooled->clear();
    m_prompt->clear();
    m_stages->clear();
    m_stages->setVisible(false);
    m_error->clear();
    m_body->setVisible(false);
    setEmptyStateVisible(true);
}

void RewardModelPage::showError(const QString& message) {
    m_body->setVisible(true);
    setEmptyStateVisible(false);
    m_error->setText(message);
}

RewardModelPage::Example RewardModelPage::exampleOf(const StepReport& report) {
    Example ex;
    ex.best =
        static_cast<int>(report.scalars.count("grm/best") ? report.scalars.at("grm/best") : -1);
    ex.candidates = static_cast<int>(
        report.scalars.count("grm/candidates") ? report.scalars.at("grm/candidates") : 0);
    for (const RolloutSample& r : report.rollouts) {
        ex.prompt = QString::fromStdString(r.prompt);
        const Judgment j = parse_judgment(r.completion, ex.candidates);
        Sample s;
        s.text = QString::fromStdString(r.completion);
        s.principles = QString::fromStdString(j.principles);
        s.critique = QString::fromStdString(j.critique);
        s.scores = j.scores;
        s.valid = j.valid;
        s.right = singles_out(j, ex.best);
        s.meta = r.advantage;
        s.length = r.length;
        ex.samples.append(s);
    }
    return ex;
}

RewardModelPage::ScalingRun RewardModelPage::readScalingRun(const RunStore& store, qint64 runId) {
    ScalingRun run;
    const RunInfo info = store.run(runId);
    run.name = QString::fromStdString(info.name);
    const QJsonObject cfg =
        QJsonDocument::fromJson(QByteArray::fromStdString(info.config_json)).object();
    run.kMeta = cfg.value(QStringLiteral("k_meta")).toInt(0);
    run.labSeeds = cfg.value(QStringLiteral("lab_seeds")).toInt(0);
    run.drawSeeds = cfg.value(QStringLiteral("seeds")).toInt(1);
    run.rows = store.scaling_results(runId);
    for (const QString& dir : JudgeStagesText::labDirsOf(cfg))
        run.labs.append(JudgeStagesText::read(dir));
    for (std::int64_t step : store.steps(runId)) {
        Example ex = exampleOf(store.load_step(runId, step));
        if (ex.candidates > 0) run.examples.append(std::move(ex));
    }
    return run;
}

void RewardModelPage::setRun(const QString& dbPath, qint64 runId) {
    if (!reader()) return;
    m_runTicket = reader()->read<ScalingRun>(
        dbPath, this, [runId](const RunStore& store) { return readScalingRun(store, runId); },
        [this, dbPath, runId](ReadResult<ScalingRun> read) {
            if (read.ticket != m_runTicket) return;  // another experiment since
            m_runTicket = 0;
            if (read.ok()) {
                showScalingRun(dbPath, runId, std::move(read.value));
                return;
            }
            clearRun();
            m_dbPath = dbPath;
            showError(tr("Cannot read run %1 of %2: %3").arg(runId).arg(dbPath, read.error));
        });
}

void RewardModelPage::showScalingRun(const QString& dbPath, qint64 runId, ScalingRun run) {
    m_dbPath = dbPath;
    m_runId = runId;
    m_rows = std::move(run.rows);
    m_examples = std::move(run.examples);
    m_kMetaOption = run.kMeta;
    m_error->clear();
    m_body->setVisible(true);
    setEmptyStateVisible(false);
    {
        const QSignalBlocker block(m_runCombo);
        const int index = m_runs.indexOf(runId);
        if (index >= 0) m_runCombo->setCurrentIndex(index);
    }
    std::int64_t items = 0;
    for (const ScalingResult& r : m_rows) items = std::max(items, r.n_items);
    // What the band spans: lab seeds (each its own judge) or sampling draws of one judge.
    QString band;
    if (run.labSeeds > 1)
        band = tr(" Lines: the mean of %1 lab seeds, each with its own trained judge; bands: "
                  "their lowest to highest.")
                   .arg(run.labSeeds);
    else if (run.drawSeeds > 1)
        band =
            tr(" Bands: lowest to highest of %1 sampling draws of one judge.").arg(run.drawSeeds);
    m_summary->setText(tr("%1 — %2 held-out items; a tie for the top counts as a random pick "
                          "(1/t of a point when the true best answer is among t tied), an item "
                          "without a valid judgment as a miss.")
                           .arg(run.name)
                           .arg(items) +
                       band);
    m_stages->setText(JudgeStagesText::of(run.labs));
    m_stages->setVisible(!run.labs.isEmpty());
    updatePlot();
    {
        const QSignalBlocker b1(m_exampleSpin), b2(m_kCombo);
        m_exampleSpin->setRange(0, std::max(0, int(m_examples.size()) - 1));
        m_exampleSpin->setEnabled(!m_examples.isEmpty());
        m_kCombo->clear();
        for (int k : m_ks) m_kCombo->addItem(QString::number(k), k);
        m_kCombo->setCurrentIndex(m_kCombo->count() - 1);
    }
    updateJudgments();
}

bool RewardModelPage::isBusy() const {
    return m_listTicket != 0 || m_runTicket != 0;
}

void RewardModelPage::updatePlot() {
    // (method, k) -> accuracies over seeds; tokens per item of the sampled methods.
    std::map<std::string, std::map<int, std::vector<double>>> acc;
    std::map<int, std::vector<double>> tokens;
    // The greedy judge and the scalar RM have one row per lab seed of an experiment (one in
    // all for a single judge): their lines are the mean.
    std::vector<double> greedyRows, scalarRows, chanceRows;
    for (const ScalingResult& r : m_rows) {
        if (r.method == "chance") chanceRows.push_back(r.accuracy);
        if (r.method == "greedy") greedyRows.push_back(r.accuracy);
        if (r.method == "scalar_rm") scalarRows.push_back(r.accuracy);
        if (r.method == "voting" || r.method == "meta_rm" || r.method == "ceiling")
            acc[r.method][r.k].push_back(r.accuracy);
        if (r.method == "voting") tokens[r.k].push_back(r.tokens_per_item);
    }
    m_ks.clear();
    for (const auto& [k, v] : tokens) m_ks.append(k);
    auto curve = [&](const QString& name, const std::map<int, std::vector<double>>& byK) {
        viz::ScalingCurve c;
        c.name = name;
        bool band = false;
        for (const auto& [k, v] : byK) band = band || v.size() > 1;
        for (const auto& [k, v] : byK) {
            double sum = 0;
            for (double x : v) sum += x;
            c.k.push_back(k);
            c.mean.push_back(sum / double(v.size()));
            if (band) {
                c.low.push_back(*std::min_element(v.begin(), v.end()));
                c.high.push_back(*std::max_element(v.begin(), v.end()));
            }
        }
        return c;
    };
    QList<viz::ScalingCurve> curves;
    if (acc.count("voting")) curves << curve(tr("Voting@k"), acc["voting"]);
    if (acc.count("meta_rm")) curves << curve(tr("Meta RM@k"), acc["meta_rm"]);
    if (acc.count("ceiling")) {  // what a perfect pick among k samples reaches (pass@k)
        viz::ScalingCurve c =
            curve(tr("Ceiling: a right judgment among k (pass@k)"), acc["ceiling"]);
        c.dashed = true;
        curves << c;
    }
    QList<viz::ReferenceLine> refs;
    auto mean = [](const std::vector<double>& v) {
        return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    };
    if (!greedyRows.empty()) refs << viz::ReferenceLine{tr("Greedy judge"), mean(greedyRows)};
    if (!scalarRows.empty()) refs << viz::ReferenceLine{tr("Scalar RM"), mean(scalarRows)};
    if (!chanceRows.empty())
        refs << viz::ReferenceLine{tr("Random pick among the candidates"), mean(chanceRows)};
    QList<viz::ScalingCurve> secondary;
    if (!tokens.empty()) {
        viz::ScalingCurve t = curve(tr("Tokens per item"), tokens);
        t.low.clear();
        t.high.clear();
        secondary << t;
    }
    m_plot->setCurves(curves);
    m_plot->setReferenceLines(refs);
    m_plot->setSecondaryCurves(secondary);
}

int RewardModelPage::currentK() const {
    return m_kCombo->currentData().toInt();
}

void RewardModelPage::setExample(int index) {
    m_exampleSpin->setValue(index);
    updateJudgments();
}

void RewardModelPage::setK(int k) {
    const int index = m_kCombo->findData(k);
    if (index >= 0) m_kCombo->setCurrentIndex(index);
    updateJudgments();
}

QString RewardModelPage::pooledText() const {
    return m_pooled->text();
}

void RewardModelPage::updateJudgments() {
    JudgmentsFigure& fig = *m_judgmentsFigure;
    fig.header = {tr("#"),       tr("Principles"), tr("Critique"), tr("Scores"),
                  tr("Meta RM"), tr("Kept"),       tr("Right")};
    fig.rows.clear();
    fig.footer.clear();
    m_table->setRowCount(0);
    const int index = m_exampleSpin->value();
    if (m_examples.isEmpty() || index < 0 || index >= m_examples.size()) {
        fig.titleText = tr("Sampled judgments");
        m_prompt->setText(m_examples.isEmpty() ? tr("No example items stored in this run.")
                                               : QString());
        m_pooled->clear();
        return;
    }
    const Example& ex = m_examples[index];
    const int k = std::min<int>(std::max(1, currentK()), ex.samples.size());
    const int kMeta = m_kMetaOption > 0 ? std::min(m_kMetaOption, k) : default_k_meta(k);
    std::vector<Judgment> js;
    std::vector<float> meta;
    for (int i = 0; i < k; ++i) {
        const Sample& s = ex.samples[i];
        Judgment j;
        j.valid = s.valid;
        j.scores = s.scores;
        js.push_back(j);
        meta.push_back(static_cast<float>(s.meta));
    }
    const PooledDecision voting = vote(js, ex.candidates);
    const PooledDecision metaVote = meta_rm_vote(js, meta, kMeta, ex.candidates);
    const QString truth = QString(QChar(candidate_label(ex.best)));
    m_prompt->setText(tr("%1   (true best: %2)").arg(ex.prompt, truth));
    fig.titleText = tr("Sampled judgments of \"%1\" (k = %2)").arg(ex.prompt).arg(k);

    m_table->setRowCount(k);
    for (int i = 0; i < k; ++i) {
        const Sample& s = ex.samples[i];
        const bool kept =
            std::find(metaVote.kept.begin(), metaVote.kept.end(), i) != metaVote.kept.end();
        const QStringList cells = {QString::number(i + 1),
                                   s.valid ? s.principles : tr("(invalid)"),
                                   s.valid ? s.critique : s.text,
                                   s.valid ? scoresText(s.scores) : QString(),
                                   s.valid ? QString::number(s.meta, 'f', 2) : QString(),
                                   kept ? tr("kept") : QString(),
                                   s.right ? tr("yes") : tr("no")};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == 2 && !s.valid) item->setToolTip(s.text);
            m_table->setItem(i, c, item);
        }
        fig.rows << cells;
    }
    m_table->resizeColumnsToContents();
    auto decision = [&](const PooledDecision& d) {
        if (d.voters == 0) return tr("no valid judgment: no decision (miss)");
        const QString pick =
            d.best >= 0 ? QString(QChar(candidate_label(d.best)))
                        : tr("tie for the top (credit %1)").arg(d.credit(ex.best), 0, 'g', 3);
        return tr("%1 → %2%3")
            .arg(totalsText(d.totals), pick,
                 d.best < 0           ? QString()
                 : d.correct(ex.best) ? tr(" (right)")
                                      : tr(" (wrong)"));
    };
    const QString votingLine =
        tr("Voting@%1 (%2 valid): %3").arg(k).arg(voting.voters).arg(decision(voting));
    const QString metaLine = tr("Meta RM@%1 (keeps the top %2 by meta-RM score): %3")
                                 .arg(k)
                                 .arg(kMeta)
                                 .arg(decision(metaVote));
    m_pooled->setText(votingLine + QLatin1Char('\n') + metaLine);
    fig.footer = {votingLine, metaLine};
}

}  // namespace tinyseek::gui
