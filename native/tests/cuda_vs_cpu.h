// The CUDA-vs-CPU harness shared by cuda_vs_cpu.cpp (the elementwise, matmul, sequence-helper,
// loss and optimizer ops), cuda_vs_cpu_sequence.cpp (layer/batch norm, conv1d, recurrent) and
// cuda_vs_cpu_loss.cpp (the elementwise losses):
// random inputs, one comparison row per op and shape, the result table and the per-op summary.
// See cuda_vs_cpu.cpp for the error metric and the timing method.
#ifndef TIMESTEP_TESTS_CUDA_VS_CPU_H
#define TIMESTEP_TESTS_CUDA_VS_CPU_H

#include <chrono>
#include <functional>
#include <initializer_list>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "timestep/cuda_api.h"

namespace tscheck {

using Vec = std::vector<float>;
using Ptrs = std::vector<float*>;
using Kernel = std::function<int(const Ptrs&)>;

constexpr double kTolerance = 1e-4;

extern bool g_quick;
// Only ops whose name contains this run (empty: all); "--only rnn_backward" on the command line.
extern std::string g_only;
bool selected(const std::string& op);
// The group of ops to run (empty: all); "--group recurrent" on the command line.
extern std::string g_group;
extern int g_warmups;
extern int g_repeats;
extern std::mt19937 g_rng;

struct Row {
  Row(std::string op_name, std::string shape_text)
      : op(std::move(op_name)), shape(std::move(shape_text)) {}
  std::string op, shape;
  double err = -1, cuda_us = -1, cpu_us = -1;
  bool pass = false;
  bool skipped = false;  // not run (the note says why); counts as no failure, printed SKIPPED
  std::string note;
};
extern std::vector<Row> g_rows;

// Appends a row and prints it at once, flushed, so that a crash or a hang later in the run
// still leaves every finished row in the output. When set, `g_row_plan` is asked for a note
// on the plan the case ran (the recurrent time-loop strategy), appended to the row's shape.
void add_row(Row row);
extern std::function<std::string()> g_row_plan;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Clock = std::chrono::steady_clock;
double elapsed_us(Clock::time_point start);

void expect_cuda(int status, const std::string& what);
void expect_cpu(int status, const std::string& what);

// Device memory of n floats for one case, freed on scope exit.
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t n) {
    expect_cuda(ts_cuda_malloc(static_cast<long long>(n * sizeof(float)), &ptr_), "malloc");
  }
  ~DeviceBuffer() { ts_cuda_free(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  float* get() const { return reinterpret_cast<float*>(ptr_); }

 private:
  long long ptr_ = 0;
};

// At least one element, so data() is never null for empty shapes.
Vec random_vec(long long n, float lo = -1.0f, float hi = 1.0f);

// max_i |got_i - want_i| / max(1e-6, max_i |want_i|); NaN when any difference is NaN.
double normwise_error(const Vec& want, const Vec& got);

// Runs `gpu` and `cpu` on private copies of `inputs`, compares the tensors listed in
// `outputs`, then times both; appends one row.
void run_case(const std::string& op, const std::string& shape, const std::vector<Vec>& inputs,
              const std::vector<int>& outputs, const Kernel& cpu, const Kernel& gpu,
              double tolerance = kTolerance);

// Runs `gpu` twice, each time on a fresh upload of `inputs`, and requires the `outputs` to be
// bitwise identical (deterministic reductions); appends one row whose error is the largest
// absolute difference.
void check_repeatable(const std::string& op, const std::string& shape,
                      const std::vector<Vec>& inputs, const std::vector<int>& outputs,
                      const Kernel& gpu);

// A bad argument must return `want` and leave a message containing `word`; appends one row.
void expect_status(const std::string& name, int status, int want, const char* word);

std::string dims(std::initializer_list<long long> sizes);

// The header of the result table (the rows follow as they complete), and at the end the per-op
// summary between marker lines that tools/gpu/check.sh copies into its own summary.
void print_table_header();
void print_op_summary();

// The layer-level ops: normalization, Conv1D, recurrent (cuda_vs_cpu_sequence.cpp).
void test_layer_norm();
void test_batch_norm();
void test_conv1d();
void test_recurrent();
// Fewer recurrent cases, one or two per time-loop plan and kind: the emulated runs at 114 and
// 132 SMs, where each emulated cooperative grid is slow.
void test_recurrent_plans();
void test_sequence_error_paths();
// The fused streaming step (stream_step): recurrent stacks with a dense head, slots out of order.
void test_stream_step();

// The elementwise losses (cuda_vs_cpu_loss.cpp).
void test_elementwise_loss();

}  // namespace tscheck

#endif
