// The optional cuBLAS path of ts_cuda_matmul (cublas_gemm.cu). Private to native/cuda.
#ifndef TIMESTEP_CUDA_CUBLAS_GEMM_CUH
#define TIMESTEP_CUDA_CUBLAS_GEMM_CUH

#include "common.cuh"

namespace timestep::cuda {

// Whether ts_cuda_matmul should hand this product to cuBLAS: by the mode set with
// ts_cuda_gemm_set_mode, the size, and whether cuBLAS loads (tried once, at the first product
// that qualifies). False for empty products (m, n or k zero), which the own path handles.
TS_CUDA_INTERNAL bool cublas_gemm_should_run(int m, int n, int k);

// ts_cuda_matmul's contract (arguments already checked, m, n, k > 0) through cublasSgemm_v2 on
// the legacy default stream. Only call after cublas_gemm_should_run said yes.
TS_CUDA_INTERNAL int cublas_gemm(const float* a, const float* b, float* c, int m, int n, int k,
                                 bool trans_a, bool trans_b, bool accumulate);

}  // namespace timestep::cuda

#endif
