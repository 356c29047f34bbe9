/* The fused streaming step's plan (stream_step, see cpu_api.h), read and checked once for the
 * CPU and CUDA libraries alike: the layers of the stack, where each keeps its states in a slab
 * row, and the widest vector a step needs. */
#ifndef TIMESTEP_COMMON_STREAM_PLAN_H
#define TIMESTEP_COMMON_STREAM_PLAN_H

#include <algorithm>
#include <climits>

#include "timestep/cells.h"
#include "timestep/errors.h"
#include "timestep/status.h"

namespace timestep {

struct StreamLayer {
  int kind, in, units, act, state, k, d;
  const float *w, *u, *b, *e;
};

struct StreamStack {
  int L, F, R, O;
  int widest;  // floats of the widest vector one layer needs: its gates or a convolution's taps
  StreamLayer layers[TS_STREAM_MAX_LAYERS];
};

// Whether a layer only feeds forward (a dense layer or a convolution), carrying no recurrent state.
inline bool stream_feeds_forward(int kind) {
  return kind == TS_STREAM_DENSE || kind == TS_STREAM_CONV;
}

// Floats of a layer's states in a row.
inline long long stream_state_floats(const StreamLayer& y) {
  if (y.kind == TS_STREAM_CONV) return static_cast<long long>(y.k - 1) * y.d * y.in;
  if (y.kind == TS_STREAM_DENSE) return 0;
  return static_cast<long long>(y.kind == TS_RNN_LSTM ? 2 : 1) * y.units;
}

#define TS_STREAM_PLAN_REQUIRE(cond, ...)                                             \
  do {                                                                                \
    if (!(cond)) return ::timestep::fail(slot, TS_ERR_INVALID_ARGUMENT, __VA_ARGS__); \
  } while (0)

// Reads and checks the plan and the weights into s; TS_OK, or TS_ERR_INVALID_ARGUMENT with the
// reason in slot. The per-stream arrays are checked by the caller.
inline int read_stream_plan(const int* plan, float* const* buffers, StreamStack& s,
                            ErrorSlot& slot) {
  TS_STREAM_PLAN_REQUIRE(plan && buffers, "stream_step: null plan or buffers");
  s.L = plan[0];
  s.F = plan[1];
  s.R = plan[2];
  s.O = plan[3];
  TS_STREAM_PLAN_REQUIRE(s.L >= 1 && s.L <= TS_STREAM_MAX_LAYERS,
                         "stream_step: %d layers (1 to %d)", s.L, TS_STREAM_MAX_LAYERS);
  TS_STREAM_PLAN_REQUIRE(s.F >= 1 && s.R >= 0 && s.O >= 1, "stream_step: bad plan F=%d R=%d O=%d",
                         s.F, s.R, s.O);
  int width = s.F;
  s.widest = 0;
  for (int l = 0; l < s.L; ++l) {
    const int* p = plan + TS_STREAM_HEADER + l * TS_STREAM_LAYER_INTS;
    StreamLayer& y = s.layers[l];
    y = StreamLayer{p[0],
                    p[1],
                    p[2],
                    p[3],
                    p[4],
                    p[5],
                    p[6],
                    buffers[4 * l],
                    buffers[4 * l + 1],
                    buffers[4 * l + 2],
                    buffers[4 * l + 3]};
    TS_STREAM_PLAN_REQUIRE(y.kind >= TS_RNN_SIMPLE && y.kind <= TS_STREAM_CONV,
                           "stream_step: layer %d has unknown kind %d", l, y.kind);
    TS_STREAM_PLAN_REQUIRE(y.act >= TS_ACT_LINEAR && y.act <= TS_ACT_RELU,
                           "stream_step: layer %d has unknown activation %d", l, y.act);
    TS_STREAM_PLAN_REQUIRE(
        y.in == width && y.units >= 1,
        "stream_step: layer %d takes %d inputs with %d units, the layer before gives %d", l, y.in,
        y.units, width);
    TS_STREAM_PLAN_REQUIRE(y.k >= 1 && y.d >= 1 &&
                               (y.kind == TS_STREAM_CONV || (y.k == 1 && y.d == 1)) &&
                               static_cast<long long>(y.k - 1) * y.d * y.in <= INT_MAX / 2,
                           "stream_step: layer %d has kernel size %d and dilation %d", l, y.k, y.d);
    TS_STREAM_PLAN_REQUIRE(
        y.state >= 0 && static_cast<long long>(y.state) + stream_state_floats(y) <= s.R,
        "stream_step: layer %d's states (from %d) overrun the row of %d floats", l, y.state, s.R);
    TS_STREAM_PLAN_REQUIRE(y.w && (stream_feeds_forward(y.kind) || (y.u && y.b)),
                           "stream_step: layer %d has a null kernel, recurrent kernel or bias", l);
    TS_STREAM_PLAN_REQUIRE(y.e || (y.kind != TS_RNN_GRU && y.kind != TS_RNN_LN_SIMPLE),
                           "stream_step: layer %d (kind %d) needs its recurrent bias or gamma and "
                           "beta",
                           l, y.kind);
    const int gates = stream_feeds_forward(y.kind) ? 1 : rnn_gates(y.kind);
    s.widest = std::max({s.widest, gates * y.units, y.k * y.in});
    width = y.units;
  }
  TS_STREAM_PLAN_REQUIRE(width == s.O,
                         "stream_step: the last layer has %d units, the plan says %d outputs",
                         width, s.O);
  return TS_OK;
}

#undef TS_STREAM_PLAN_REQUIRE

}  // namespace timestep

#endif
