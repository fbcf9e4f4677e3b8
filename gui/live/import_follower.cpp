#include "gui/live/import_follower.h"

#include <QTimer>

#include <cmath>
#include <functional>
#include <map>
#include <vector>

#include "gui/live/metrics_hub.h"
#include "imports/run_import.h"

namespace tinyseek::gui {

// Lives on the follower's thread: owns the sources, their stores and the poll timer.
class ImportWorker : public QObject {
    Q_OBJECT

  public:
    using Finished = std::function<void()>;

    ImportWorker(MetricsHub* hub, Mailbox<ImportRequest>& requests, Mailbox<ImportAnswer>& answers,
                 Finished finished)
        : m_hub(hub), m_requests(requests), m_answers(answers), m_finished(std::move(finished)) {}

    void takeRequests() {
        while (std::optional<ImportRequest> r = m_requests.takeFirst()) {
            if (r->kind == ImportRequest::Kind::import) {
                import(*r);
                continue;
            }
            stopAll();
            if (r->kind == ImportRequest::Kind::finish) m_finished();
        }
    }

  signals:
    void answersPosted();

  private:
    struct Followed {
        QString db;
        std::unique_ptr<imports::LogSource> source;
        std::unique_ptr<imports::RunImport> import;
        std::int64_t lastStep = 0;
    };

    void answer(ImportAnswer a) {
        m_answers.post(std::move(a), [this] { emit answersPosted(); });
    }

    void import(const ImportRequest& r) {
        try {
            auto sources = imports::find_sources(r.path.toStdString());
            RunStore& store = storeFor(r.db);
            ImportAnswer a{ImportAnswer::Kind::imported, r.path, {}, {}, 0};
            QStringList lines;
            for (auto& source : sources) {
                Followed f{r.db, std::move(source), nullptr, 0};
                f.import = std::make_unique<imports::RunImport>(store, *f.source);
                const imports::RunImport::Update u = f.import->poll();
                f.lastStep = lastStepOf(u);
                a.runIds.append(f.import->run_id());
                lines.append(describe(*f.source, *f.import, u));
                f.import->set_status(r.follow ? RunStatus::running : RunStatus::completed);
                if (r.follow) m_followed.push_back(std::move(f));
            }
            if (r.follow) startTimer();
            closeUnusedStore(r.db);
            a.text = lines.join(QLatin1Char('\n'));
            a.followed = int(m_followed.size());
            answer(std::move(a));
        } catch (const std::exception& e) {
            closeUnusedStore(r.db);
            answer({ImportAnswer::Kind::failed,
                    r.path,
                    {},
                    QString::fromStdString(e.what()),
                    int(m_followed.size())});
        }
    }

    void stopAll() {
        m_timer.reset();
        for (Followed& f : m_followed) {
            try {
                f.import->set_status(RunStatus::stopped);
            } catch (const std::exception&) {
                // The database went away: nothing left to mark.
            }
        }
        m_followed.clear();
        m_stores.clear();
        answer({ImportAnswer::Kind::followed, {}, {}, {}, 0});
    }

    void startTimer() {
        if (m_timer) return;
        m_timer = std::make_unique<QTimer>();
        m_timer->setInterval(ImportFollower::kPollIntervalMs);
        connect(m_timer.get(), &QTimer::timeout, this, &ImportWorker::pollAll);
        m_timer->start();
    }

    static std::int64_t lastStepOf(const imports::RunImport::Update& u) {
        return u.reports.empty() ? 0 : u.reports.back().step;
    }

    static QString describe(const imports::LogSource& source, const imports::RunImport& run,
                            const imports::RunImport::Update& u) {
        QString line = ImportFollower::tr("%1 → run %2: %3 steps, %4 values, %5 completions")
                           .arg(QString::fromStdString(source.display_name()))
                           .arg(run.run_id())
                           .arg(u.steps)
                           .arg(u.points)
                           .arg(u.samples);
        if (!u.issues.empty()) {
            line += QLatin1Char('\n') + QString::fromStdString(imports::summarize_issues(u.issues));
        }
        return line;
    }

    // Closes the database's connection unless a followed source writes through it, so a
    // one-off import holds no connection open.
    void closeUnusedStore(const QString& db) {
        for (const Followed& f : m_followed) {
            if (f.db == db) return;
        }
        m_stores.erase(db);
    }

