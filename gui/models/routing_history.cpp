#include "gui/models/routing_history.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/model_config.h"
#include "training/run_store.h"

namespace tinyseek::gui {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Step -> wall time from a metric every trainer logs; NaN for steps it lacks.
std::map<std::int64_t, double> wallTimes(const RunStore& store, std::int64_t runId) {
    std::map<std::int64_t, double> out;
    for (const char* key : {metric::kMaxVio, metric::kLoss, metric::kReward}) {
        for (const MetricPoint& p : store.metric_series(runId, key))
            out.emplace(p.step, p.wall_time);
        if (!out.empty()) break;
    }
    return out;
}

}  // namespace

RoutingHistory RoutingHistory::load(const RunStore& store, std::int64_t runId) {
    const RunInfo info = store.run(runId);
    RoutingHistory h;
    h.runId = runId;
    h.runName = QString::fromStdString(info.name);
    h.setModelFromConfigJson(info.config_json);

    // Which layers have statistics: those of the last step, plus the config's MoE layers (a
    // last step may lack them, e.g. a step that only evaluated).
    std::set<int> candidates;
    if (info.last_step) {
        const ExpertSnapshot last = store.expert_load_at(runId, *info.last_step);
        candidates.insert(last.load.layers.begin(), last.load.layers.end());
    }
    try {
        const nlohmann::json j = nlohmann::json::parse(info.config_json);
        if (j.contains("model") && j["model"].is_object()) {
            const ModelConfig c = ModelConfig::from_json(j["model"], "run config");
            for (int l = 0; l < c.num_blocks(); ++l)
                if (c.is_moe_layer(l)) candidates.insert(l);
        }
    } catch (const std::exception&) {
        // A config this version cannot read: the stored layers are enough.
    }

    std::vector<ExpertHistory> histories;
    for (int layer : candidates) {
        ExpertHistory eh = store.expert_load_history(runId, layer);
        if (!eh.steps.empty() && eh.experts > 0) histories.push_back(std::move(eh));
    }
    if (histories.empty()) return h;

    // All steps of any layer, in order; a layer lacking a step gets NaN there.
    std::set<std::int64_t> steps;
    for (const ExpertHistory& eh : histories) steps.insert(eh.steps.begin(), eh.steps.end());
    const std::map<std::int64_t, double> walls = wallTimes(store, runId);
    h.m_experts = histories.front().experts;
    for (std::int64_t s : steps) {
        h.m_steps.push_back(s);
        const auto it = walls.find(s);
        h.m_wallTimes.push_back(it == walls.end() ? std::nan("") : it->second);
    }
    const int S = h.stepCount();
    const int E = h.m_experts;
    for (const ExpertHistory& eh : histories) {
        if (eh.experts != E) continue;  // a malformed layer; the others still show
        h.m_layers.push_back(eh.layer);
        std::vector<float> load(static_cast<std::size_t>(S) * E, kNaN);
        std::vector<float> bias(static_cast<std::size_t>(S) * E, kNaN);
        const bool withBias = eh.bias.size() == eh.steps.size() * static_cast<std::size_t>(E);
        h.m_hasBias = h.m_hasBias || withBias;
        int i = 0;
        for (std::size_t r = 0; r < eh.steps.size(); ++r) {
            while (h.m_steps[static_cast<std::size_t>(i)] < eh.steps[r]) ++i;
            for (int e = 0; e < E; ++e) {
                load[at(i, E, e)] = eh.load[r * E + e];
                if (withBias) bias[at(i, E, e)] = eh.bias[r * E + e];
            }
        }
        h.m_load.push_back(std::move(load));
        h.m_bias.push_back(std::move(bias));
    }
    return h;
}

void RoutingHistory::setModelFromConfigJson(const std::string& configJson) {
    try {
        const nlohmann::json j = nlohmann::json::parse(configJson);
        const nlohmann::json* model = &j;
        if (j.contains("model") && j["model"].is_object()) model = &j["model"];
        if (model->contains("num_experts_per_tok") && (*model)["num_experts_per_tok"].is_number())
            topK = (*model)["num_experts_per_tok"].get<int>();
        if (model->contains("balance_mode") && (*model)["balance_mode"].is_string())
            balanceMode = QString::fromStdString((*model)["balance_mode"].get<std::string>());
        if (model->contains("num_hidden_layers") && (*model)["num_hidden_layers"].is_number())
            hiddenLayers = (*model)["num_hidden_layers"].get<int>();
    } catch (const std::exception&) {
        // Not JSON: the run's facts stay unknown and the page says so.
    }
}

