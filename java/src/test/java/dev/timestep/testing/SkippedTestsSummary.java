package dev.timestep.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says once per test run why tests were skipped. Surefire's summary only counts skipped tests; on a
 * machine without a GPU that is some 160 CUDA tests, each skipped by an assumption whose message
 * ("no usable CUDA device: ...") only the XML reports keep. At the end of the run this prints one
 * line per reason, e.g. {@code no usable CUDA device (no NVIDIA driver on this machine ...): 163
 * GPU tests skipped}. Registered in {@code
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
  /** The message every CUDA test's assumption starts with. */
  static final String NO_CUDA = "no usable CUDA device";

  /** JUnit's prefix to an assumption's message. */
  private static final String ASSUMPTION = "Assumption failed: ";

  private final Map<String, AtomicInteger> byReason = new TreeMap<>();
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    synchronized (byReason) {
      byReason.clear();
    }
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    count(id, "disabled: " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      String reason = result.getThrowable().map(Throwable::getMessage).orElse(null);
      count(id, reason == null || reason.isBlank() ? "no reason given" : reason);
    }
  }

  private void count(TestIdentifier id, String reason) {
    // A skipped class or parameterized method stands for the tests under it that the plan knows.
    long tests =
        id.isTest()
            ? 1
            : plan == null
                ? 0
                : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count();
    if (tests == 0 && id.isTest()) {
      return;
    }
    synchronized (byReason) {
      byReason
          .computeIfAbsent(reason, r -> new AtomicInteger())
          .addAndGet((int) Math.max(tests, 1));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    synchronized (byReason) {
      byReason.forEach((reason, n) -> System.out.println(line(reason, n.get())));
    }
  }

  /** E.g. {@code no usable CUDA device (no NVIDIA driver ...): 163 GPU tests skipped}. */
  static String line(String reason, int n) {
    String r = reason.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    if (r.startsWith(ASSUMPTION)) {
      r = r.substring(ASSUMPTION.length());
    }
    boolean gpu = r.startsWith(NO_CUDA);
    if (gpu && r.startsWith(NO_CUDA + ": ")) {
      r = NO_CUDA + " (" + r.substring(NO_CUDA.length() + 2) + ")";
    }
    return r + ": " + n + (gpu ? " GPU" : "") + (n == 1 ? " test" : " tests") + " skipped";
  }
}