    RunStore& storeFor(const QString& db) {
        auto it = m_stores.find(db);
        if (it == m_stores.end()) {
            it = m_stores.emplace(db, std::make_unique<RunStore>(db.toStdString())).first;
        }
        return *it->second;
    }

    // New steps after the last one reach the hub as live steps; anything else (a source read
    // again, a step that gained its samples later) has the run read again from the store.
    void pollAll() {
        for (Followed& f : m_followed) {
            try {
                imports::RunImport::Update u = f.import->poll();
                if (u.reports.empty()) continue;
                const bool appended = !u.restarted && u.reports.front().step > f.lastStep;
                f.lastStep = u.restarted ? lastStepOf(u) : std::max(f.lastStep, lastStepOf(u));
                if (!appended) {
                    answer({ImportAnswer::Kind::rewritten, {}, {f.import->run_id()}, {}, 0});
                    continue;
                }
                for (StepReport& r : u.reports) {
                    if (std::isnan(r.wall_time)) r.wall_time = 0.0;  // as stored
                    m_hub->on_step(r);
                }
            } catch (const std::exception&) {
                // A file being replaced or a busy database: the next poll reads it again.
            }
        }
    }

    MetricsHub* m_hub;
    Mailbox<ImportRequest>& m_requests;
    Mailbox<ImportAnswer>& m_answers;
    Finished m_finished;
    std::unique_ptr<QTimer> m_timer;  // created and destroyed on the worker's thread
    std::map<QString, std::unique_ptr<RunStore>> m_stores;
    std::vector<Followed> m_followed;
};

ImportFollower::ImportFollower(MetricsHub* hub, QObject* parent) : QObject(parent) {
    m_worker = std::make_unique<ImportWorker>(hub, m_requests, m_answers, [this] {
        const std::lock_guard<std::mutex> lock(m_stopMutex);
        m_finished = true;
        m_stopped.notify_all();
    });
    m_thread.setObjectName(QStringLiteral("tinyseek-import"));
    m_worker->moveToThread(&m_thread);
    connect(this, &ImportFollower::requestsPosted, m_worker.get(), &ImportWorker::takeRequests,
            Qt::QueuedConnection);
    connect(m_worker.get(), &ImportWorker::answersPosted, this, &ImportFollower::deliverAnswers,
            Qt::QueuedConnection);
    m_thread.start(QThread::LowPriority);
}

ImportFollower::~ImportFollower() {
    m_requests.takeAll();  // requests not started yet are dropped
    post({ImportRequest::Kind::finish, {}, {}, false});
    {
        std::unique_lock<std::mutex> lock(m_stopMutex);
        m_stopped.wait(lock, [this] { return m_finished; });
    }
    m_thread.quit();
    m_thread.wait();
    // The thread has ended, but QThread::wait() synchronises through Qt's own primitives,
    // which ThreadSanitizer does not see. The worker's last step was taking from m_requests;
    // locking that mailbox once more orders it before the worker is destroyed.
    m_requests.size();
}

void ImportFollower::import(const QString& db, const QString& path, bool follow) {
    post({ImportRequest::Kind::import, db, path, follow});
}

void ImportFollower::stopAll() {
    post({ImportRequest::Kind::stop, {}, {}, false});
}

void ImportFollower::post(ImportRequest request) {
    m_requests.post(std::move(request), [this] { emit requestsPosted(QPrivateSignal()); });
}

void ImportFollower::deliverAnswers() {
    for (ImportAnswer& a : m_answers.takeAll()) {
        switch (a.kind) {
            case ImportAnswer::Kind::imported:
                m_followed = a.followed;
                emit followedCountChanged(m_followed);
                emit imported(a.path, a.runIds, a.text);
                break;
            case ImportAnswer::Kind::failed:
                emit failed(a.path, a.text);
                break;
            case ImportAnswer::Kind::rewritten:
                emit runRewritten(a.runIds.front());
                break;
            case ImportAnswer::Kind::followed:
                m_followed = a.followed;
                emit followedCountChanged(m_followed);
                break;
        }
    }
}

}  // namespace tinyseek::gui

#include "import_follower.moc"
