#include "core/next_token.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tinyseek {

namespace {

double entropy(const std::vector<double>& p) {
    double h = 0;
    for (double x : p)
        if (x > 0) h -= x * std::log(x);
    return h;
}

}  // namespace

NextTokenDistribution next_token_distribution(std::span<const float> logits,
                                              const SamplingParams& params, int shown) {
    const int V = static_cast<int>(logits.size());
    std::vector<double> model(V), sampler(V);
    const float m = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (int v = 0; v < V; ++v) sum += (model[v] = std::exp(double(logits[v]) - m));
    for (double& p : model) p /= sum;
    Sampler(V).distribution(logits.data(), params, sampler.data());

    std::vector<int> order(V);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return model[a] > model[b]; });
    NextTokenDistribution out;
    for (int i = 0; i < V; ++i) {
        const int v = order[i];
        if (i < shown) {
            out.top.push_back({v, model[v], sampler[v]});
        } else {
            out.rest_model += model[v];
            out.rest_sampler += sampler[v];
        }
        out.kept += sampler[v] > 0 ? 1 : 0;
    }
    out.entropy_model = entropy(model);
    out.entropy_sampler = entropy(sampler);
    return out;
}

}  // namespace tinyseek
