#include "errors.h"

#include "timestep/cpu_api.h"

namespace timestep::cpu {

ErrorSlot& error_slot() {
  thread_local ErrorSlot slot{};
  return slot;
}

}  // namespace timestep::cpu

extern "C" const char* ts_cpu_last_error(void) { return timestep::cpu::error_slot().text; }
