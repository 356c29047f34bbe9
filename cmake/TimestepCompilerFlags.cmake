# Flags for the C++ CPU kernels. No -march=native: the library must run on any x86-64,
# not only on the CPU that built it.
# TS_CPU_WITHOUT_AVX512 builds the kernels without their AVX-512 clones, so that this machine
# runs the code a CPU with AVX2 alone gets (simd.h): to test and time that build.
option(TS_CPU_WITHOUT_AVX512 "build the CPU kernels without their AVX-512 clones" OFF)
function(timestep_cpu_flags target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-O3 -Wall -Wextra -fno-math-errno>)
  if(TS_CPU_WITHOUT_AVX512)
    target_compile_definitions(${target} PRIVATE TS_SIMD_NO_AVX512)
  endif()
endfunction()
