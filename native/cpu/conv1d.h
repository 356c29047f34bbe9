// Private header of the CPU 1-D convolution (conv1d.cpp): the validated sizes of one call
// and the two ways to compute it. Small channel counts (the chapter's Conv1D and WaveNet
// layers: 1 to 32 channels) take the direct path (conv1d_direct.cpp): register tiles that
// read the input in place, no im2col copy, rows split over the worker threads. Wider layers
// take the im2col + GEMM path (conv1d_im2col.cpp). Both compute the same sums.
#ifndef TIMESTEP_CPU_CONV1D_H
#define TIMESTEP_CPU_CONV1D_H

namespace timestep::cpu::conv1d {

// Every size of one call, after validation.
struct Conv {
  int B, T, Cin, Cout, K, s, d, p, Tout, act;
  int KC;          // K * Cin: the depth of the forward product, the width of an im2col row
  int Coutp;       // Cout rounded up to kGemmColumnTile
  int KCp;         // KC rounded up to kGemmColumnTile (the columns of W^T and dcol)
  int KCr;         // KC rounded up to kGemmRowTile (the rows of colT)
  long long rows;  // B * Tout
  int chunk;       // output rows per chunk, a multiple of kGemmRowTile
  // K = 1, stride 1, no padding, and the output rows are x's rows (Tout == T, or B == 1 and
  // Tout <= T): x itself is the im2col matrix.
  bool x_is_col;
};

/* Validates one call's sizes (status TS_OK or an error with a message) and fills c. */
int check(const char* op, int batch, int steps, int cin, int cout, int k, int stride, int dilation,
          int pad_left, int out_steps, int act, Conv& c);

/* The direct path handles these sizes (outputs and, when dx is wanted, inputs of <= 32 channels).
 */
bool direct_fits(const Conv& c, bool with_dx);
void direct_forward(const Conv& c, const float* x, const float* kernel, const float* bias,
                    float* y);
void direct_backward(const Conv& c, const float* x, const float* kernel, const float* y,
                     const float* dy, float* dx, float* dkernel, float* dbias);

/* y[r, :cout] = act(z[r, :cout]) for n rows (z rows ldz apart, y rows cout apart). z is
 * scratch: activated in place, then copied unless it is y (then ldz == cout). */
void activate_rows(int act, float* z, int ldz, float* y, int n, int cout);
/* dz[r, :cout] = dy * act'(y) for n rows (dz rows ldz apart; lanes cout..ldz-1 set to zero). */
void slope_rows(int act, const float* y, const float* dy, float* dz, int ldz, int n, int cout);

void im2col_forward(const Conv& c, const float* x, const float* kernel, const float* bias,
                    float* y);
void im2col_backward(const Conv& c, const float* x, const float* kernel, const float* y,
                     const float* dy, float* dx, float* dkernel, float* dbias);

}  // namespace timestep::cpu::conv1d

#endif
