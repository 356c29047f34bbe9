// CPU emulation (see cuda_runtime.h) of the cp.async primitives: a copy is only performed when
// the issuing thread waits for its group, the latest moment a GPU may complete it.
#ifndef TIMESTEP_EMULATION_CUDA_PIPELINE_H
#define TIMESTEP_EMULATION_CUDA_PIPELINE_H

#include <cstddef>

void __pipeline_memcpy_async(void* dst_shared, const void* src_global, size_t size_and_align,
                             size_t zfill = 0);
void __pipeline_commit();
void __pipeline_wait_prior(size_t prior);

#endif
