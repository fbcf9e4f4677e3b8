// This machine's peak float FMA rate, measured once per process by a short kernel: the
// denominator of MFU (model FLOPs utilisation, core/model_flops.h).
#pragma once

namespace tinyseek {

// FLOP/s of fused multiply-adds on the calling thread's OpenMP thread count, each thread
// running independent chains of packed FMAs on registers (no memory traffic): what the cores
// can do at best. Takes about 50 ms the first time for a thread count; later calls return the
// cached value.
double fma_peak_flops();

// The measurement itself, on `threads` threads for about `seconds`.
double measure_fma_peak_flops(int threads, double seconds);

}  // namespace tinyseek
