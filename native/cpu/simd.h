// Portable SIMD for the CPU kernels: the hot loops are compiled for AVX-512, AVX2+FMA and
// baseline x86-64, and the loader picks the best one this CPU runs, so the library never
// needs -march=native. Other compilers/platforms get the plain loop.
#ifndef TIMESTEP_CPU_SIMD_H
#define TIMESTEP_CPU_SIMD_H

// TS_SIMD_NO_AVX512 (CMake: -DTS_CPU_WITHOUT_AVX512=ON) leaves the AVX-512 build out, so that
// an AVX-512 machine runs what a CPU with AVX2 alone runs: to test and time that build.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TS_SIMD_X86 1
#ifdef TS_SIMD_NO_AVX512
#define TS_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define TS_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
#else
#define TS_SIMD_X86 0
#define TS_SIMD_CLONES
#endif

namespace timestep::cpu {

/** Whether the clones' loader picked the AVX-512 (x86-64-v4) build on this CPU, for code that
 * picks its own register tiles to match (16-float vectors there, else 8-float ones). */
inline bool runs_avx512_build() {
#if TS_SIMD_X86 && !defined(TS_SIMD_NO_AVX512)
  __builtin_cpu_init();  // in case this runs before libgcc's own initializer has
  return __builtin_cpu_supports("x86-64-v4");
#else
  return false;
#endif
}

/** n rounded up to a multiple of {@code to} (buffers padded to the GEMM tile). */
inline int round_up(int n, int to) { return (n + to - 1) / to * to; }

}  // namespace timestep::cpu

#endif
