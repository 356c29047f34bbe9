// The CPU device: the table of this library's op implementations, in ops.h's order.
#include "timestep/cpu_api.h"

namespace {
const ts_ops kCpuOps = {TS_OPS(TS_OPS_ENTRY_CPU_)};
const ts_device kCpuDevice = {&kCpuOps, ts_cpu_last_error, "cpu"};
}  // namespace

extern "C" const ts_device* ts_cpu_device(void) { return &kCpuDevice; }
