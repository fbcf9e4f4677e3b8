// core/ headers come before any Qt header: KvStorage has a member named `slots`, which Qt's
// keyword macro would rewrite.
#include "core/checkpoint.h"
#include "core/generator.h"

#include <QThread>

#include <omp.h>

#include "gui/models/token_routing.h"

namespace tinyseek::gui {

int TokenRouting::topExpert(int t, int m) const {
    int best = -1;
    float bestWeight = -1.0f;
    for (int k = 0; k < topK; ++k)
        if (weight(t, m, k) > bestWeight) {
            bestWeight = weight(t, m, k);
            best = expert(t, m, k);
        }
    return best;
}

TokenRouting traceTokens(const Checkpoint& ck, const std::string& prompt,
                         const std::string& completion) {
    const Tokenizer& tok = ck.tokenizer;
    std::vector<int> ids = {Tokenizer::bos_id};
    for (TokenId id : tok.encode_lossy(prompt)) ids.push_back(id);
    for (TokenId id : tok.encode_lossy(completion)) ids.push_back(id);
    // generate() needs one free position after the prompt.
    const std::size_t room = static_cast<std::size_t>(ck.config.max_position_embeddings - 1);
    if (ids.size() > room) ids.resize(room);

    const CacheMode mode =
        ck.config.attention == AttentionKind::mla ? CacheMode::latent : CacheMode::expanded;
    Generator generator(ck.params, mode);
    GenerationOptions options;
    options.max_new_tokens = 1;  // the prefill is the trace; the one sampled token is unused
    options.sampling.temperature = 0.0f;
    options.trace_sequence = 0;
    const GenerationResult result = generator.generate({ids}, options);
    const RoutingTrace& trace = result.routing;

    TokenRouting out;
    out.layers = trace.layers;
    out.topK = trace.top_k;
    out.experts = trace.experts;
    out.weights = trace.weights;
    for (int id : trace.tokens) out.tokens << QString::fromStdString(tok.token_text(id));
    return out;
}

TokenRouter::TokenRouter(QObject* parent) : QObject(parent) {}

TokenRouter::~TokenRouter() {
    // The worker uses this object's checkpoint cache: let it finish first.
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

int TokenRouter::request(const QString& checkpointDir, const QString& prompt,
                         const QString& completion) {
    Job job{m_nextId++, checkpointDir, prompt.toStdString(), completion.toStdString()};
    m_latestId = job.id;
    if (m_thread) {
        m_pending = job;
        m_hasPending = true;
    } else {
        start(job);
    }
    return job.id;
}

void TokenRouter::start(const Job& job) {
    auto result = std::make_shared<TokenRouting>();
    m_thread = QThread::create([this, job, result] {
        // A short prefill: one thread, so it never competes with a training run's threads.
        omp_set_num_threads(1);
        try {
            if (!m_checkpoint || m_checkpointDir != job.dir) {
                m_checkpoint.reset();
                CheckpointLoadOptions load;
                load.optimizer = false;
                m_checkpoint =
                    std::make_shared<Checkpoint>(load_checkpoint(job.dir.toStdString(), load));
                m_checkpointDir = job.dir;
            }
            *result = traceTokens(*m_checkpoint, job.prompt, job.completion);
        } catch (const std::exception& e) {
            result->error = QString::fromStdString(e.what());
        }
    });
    connect(m_thread, &QThread::finished, this, [this, id = job.id, result] {
        m_thread->deleteLater();
        m_thread = nullptr;
        if (id == m_latestId) emit finished(id, *result);
        if (m_hasPending) {
            m_hasPending = false;
            start(m_pending);
        }
    });
    m_thread->start();
}

}  // namespace tinyseek::gui
