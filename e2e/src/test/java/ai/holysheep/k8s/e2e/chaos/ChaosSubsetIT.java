package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code make test} slice of {@code make chaos}: about 30 s of mixed JSON and streamed chats at
 * {@value ChaosOptions#SUBSET_RATE_PER_SECOND} req/s through a real sidecar process while the
 * primary simulator process answers 500s, is killed and restarted, resets streams mid-answer, sends
 * an error object first, and answers 529 ({@link ChaosOptions#subset}). It asserts correctness
 * only, never latency: the breaker bounds carry {@link ChaosOptions#DEFAULT_TOLERANCE} of slack for
 * a machine shared by several builds. The run's report is in {@code target/chaos-subset/}.
 */
class ChaosSubsetIT {
  private static ChaosReport report;

  @BeforeAll
  static void run() throws Exception {
    Path sidecar =
        jar("holysheep.sidecar.jar", Path.of("..", "sidecar", "target", "holysheep-sidecar.jar"));
    Path simulator = jar("holysheep.simulator.jar", Path.of("target", "holysheep-simulator.jar"));
    report =
        ChaosRun.run(
            ChaosOptions.subset(Path.of("target", "chaos-subset")).withJars(sidecar, simulator));
  }

  private static Path jar(String property, Path fallback) {
    Path jar =
        Path.of(System.getProperty(property, fallback.toString())).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), jar + " not found; build it first (mvn install)");
    return jar;
  }

  private static Supplier<String> details() {
    return () ->
        report.violations().describe() + "(full report: e2e/target/chaos-subset/report.md)";
  }

  @Test
  void theLoadRanAndEveryFaultWasApplied() {
    assertAll(
        () -> assertTrue(report.sent() >= 500, "requests sent: " + report.sent()),
        () -> assertEquals(0, report.violations().count(ChaosAnalysis.PHASE_SKIPPED), details()),
        () ->
            assertTrue(
                report.reachedTwoUpstreams() > 0,
                "no request ever failed over: were faults applied?"),
        () ->
            assertTrue(
                report.count(true, Verdict.ERROR_EVENT) > 0,
                "no stream met the mid-stream reset or the kill: were faults applied?"));
  }

  @Test
  void jsonRequestsNeverFailWhileTheFallbackIsHealthy() {
    assertEquals(0, report.violations().count(Accounting.JSON_FAILED), details());
  }

  @Test
  void everyStreamCompletesOrEndsWithTheErrorEventNeverSilently() {
    assertAll(
        () -> assertEquals(0, report.violations().count(Accounting.STREAM_SILENT), details()),
        () -> assertEquals(0, report.violations().count(Accounting.STREAM_REFUSED), details()),
        () ->
            assertEquals(
                0, report.violations().count(Accounting.ERROR_EVENT_UNEXPECTED), details()));
  }

  @Test
  void everyUpstreamRequestIsAccountedForAndNoneWasSentTwice() {
    assertAll(
        () -> assertEquals(0, report.violations().count(Accounting.DOUBLE_SEND), details()),
        () -> assertEquals(0, report.violations().count(Accounting.PHANTOM), details()),
        () -> assertEquals(0, report.violations().count(Accounting.UNRECORDED), details()),
        () -> assertEquals(0, report.violations().count(Accounting.ATTEMPTS), details()),
        () -> assertEquals(0, report.violations().count(ChaosAnalysis.LOG_INCOMPLETE), details()));
  }

  @Test
  void breakersOpenAndRecoverWithinTheirConfiguredTimes() {
    assertAll(
        () -> assertEquals(0, report.violations().count(BreakerChecks.DID_NOT_OPEN), details()),
        () -> assertEquals(0, report.violations().count(BreakerChecks.OPENED_LATE), details()),
        () ->
            assertEquals(
                0, report.violations().count(BreakerChecks.OPENED_UNEXPECTEDLY), details()),
        () -> assertEquals(0, report.violations().count(BreakerChecks.DID_NOT_RECOVER), details()),
        () -> assertEquals(0, report.violations().count(BreakerChecks.FALLBACK_OPENED), details()));
  }

  @Test
  void trafficReturnsToThePrimaryAfterItRecovers() {
    assertEquals(0, report.violations().count(ChaosAnalysis.NOT_BACK), details());
  }

  @Test
  void theSidecarLogsNoSevereLineForFaultsItHandles() {
    assertEquals(0, report.violations().count(ChaosAnalysis.LOG_SEVERE), details());
  }

  @Test
  void nothingElseBroke() {
    assertTrue(report.passed(), details());
  }
}
