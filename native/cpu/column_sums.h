// Column sums in double for the CPU backend's bias gradients (private header, not part of the
// C ABI): ts_cpu_bias_grad and the recurrent layers' bias gradients share it. Defined in
// column_sums.cpp.
#ifndef TIMESTEP_CPU_COLUMN_SUMS_H
#define TIMESTEP_CPU_COLUMN_SUMS_H

namespace timestep::cpu {

/* dst[c] += sum over r < rows of m[r * ld + c], for c < cols (ld >= cols). Each column is summed
 * in double as four running sums, rows r = 0, 1, 2, 3 (mod 4) (the last rows % 4 rows into the
 * first), added as (s0 + s1) + (s2 + s3) and rounded to float once: the sums run over batch x
 * time rows, thousands long. The order is fixed, so the result does not depend on how callers
 * split other work over threads. */
void add_column_sums(const float* m, long long rows, int cols, long long ld, float* dst);

}  // namespace timestep::cpu

#endif
