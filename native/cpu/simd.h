// Portable SIMD for the CPU kernels: the hot loops are compiled for AVX-512, AVX2+FMA and
// baseline x86-64, and the loader picks the best one this CPU runs, so the library never
// needs -march=native. Other compilers/platforms get the plain loop.
#ifndef TIMESTEP_CPU_SIMD_H
#define TIMESTEP_CPU_SIMD_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TS_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TS_SIMD_CLONES
#endif

namespace timestep::cpu {

/** n rounded up to a multiple of {@code to} (buffers padded to the GEMM tile). */
inline int round_up(int n, int to) { return (n + to - 1) / to * to; }

}  // namespace timestep::cpu

#endif
