#include "gui/live/import_follower.h"

#include <QCoreApplication>
#include <QThread>
#include <QTimer>

#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "gui/live/metrics_hub.h"
#include "imports/import_error.h"
#include "imports/run_import.h"

namespace tinyseek::gui {

// Lives on the follower's thread: owns the sources, their stores and the poll timer.
class ImportWorker : public QObject {
    Q_OBJECT

  public:
    explicit ImportWorker(MetricsHub* hub) : m_hub(hub) {
        m_timer.setInterval(ImportFollower::kPollIntervalMs);
        connect(&m_timer, &QTimer::timeout, this, &ImportWorker::pollAll);
    }

    void import(const QString& db, const QString& path, bool follow) {
        try {
            auto sources = imports::find_sources(path.toStdString());
            RunStore& store = storeFor(db);
            QList<qint64> ids;
            QStringList lines;
            for (auto& source : sources) {
                Followed f{std::move(source), nullptr, 0};
                f.import = std::make_unique<imports::RunImport>(store, *f.source);
                const imports::RunImport::Update u = f.import->poll();
                f.lastStep = lastStepOf(u);
                ids.append(f.import->run_id());
                lines.append(describe(*f.source, *f.import, u));
                f.import->set_status(follow ? RunStatus::running : RunStatus::completed);
                if (follow) m_followed.push_back(std::move(f));
            }
            if (follow && !m_timer.isActive()) m_timer.start();
            emit imported(path, ids, lines.join(QLatin1Char('\n')), int(m_followed.size()));
        } catch (const std::exception& e) {
            emit failed(path, QString::fromStdString(e.what()));
        }
    }

    void stopAll() {
        m_timer.stop();
        for (Followed& f : m_followed) {
            try {
                f.import->set_status(RunStatus::stopped);
            } catch (const std::exception&) {
                // The database went away: nothing left to mark.
            }
        }
        m_followed.clear();
        m_stores.clear();
        emit followedCountChanged(0);
    }

  signals:
    void imported(const QString& path, const QList<qint64>& runIds, const QString& report,
                  int followed);
    void failed(const QString& path, const QString& message);
    void runRewritten(qint64 runId);
    void followedCountChanged(int count);

  private:
    struct Followed {
        std::unique_ptr<imports::LogSource> source;
        std::unique_ptr<imports::RunImport> import;
        std::int64_t lastStep = 0;
    };

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
                    emit runRewritten(f.import->run_id());
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
    QTimer m_timer{this};
    std::map<QString, std::unique_ptr<RunStore>> m_stores;
    std::vector<Followed> m_followed;
};

ImportFollower::ImportFollower(MetricsHub* hub, QObject* parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new ImportWorker(hub)), m_hub(hub) {
    m_thread->setObjectName(QStringLiteral("import follower"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(
        m_worker, &ImportWorker::imported, this,
        [this](const QString& path, const QList<qint64>& ids, const QString& report, int followed) {
            m_followed = followed;
            emit followedCountChanged(followed);
            emit imported(path, ids, report);
        });
    connect(m_worker, &ImportWorker::failed, this, &ImportFollower::failed);
    connect(m_worker, &ImportWorker::runRewritten, this, &ImportFollower::runRewritten);
    connect(m_worker, &ImportWorker::followedCountChanged, this, [this](int count) {
        m_followed = count;
        emit followedCountChanged(count);
    });
    m_thread->start(QThread::LowPriority);
}

ImportFollower::~ImportFollower() {
    QMetaObject::invokeMethod(m_worker, &ImportWorker::stopAll, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void ImportFollower::import(const QString& db, const QString& path, bool follow) {
    QMetaObject::invokeMethod(m_worker,
                              [this, db, path, follow] { m_worker->import(db, path, follow); });
}

void ImportFollower::stopAll() {
    QMetaObject::invokeMethod(m_worker, &ImportWorker::stopAll);
}

}  // namespace tinyseek::gui

#include "import_follower.moc"
