package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One chaos run from start to report: processes up, load on, the schedule played, load drained,
 * logs gathered, everything checked. Bounded throughout: every phase has a bounded hold and
 * recovery wait, every request the generator's bound, every control call {@link
 * AdminHttp#CALL_TIMEOUT}; whatever fails, the load stops and the processes are ended.
 */
public final class ChaosRun {
  private ChaosRun() {}

  public static ChaosReport run(ChaosOptions options) throws IOException, InterruptedException {
    String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    deleteLogs(options.outDir().resolve("logs"));
    String loadBefore = loadAverage();
    Vertx vertx = Vertx.vertx();
    AdminHttp http = new AdminHttp(vertx);
    try (Topology topology =
        Topology.start(
            options.sidecarJar(),
            options.simulatorJar(),
            options.outDir(),
            options.sidecar()::config)) {
      SimLog simLog = new SimLog(http);
      BreakerSampler sampler =
          new BreakerSampler(vertx, http, "http://127.0.0.1:" + topology.adminPort());
      PhaseRunner runner = new PhaseRunner(options, topology, http, simLog, sampler);
      ConcurrentLinkedQueue<RequestOutcome> outcomes = new ConcurrentLinkedQueue<>();
      LoadGenerator load =
          new LoadGenerator(
              vertx,
              topology.proxyPort(),
              options.ratePerSecond(),
              options.streamShare(),
              options.requestBound(),
              runId,
              outcomes::add);
      warm(vertx, http, topology, options);
      sampler.start();
      double cpuBefore = cpuSeconds(topology);
      long runStart = System.currentTimeMillis();
      load.withRamp(options.ramp()).start();
      List<PhaseTimes> phases = new ArrayList<>();
      long loadEnd;
      double cpuUsed;
      try {
        Thread.sleep(options.warmup().toMillis());
        for (int i = 0; i < options.schedule().size(); i++) {
          PhaseTimes times = runner.run(i, options.schedule().get(i));
          phases.add(times);
          log(runStart, times);
          simLog.read(Topology.PRIMARY, topology.primaryIncarnation(), topology.primaryRoot());
          simLog.read(Topology.FALLBACK, 1, topology.fallbackRoot());
        }
        Thread.sleep(options.tail().toMillis());
      } catch (IOException e) {
        topology.dumpThreads();
        throw e;
      } finally {
        loadEnd = System.currentTimeMillis();
        cpuUsed = cpuSeconds(topology) - cpuBefore;
        awaitDrained(load, options);
        sampler.stop();
      }
      simLog.read(Topology.PRIMARY, topology.primaryIncarnation(), topology.primaryRoot());
      simLog.read(Topology.FALLBACK, 1, topology.fallbackRoot());
      AdminHttp.Reply metrics =
          http.await(
              io.vertx.core.http.HttpMethod.GET,
              "http://127.0.0.1:" + topology.adminPort(),
              "/metrics",
              null);
      ChaosReport report =
          ChaosAnalysis.analyse(
              new ChaosAnalysis.Inputs(
                  options,
                  runId,
                  runStart,
                  loadEnd,
                  phases,
                  List.copyOf(outcomes),
                  simLog,
                  sampler,
                  load.maxLagMillis(),
                  runner.closeBound(),
                  topology.sidecarAlive(),
                  loadBefore + " before, " + loadAverage() + " after",
                  SidecarCounters.parse(metrics.body()),
                  topology.sidecarJvm().description(),
                  cpuUsed));
      report.write(options.outDir());
      return report;
    } finally {
      closeQuietly(vertx);
    }
  }

  /** Compiles the hot paths of all three JVMs, then forgets what the simulators saw. */
  private static void warm(Vertx vertx, AdminHttp http, Topology topology, ChaosOptions options)
      throws IOException, InterruptedException {
    if (options.prewarm().isZero()) {
      return;
    }
    try {
      int sent =
          new Warmer(vertx, topology.proxyPort())
              .run(options.prewarm())
              .toCompletionStage()
              .toCompletableFuture()
              .get(
                  options.prewarm().toMillis() + Warmer.REQUEST_TIMEOUT.toMillis() + 5_000,
                  TimeUnit.MILLISECONDS);
      System.out.println("chaos: warmed up with " + sent + " requests");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("warm-up did not finish", e);
    }
    for (String root : List.of(topology.primaryRoot(), topology.fallbackRoot())) {
      AdminHttp.Reply cleared =
          http.await(io.vertx.core.http.HttpMethod.DELETE, root, "/_sim/requests", null);
      if (cleared.status() != 204) {
        throw new IOException("could not clear " + root + "/_sim/requests: " + cleared.status());
      }
    }
  }

  private static double cpuSeconds(Topology topology) {
    try {
      return ai.holysheep.k8s.e2e.soak.ProcProbe.cpuSeconds(topology.sidecarPid());
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static void awaitDrained(LoadGenerator load, ChaosOptions options)
      throws IOException, InterruptedException {
    try {
      load.stop()
          .toCompletionStage()
          .toCompletableFuture()
          .get(options.requestBound().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the load did not drain within its bound", e);
    }
  }

  /**
   * The 1-minute load average, the CPU count and, where the kernel has pressure stall information,
   * the share of the last minute in which some runnable task waited for a CPU: how busy the shared
   * machine was.
   */
  public static String loadAverage() {
    try {
      String avg = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      return avg + " on " + Runtime.getRuntime().availableProcessors() + " CPUs" + cpuPressure();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuPressure() {
    try {
      // "some avg10=70.31 avg60=81.26 avg300=88.57 total=…"
      for (String field : Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0).split(" ")) {
        if (field.startsWith("avg60=")) {
          return " (CPU pressure " + field.substring(6) + "% over a minute)";
        }
      }
    } catch (IOException | RuntimeException e) {
      // no PSI on this kernel: the load average alone
    }
    return "";
  }

  private static void deleteLogs(Path logs) throws IOException {
    if (Files.isDirectory(logs)) {
      try (Stream<Path> files = Files.walk(logs)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Closes Vert.x (bounded), reporting rather than throwing a failure to close. */
  public static void closeQuietly(Vertx vertx) throws InterruptedException {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("chaos: closing Vert.x: " + e);
    }
  }

  private static void log(long runStart, PhaseTimes t) {
    String result;
    if (t.skipped() != null) {
      result = "skipped: " + t.skipped();
    } else if (t.recovered() < 0) {
      result = "done; the primary did not recover within the bound";
    } else {
      result =
          "done; the primary recovered " + (t.recovered() - t.faultOff()) + " ms after the fault";
    }
    System.out.printf(
        "chaos: +%.1fs %s %s%n", (t.end() - runStart) / 1000.0, t.fault().title(), result);
  }
}