void RoutingHistory::append(const StepReport& report) {
    if (report.expert_load.empty()) return;
    if (!m_steps.empty() && report.step <= m_steps.back()) return;
    const ExpertMatrix& load = report.expert_load;
    if (m_layers.empty()) {
        m_layers = load.layers;
        m_experts = load.experts;
        m_load.assign(m_layers.size(), {});
        m_bias.assign(m_layers.size(), {});
    }
    if (load.experts != m_experts) return;
    m_steps.push_back(report.step);
    m_wallTimes.push_back(report.wall_time);
    for (int row = 0; row < layerCount(); ++row) {
        const int layer = m_layers[static_cast<std::size_t>(row)];
        const int lr = load.row_of(layer);
        const int br =
            report.router_bias.experts == m_experts ? report.router_bias.row_of(layer) : -1;
        for (int e = 0; e < m_experts; ++e) {
            m_load[static_cast<std::size_t>(row)].push_back(lr >= 0 ? load.at(lr, e) : kNaN);
            m_bias[static_cast<std::size_t>(row)].push_back(br >= 0 ? report.router_bias.at(br, e)
                                                                    : kNaN);
        }
        if (br >= 0) m_hasBias = true;
    }
}

int RoutingHistory::rowOfLayer(int layer) const {
    const auto it = std::find(m_layers.begin(), m_layers.end(), layer);
    return it == m_layers.end() ? -1 : static_cast<int>(it - m_layers.begin());
}

QString RoutingHistory::layerName(int row) const {
    const int layer = layerAt(row);
    if (hiddenLayers >= 0 && layer >= hiddenLayers) return tr("MTP block");
    return tr("Layer %1").arg(layer);
}

int RoutingHistory::indexAtOrBefore(std::int64_t step) const {
    const auto it = std::upper_bound(m_steps.begin(), m_steps.end(), step);
    if (it == m_steps.begin()) return 0;
    return static_cast<int>(it - m_steps.begin()) - 1;
}

double RoutingHistory::maxRelativeLoad() const {
    return topK > 0 ? static_cast<double>(m_experts) / topK : 0.0;
}

float RoutingHistory::share(int row, int stepIndex, int expert) const {
    return m_load[static_cast<std::size_t>(row)][at(stepIndex, m_experts, expert)];
}

viz::Matrix RoutingHistory::relativeLoadAt(int stepIndex) const {
    viz::Matrix m(layerCount(), m_experts, kNaN);
    if (stepIndex < 0 || stepIndex >= stepCount()) return m;
    for (int row = 0; row < layerCount(); ++row) {
        m.rowLabels << layerName(row);
        for (int e = 0; e < m_experts; ++e)
            m.setValue(row, e, share(row, stepIndex, e) * static_cast<float>(m_experts));
    }
    for (int e = 0; e < m_experts; ++e) m.colLabels << QString::number(e);
    return m;
}

viz::Matrix RoutingHistory::relativeLoadOverTime(int row) const {
    viz::Matrix m(m_experts, stepCount(), kNaN);
    if (row < 0 || row >= layerCount()) return m;
    for (int e = 0; e < m_experts; ++e) {
        m.rowLabels << QString::number(e);
        for (int s = 0; s < stepCount(); ++s)
            m.setValue(e, s, share(row, s, e) * static_cast<float>(m_experts));
    }
    for (std::int64_t step : m_steps) m.colLabels << QString::number(step);
    return m;
}

double RoutingHistory::maxVio(int row, int stepIndex) const {
    double sum = 0.0, top = -1.0;
    for (int e = 0; e < m_experts; ++e) {
        const float v = share(row, stepIndex, e);
        if (!std::isfinite(v)) return std::nan("");
        sum += v;
        top = std::max(top, static_cast<double>(v));
    }
    if (!(sum > 0.0)) return std::nan("");
    return top / (sum / m_experts) - 1.0;
}

viz::MetricSeries RoutingHistory::maxVioSeries(int row) const {
    viz::MetricSeries s;
    s.name = QStringLiteral("max_vio/layer_%1").arg(layerAt(row));
    s.reserve(m_steps.size());
    for (int i = 0; i < stepCount(); ++i)
        s.append(static_cast<double>(m_steps[static_cast<std::size_t>(i)]),
                 m_wallTimes[static_cast<std::size_t>(i)], maxVio(row, i));
    return s;
}

viz::MetricSeries RoutingHistory::biasSeries(int row, int expert) const {
    viz::MetricSeries s;
    s.name = QStringLiteral("bias/layer_%1/expert_%2").arg(layerAt(row)).arg(expert);
    s.reserve(m_steps.size());
    const std::vector<float>& bias = m_bias[static_cast<std::size_t>(row)];
    for (int i = 0; i < stepCount(); ++i)
        s.append(static_cast<double>(m_steps[static_cast<std::size_t>(i)]),
                 m_wallTimes[static_cast<std::size_t>(i)], bias[at(i, m_experts, expert)]);
    return s;
}

}  // namespace tinyseek::gui
