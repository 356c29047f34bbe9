// CPU emulation (see cuda_runtime.h): the grid group of a cooperative launch.
#ifndef TIMESTEP_EMULATION_COOPERATIVE_GROUPS_H
#define TIMESTEP_EMULATION_COOPERATIVE_GROUPS_H

#include "cuda_runtime.h"

namespace emu {
// Barrier of every thread of the running cooperative launch (emulator.cpp).
void grid_sync();
}  // namespace emu

namespace cooperative_groups {
struct grid_group {
  void sync() const { emu::grid_sync(); }
};
inline grid_group this_grid() { return {}; }
}  // namespace cooperative_groups

#endif
