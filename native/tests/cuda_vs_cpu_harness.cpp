// The shared part of the CUDA-vs-CPU harness (declared in cuda_vs_cpu.h): device buffers,
// the comparison and timing of one case, the repeatability check, and the two tables.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <utility>

#include "cuda_vs_cpu.h"
#include "timestep/cpu_api.h"
#include "timestep/cuda_api.h"

namespace tscheck {

bool g_quick = false;
std::string g_only;
std::string g_group;
int g_warmups = 3;
int g_repeats = 20;
std::mt19937 g_rng(20240611u);
std::vector<Row> g_rows;
std::function<std::string()> g_row_plan;

bool selected(const std::string& op) {
  return g_only.empty() || op.find(g_only) != std::string::npos;
}

void expect_cuda(int status, const std::string& what) {
  if (status != TS_OK)
    throw Failure(what + " -> status " + std::to_string(status) + ": " + ts_cuda_last_error());
}

void expect_cpu(int status, const std::string& what) {
  if (status != TS_OK)
    throw Failure(what + " (cpu) -> status " + std::to_string(status) + ": " + ts_cpu_last_error());
}

Vec random_vec(long long n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Vec v(static_cast<size_t>(std::max(1LL, n)));
  for (float& x : v) x = dist(g_rng);
  return v;
}

double normwise_error(const Vec& want, const Vec& got) {
  double max_diff = 0.0, max_ref = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double diff = std::fabs(static_cast<double>(got[i]) - want[i]);
    if (std::isnan(diff)) return NAN;
    max_diff = std::max(max_diff, diff);
    max_ref = std::max(max_ref, std::fabs(static_cast<double>(want[i])));
  }
  return max_diff / std::max(1e-6, max_ref);
}

