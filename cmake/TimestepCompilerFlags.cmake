# Flags for the C++ CPU kernels. No -march=native: the library must run on any x86-64,
# not only on the CPU that built it.
function(timestep_cpu_flags target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-O3 -Wall -Wextra -fno-math-errno>)
endfunction()
