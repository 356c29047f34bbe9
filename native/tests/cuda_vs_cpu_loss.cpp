// CUDA-vs-CPU cases of the elementwise losses (elementwise_loss and its gradient): every kind, one
// and several predictions per target (the pinball loss's quantiles), odd sizes, both gradients
// at once and each alone (the other NULL), and the bad-argument statuses.
#include <memory>
#include <string>
#include <vector>

#include "cuda_vs_cpu.h"
#include "timestep/cpu_api.h"
#include "timestep/cuda_api.h"

namespace tscheck {

void test_elementwise_loss() {
  struct Kind {
    const char* name;
    int code;
    std::vector<float> params;
  };
  const std::vector<Kind> kinds = {
      {"absolute", TS_LOSS_ABSOLUTE, {0.0f}},
      {"huber", TS_LOSS_HUBER, {0.7f}},
      {"log_cosh", TS_LOSS_LOG_COSH, {0.0f}},
      {"pinball", TS_LOSS_PINBALL, {0.5f}},
      {"pinball", TS_LOSS_PINBALL, {0.1f, 0.5f, 0.9f}},
      {"absolute_percentage", TS_LOSS_ABSOLUTE_PERCENTAGE, {1e-7f}},
  };
  std::vector<long long> sizes = {1, 3, 17, 33, 100003};
  if (!g_quick) sizes.push_back(4000037);
  for (const Kind& kind : kinds) {
    auto params = std::make_shared<std::vector<float>>(kind.params);
    const int k = static_cast<int>(params->size());
    const int code = kind.code;
    for (long long n : sizes) {
      const std::string op = std::string("elementwise_loss(") + kind.name + ")";
      const std::string s = dims({n, k});
      // Predictions and targets in [-3, 3]: Huber's delta, log-cosh's switch at 1 and both
      // signs of every difference are all crossed.
      const Vec pred = random_vec(n * k, -3.0f, 3.0f), target = random_vec(n, -3.0f, 3.0f);
      run_case(
          op, s, {pred, target, random_vec(1)}, {2},
          [=](const Ptrs& p) {
            return ts_cpu_elementwise_loss(code, params->data(), k, p[0], p[1], p[2], n);
          },
          [=](const Ptrs& p) {
            return ts_cuda_elementwise_loss(code, params->data(), k, p[0], p[1], p[2], n);
          });
      const Vec upstream = random_vec(1, 0.5f, 2.0f);
      run_case(
          op + " grad", s, {pred, target, upstream, random_vec(n * k), random_vec(n)}, {3, 4},
          [=](const Ptrs& p) {
            return ts_cpu_elementwise_loss_grad(code, params->data(), k, p[0], p[1], p[2], p[3],
                                                p[4], n);
          },
          [=](const Ptrs& p) {
            return ts_cuda_elementwise_loss_grad(code, params->data(), k, p[0], p[1], p[2], p[3],
                                                 p[4], n);
          });
      run_case(
          op + " grad (target only)", s, {pred, target, upstream, random_vec(n)}, {3},
          [=](const Ptrs& p) {
            return ts_cpu_elementwise_loss_grad(code, params->data(), k, p[0], p[1], p[2], nullptr,
                                                p[3], n);
          },
          [=](const Ptrs& p) {
            return ts_cuda_elementwise_loss_grad(code, params->data(), k, p[0], p[1], p[2], nullptr,
                                                 p[3], n);
          });
    }
  }
  DeviceBuffer buffer(4);
  float* d = buffer.get();
  const float one = 1.0f;
  expect_status("elementwise_loss(kind)", ts_cuda_elementwise_loss(42, &one, 1, d, d, d, 4),
                TS_ERR_INVALID_ARGUMENT, "elementwise_loss");
  expect_status("elementwise_loss(k=0)", ts_cuda_elementwise_loss(0, &one, 0, d, d, d, 4),
                TS_ERR_INVALID_ARGUMENT, "elementwise_loss");
  expect_status("elementwise_loss_grad(no outputs)",
                ts_cuda_elementwise_loss_grad(0, &one, 1, d, d, d, nullptr, nullptr, 4),
                TS_ERR_INVALID_ARGUMENT, "elementwise_loss_grad");
}

}  // namespace tscheck
