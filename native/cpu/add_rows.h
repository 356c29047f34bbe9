// Row-block addition for the CPU kernels (private header, not part of the C ABI): the recurrent
// op's gradient hand-offs and the convolution's input gradient share it. Defined in
// add_rows.cpp.
#ifndef TIMESTEP_CPU_ADD_ROWS_H
#define TIMESTEP_CPU_ADD_ROWS_H

namespace timestep::cpu {

/* dst[r * ld_dst + c] += src[r * ld_src + c] for r < rows, c < cols. Elementwise, so the result
 * has the same bits at every SIMD width. */
void add_rows(const float* src, long long ld_src, float* dst, long long ld_dst, long long rows,
              int cols);

}  // namespace timestep::cpu

#endif
