/* A per-thread "last error" message beside the status codes, for the CPU and CUDA
 * libraries alike. Each library instantiates its own buffer (see cpu/errors.cpp). */
#ifndef TIMESTEP_COMMON_ERRORS_H
#define TIMESTEP_COMMON_ERRORS_H

#include <cstdarg>
#include <cstdio>

namespace timestep {

struct ErrorSlot {
  char text[512];
};

inline int fail(ErrorSlot& slot, int status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(slot.text, sizeof slot.text, fmt, args);
  va_end(args);
  return status;
}

}  // namespace timestep

#endif
