# Decides whether the CUDA library is built from real kernels or from the stub.
# TS_CUDA: AUTO (kernels when nvcc is found), ON (nvcc required), OFF (always the stub).
# Sets TS_HAVE_CUDA. Must be included before any CUDA target is created: targets made
# before enable_language(CUDA) fail with "CUDA_ARCHITECTURES is empty".
include(CheckLanguage)

set(TS_HAVE_CUDA OFF)
if(NOT TS_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS "/usr/local/cuda/bin/nvcc")
    set(CMAKE_CUDA_COMPILER "/usr/local/cuda/bin/nvcc")
  endif()
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # Hopper (H100/H200) is the target card; override with -DCMAKE_CUDA_ARCHITECTURES=...
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)
    endif()
    enable_language(CUDA)
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    # The static runtime keeps the library's only dependencies libstdc++/libc: it loads
    # on a machine with no CUDA install (cudaGetDeviceCount then reports no device).
    set(CMAKE_CUDA_RUNTIME_LIBRARY Static)
    set(TS_HAVE_CUDA ON)
    message(STATUS "Timestep: CUDA kernels ON (${CMAKE_CUDA_COMPILER}, sm_${CMAKE_CUDA_ARCHITECTURES})")
  elseif(TS_CUDA STREQUAL "ON")
    message(FATAL_ERROR "Timestep: TS_CUDA=ON but no nvcc was found")
  else()
    message(STATUS "Timestep: no nvcc found, building the CUDA stub (CPU only)")
  endif()
else()
  message(STATUS "Timestep: TS_CUDA=OFF, building the CUDA stub")
endif()
