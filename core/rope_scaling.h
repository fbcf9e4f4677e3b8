// The rotary frequencies and the attention softmax scale of a model config, with YaRN context
// extension (rope_scaling type "yarn") computed as DeepSeek-V3's reference inference/model.py
// does (precompute_freqs_cis and MLA.__init__). As there, YaRN acts only when the table is
// longer than the context the model was trained at, max_position_embeddings >
// original_max_position_embeddings; otherwise both functions give plain RoPE's values.
//
// With R = qk_rope_head_dim, theta = rope_theta, s = factor, L = original length:
//   omega_i = theta^(-2i/R)                                   angle per position, pair i < R/2
//   d(b)    = R ln(L / (2 pi b)) / (2 ln theta)               the pair that turns b times in L
//   low     = max(floor(d(beta_fast)), 0),  high = min(ceil(d(beta_slow)), R - 1)
//   ramp_i  = clamp((i - low) / (high - low), 0, 1)           (high += 0.001 when equal)
//   omega_i <- omega_i / s * ramp_i + omega_i * (1 - ramp_i)  fast pairs kept, slow ones / s
//   softmax scale = (d_nope + R)^-1/2 * mscale^2,  mscale = 0.1 mscale_all_dim ln s + 1
// Every attention path (training MLA and MHA/GQA, latent and expanded decode) takes both
// from here.
#pragma once

#include <vector>

#include "core/model_config.h"
#include "core/rope.h"

namespace tinyseek {

// True when the config has YaRN scaling and max_position_embeddings exceeds its original.
bool yarn_active(const ModelConfig& c);

// omega_i for i < qk_rope_head_dim / 2, in double.
std::vector<double> rope_frequencies(const ModelConfig& c);

// The factor applied to q . k before the softmax.
double attention_softmax_scale(const ModelConfig& c);

// The cos/sin table of the config for positions [0, max_position_embeddings).
template <typename T>
RopeTable<T> rope_table(const ModelConfig& c) {
    return RopeTable<T>(c.max_position_embeddings, rope_frequencies(c));
}

}  // namespace tinyseek