double elapsed_us(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double time_cuda(const std::function<void()>& call) {
  for (int i = 0; i < g_warmups; ++i) call();
  std::vector<double> samples;
  for (int i = 0; i < g_repeats; ++i) {
    const auto start = Clock::now();
    call();
    samples.push_back(elapsed_us(start));
  }
  return median(samples);
}

// Runs `gpu` and `cpu` on private copies of `inputs`, compares the tensors listed in
// `outputs`, then times both (timing calls may keep mutating the copies; that is harmless).
void run_case(const std::string& op, const std::string& shape, const std::vector<Vec>& inputs,
              const std::vector<int>& outputs, const Kernel& cpu, const Kernel& gpu,
              double tolerance) {
  if (!selected(op)) return;
  Row row{op, shape};
  try {
    std::vector<Vec> host = inputs;
    Ptrs host_ptrs;
    for (Vec& t : host) host_ptrs.push_back(t.data());
    auto start = Clock::now();
    expect_cpu(cpu(host_ptrs), op);
    const double cpu_first_us = elapsed_us(start);

    std::vector<std::unique_ptr<DeviceBuffer>> device;
    Ptrs device_ptrs;
    for (const Vec& t : inputs) {
      device.push_back(std::make_unique<DeviceBuffer>(t.size()));
      device_ptrs.push_back(device.back()->get());
      expect_cuda(ts_cuda_upload(device_ptrs.back(), t.data(), static_cast<long long>(t.size())),
                  "upload");
    }
    expect_cuda(gpu(device_ptrs), op);
    expect_cuda(ts_cuda_synchronize(), op + " (synchronize)");
    row.err = 0.0;
    for (int o : outputs) {
      Vec got(inputs[o].size());
      expect_cuda(ts_cuda_download(device_ptrs[o], got.data(), static_cast<long long>(got.size())),
                  "download");
      const double err = normwise_error(host[o], got);
      row.err = std::isnan(err) || std::isnan(row.err) ? NAN : std::max(row.err, err);
    }

    row.cuda_us = time_cuda([&] {
      expect_cuda(gpu(device_ptrs), op);
      expect_cuda(ts_cuda_synchronize(), op + " (synchronize)");
    });
    if (cpu_first_us > 50000.0 || g_quick) {
      row.cpu_us = cpu_first_us;
    } else {
      std::vector<double> samples;
      for (int i = 0; i < 5; ++i) {
        start = Clock::now();
        expect_cpu(cpu(host_ptrs), op);
        samples.push_back(elapsed_us(start));
      }
      row.cpu_us = median(samples);
    }
    row.pass = row.err <= tolerance;  // false for NaN
    if (!row.pass) row.note = "tolerance " + std::to_string(tolerance);
  } catch (const Failure& e) {
    row.pass = false;
    row.note = e.what();
  }
  add_row(std::move(row));
}

std::string dims(std::initializer_list<long long> sizes) {
  std::string s;
  for (long long d : sizes) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

void check_repeatable(const std::string& op, const std::string& shape,
                      const std::vector<Vec>& inputs, const std::vector<int>& outputs,
                      const Kernel& gpu) {
  if (!selected(op)) return;
  Row row{op + "(repeat)", shape};
  try {
    std::vector<Vec> results[2];
    for (int run = 0; run < 2; ++run) {
      std::vector<std::unique_ptr<DeviceBuffer>> device;
      Ptrs device_ptrs;
      for (const Vec& t : inputs) {
        device.push_back(std::make_unique<DeviceBuffer>(t.size()));
        device_ptrs.push_back(device.back()->get());
        expect_cuda(ts_cuda_upload(device_ptrs.back(), t.data(), static_cast<long long>(t.size())),
                    "upload");
      }
      expect_cuda(gpu(device_ptrs), op);
      expect_cuda(ts_cuda_synchronize(), op + " (synchronize)");
      for (int o : outputs) {
        Vec got(inputs[o].size());
        expect_cuda(
            ts_cuda_download(device_ptrs[o], got.data(), static_cast<long long>(got.size())),
            "download");
        results[run].push_back(std::move(got));
      }
    }
    row.err = 0.0;
    bool identical = true;
    for (size_t o = 0; o < outputs.size(); ++o) {
      const Vec& a = results[0][o];
      const Vec& b = results[1][o];
      identical = identical && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
      for (size_t i = 0; i < a.size(); ++i)
        row.err = std::max(row.err, std::fabs(static_cast<double>(a[i]) - b[i]));
    }
    row.pass = identical;
    if (!row.pass) row.note = "two runs on identical inputs differ";
  } catch (const Failure& e) {
    row.note = e.what();
  }
  add_row(std::move(row));
}

void expect_status(const std::string& name, int status, int want, const char* word) {
  if (!selected(name)) return;
  Row row{name, "-"};
  const char* message = ts_cuda_last_error();
  row.pass = status == want && message && message[0] != '\0' && std::strstr(message, word);
  row.note = "status " + std::to_string(status) + ": " + (message ? message : "(null)");
  add_row(std::move(row));
}

void print_table_header() {
  std::printf("\n%-18s | %-26s | %-11s | %-10s | %-11s | %s\n", "op", "shape", "max rel err",
              "cuda us", "cpu us", "PASS/FAIL");
  std::printf("%s\n", std::string(100, '-').c_str());
  std::fflush(stdout);
}

void add_row(Row r) {
  if (g_row_plan) r.shape += g_row_plan();
  auto number = [](double v, const char* fmt) {
    char buf[32];
    if (v < 0) return std::string("-");
    std::snprintf(buf, sizeof buf, fmt, v);
    return std::string(buf);
  };
  std::printf("%-18s | %-26s | %-11s | %-10s | %-11s | %s", r.op.c_str(), r.shape.c_str(),
              std::isnan(r.err) ? "nan" : number(r.err, "%.3g").c_str(),
              number(r.cuda_us, "%.1f").c_str(), number(r.cpu_us, "%.1f").c_str(),
              r.skipped ? "SKIPPED"
              : r.pass  ? "PASS"
                        : "FAIL");
  if ((!r.pass || r.skipped) && !r.note.empty()) std::printf("  (%s)", r.note.c_str());
  std::printf("\n");
  std::fflush(stdout);
  g_rows.push_back(std::move(r));
}

// The summary goes to stdout and, when TS_CUDA_VS_CPU_SUMMARY names a file, to that file too
// (tools/gpu/check.sh shows it; CTest keeps only the start of a passing test's output).
void print_op_summary() {
  // Ops in order of first appearance; per op the worst error and the slowest CUDA case.
  struct Summary {
    int cases = 0, failed = 0, skipped = 0;
    double err = 0.0, cuda_us = -1, cpu_us = -1;
    std::string slowest;
  };
  std::vector<std::string> order;
  std::map<std::string, Summary> by_op;
  for (const Row& r : g_rows) {
    // The argument checks (no shape, nothing timed) count as one line.
    const std::string op = r.shape == "-" ? std::string("argument checks") : r.op;
    if (by_op.find(op) == by_op.end()) order.push_back(op);
    Summary& s = by_op[op];
    ++s.cases;
    if (!r.pass) ++s.failed;
    if (r.skipped) ++s.skipped;
    if (std::isnan(r.err) || std::isnan(s.err))
      s.err = NAN;
    else
      s.err = std::max(s.err, r.err);  // -1 (nothing compared) leaves 0
    if (r.cuda_us > s.cuda_us) {
      s.cuda_us = r.cuda_us;
      s.cpu_us = r.cpu_us;
      s.slowest = r.shape;
    }
  }
  const char* path = std::getenv("TS_CUDA_VS_CPU_SUMMARY");
  std::FILE* file = path && path[0] ? std::fopen(path, "w") : nullptr;
  auto emit = [&](const char* fmt, auto... args) {
    std::printf(fmt, args...);
    if (file) std::fprintf(file, fmt, args...);
  };
  std::printf("\n==== per-op summary ====\n");
  emit("%-24s | %5s | %-11s | %-10s | %-10s | %-34s | %s\n", "op", "cases", "max rel err",
       "cuda us", "cpu us", "slowest cuda case", "result");
  for (const std::string& op : order) {
    const Summary& s = by_op[op];
    auto number = [](double v, const char* fmt) {
      char buf[32];
      if (std::isnan(v)) return std::string("nan");
      if (v < 0) return std::string("-");
      std::snprintf(buf, sizeof buf, fmt, v);
      return std::string(buf);
    };
    emit("%-24s | %5d | %-11s | %-10s | %-10s | %-34s | %s\n", op.c_str(), s.cases,
         number(s.err, "%.3g").c_str(), number(s.cuda_us, "%.1f").c_str(),
         number(s.cpu_us, "%.1f").c_str(), s.slowest.empty() ? "-" : s.slowest.c_str(),
         s.failed != 0          ? (std::to_string(s.failed) + " FAIL").c_str()
         : s.skipped == s.cases ? "SKIPPED"
                                : "PASS");
  }
  std::printf("==== end of per-op summary ====\n");
  if (file) std::fclose(file);
}

}  // namespace tscheck
