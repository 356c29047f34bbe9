/* Status codes shared by every Timestep native entry point.
 * Native code never aborts: each function returns one of these, and the Java side turns a
 * non-zero code into an exception that carries ts_last_error(). */
#ifndef TIMESTEP_STATUS_H
#define TIMESTEP_STATUS_H

#define TS_OK 0
#define TS_ERR_INVALID_ARGUMENT 1
#define TS_ERR_OUT_OF_MEMORY 2
#define TS_ERR_NO_CUDA 3        /* library built without nvcc, or no usable device/driver */
#define TS_ERR_CUDA 4           /* a CUDA runtime call failed; ts_*_last_error() says which */

/* Activation kinds, the same numbers as dev.timestep.backend.Activation#code(). */
#define TS_ACT_LINEAR 0
#define TS_ACT_TANH 1
#define TS_ACT_SIGMOID 2
#define TS_ACT_RELU 3

#endif
