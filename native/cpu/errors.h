#ifndef TIMESTEP_CPU_ERRORS_H
#define TIMESTEP_CPU_ERRORS_H

#include "timestep/errors.h"
#include "timestep/status.h"

namespace timestep::cpu {

timestep::ErrorSlot& error_slot();

/* Argument checks shared by every CPU entry point. */
#define TS_CPU_REQUIRE(cond, ...)                                                     \
  do {                                                                                \
    if (!(cond))                                                                      \
      return ::timestep::fail(::timestep::cpu::error_slot(), TS_ERR_INVALID_ARGUMENT, \
                              __VA_ARGS__);                                           \
  } while (0)

}  // namespace timestep::cpu

#endif
