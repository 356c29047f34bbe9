// Which of matmul.cu's two SGEMM kernels computes a C[m, n] product. Plain C++ (no CUDA), so
// that the CUDA-vs-CPU tests can check that their large shapes really reach the 128-tile kernel
// and that the small ones do not.
#ifndef TIMESTEP_CUDA_MATMUL_TILES_H
#define TIMESTEP_CUDA_MATMUL_TILES_H

namespace timestep::cuda {

constexpr int kLargeTile = 128;        // edge of the large kernel's C tile
constexpr long long kLargeGrid = 132;  // SMs of an H100/H200: one block each is one wave

// A 128x128 block does four times the work of a 64x64 one, with twice the reuse of each staged
// element, but a product then has a quarter as many blocks. That trade only pays while the big
// tiles still give every SM a block: with fewer, SMs sit idle that the small tiles would keep
// busy. A dimension under one tile would also leave most of each 128 tile empty (the models'
// small products, e.g. 1600 x 20, stay on the 64 kernel).
constexpr bool use_large_tiles(int m, int n) {
  if (m < kLargeTile || n < kLargeTile) return false;
  const long long tiles_m = (static_cast<long long>(m) + kLargeTile - 1) / kLargeTile;
  const long long tiles_n = (static_cast<long long>(n) + kLargeTile - 1) / kLargeTile;
  return tiles_m * tiles_n >= kLargeGrid;
}

}  // namespace timestep::cuda

#endif
