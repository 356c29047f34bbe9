/**
 * The CUDA backend: device memory, the device probe and GEMM mode; its ops go through the shared
 * binding in {@code backend.cpu} with a CUDA device handle. May import {@code backend}, {@code
 * backend.cpu}, {@code tensor} and JavaCPP.
 */
package dev.timestep.backend.cuda;
