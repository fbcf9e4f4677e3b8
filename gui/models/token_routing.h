// TokenRouter: which experts each token of a stored rollout goes to. The rollout's text
// (<bos> + prompt + completion) is fed once through the run's checkpoint with the
// generator's routing trace on (teacher forcing: the routing of exactly the stored tokens,
// computed with the checkpoint's weights and router bias). Runs on a worker thread; the
// latest request wins, earlier results are dropped.
#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QThread;

namespace tinyseek {
struct Checkpoint;
}

namespace tinyseek::gui {

struct TokenRouting {
    QString error;            // non-empty when it failed (shown in place of the tokens)
    QStringList tokens;       // (T) token texts, <bos> first
    std::vector<int> layers;  // (M) model layer of each MoE layer
    int topK = 0;
    std::vector<int> experts;    // (T, M, K) chosen experts
    std::vector<float> weights;  // (T, M, K) their gate weights
    int tokenCount() const { return tokens.size(); }
    int expert(int t, int m, int k) const {
        return experts[(static_cast<std::size_t>(t) * layers.size() + m) * topK + k];
    }
    float weight(int t, int m, int k) const {
        return weights[(static_cast<std::size_t>(t) * layers.size() + m) * topK + k];
    }
    // The chosen expert with the largest gate weight of token t in MoE layer m.
    int topExpert(int t, int m) const;
};

// Computes the routing of `prompt` + `completion` through the checkpoint (throws core errors).
TokenRouting traceTokens(const Checkpoint& checkpoint, const std::string& prompt,
                         const std::string& completion);

class TokenRouter : public QObject {
    Q_OBJECT

  public:
    explicit TokenRouter(QObject* parent = nullptr);
    ~TokenRouter() override;

    // Starts (or queues behind the running one) the trace of a rollout through the
    // checkpoint in `checkpointDir`. Returns the request's id, echoed by finished().
    int request(const QString& checkpointDir, const QString& prompt, const QString& completion);
    bool isBusy() const { return m_thread != nullptr; }

  signals:
    // Only for the newest request; older ones are dropped.
    void finished(int requestId, const tinyseek::gui::TokenRouting& result);

  private:
    struct Job {
        int id = 0;
        QString dir;
        std::string prompt;
        std::string completion;
    };
    void start(const Job& job);

    QThread* m_thread = nullptr;
    int m_nextId = 1;
    int m_latestId = 0;
    bool m_hasPending = false;
    Job m_pending;
    // The last checkpoint loaded, reused while the directory stays the same. Only the worker
    // touches it, and only one worker runs at a time.
    std::shared_ptr<Checkpoint> m_checkpoint;
    QString m_checkpointDir;
};

}  // namespace tinyseek::gui
