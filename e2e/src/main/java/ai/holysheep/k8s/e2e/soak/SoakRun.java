package ai.holysheep.k8s.e2e.soak;

import ai.holysheep.k8s.e2e.chaos.AdminHttp;
import ai.holysheep.k8s.e2e.chaos.ChaosFault;
import ai.holysheep.k8s.e2e.chaos.FaultSwitch;
import ai.holysheep.k8s.e2e.chaos.LoadGenerator;
import ai.holysheep.k8s.e2e.chaos.Topology;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One soak: the chaos topology under steady open-loop load for {@code duration}, a fault from the
 * cycle each {@code faultEvery}, a {@link Sample} each {@code sampleEvery} on its own thread, then
 * a line fitted through each series. Bounded: the faults and samples are on a fixed timetable, the
 * load drains within the generator's request bound.
 */
public final class SoakRun {
  /** The generator's own bound on one request. */
  static final java.time.Duration REQUEST_BOUND = java.time.Duration.ofSeconds(40);

  /** The open-loop rate rises from 0 over this long, within the samples left out of the fit. */
  static final java.time.Duration RAMP = java.time.Duration.ofMinutes(1);

  /** Closed-loop warm-up before the load starts (JIT compilation of all three JVMs). */
  static final java.time.Duration PREWARM = java.time.Duration.ofSeconds(30);

  /** One fault as played: when, and why it was skipped if the simulator refused it. */
  public record FaultEvent(ChaosFault fault, double atSeconds, String skipped) {}

  private SoakRun() {}

  public static SoakReport run(SoakOptions options) throws IOException, InterruptedException {
    Vertx vertx = Vertx.vertx();
    AdminHttp http = new AdminHttp(vertx);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (Topology topology =
        Topology.start(
            options.sidecarJar(),
            options.simulatorJar(),
            options.outDir(),
            options.sidecar()::config)) {
      FaultSwitch faults = new FaultSwitch(topology, http);
      SidecarProbes probes = new SidecarProbes(topology);
      LoadWindow window = new LoadWindow();
      List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
      List<FaultEvent> events = new ArrayList<>();
      String runId = "soak" + Long.toString(System.currentTimeMillis() % 1_000_000L, 36);
      LoadGenerator load =
          new LoadGenerator(
              vertx,
              topology.proxyPort(),
              options.ratePerSecond(),
              0.5,
              REQUEST_BOUND,
              runId,
              window::accept);
      warm(vertx, topology);
      long start = System.currentTimeMillis();
      load.withRamp(RAMP).start();
      long every = options.sampleEvery().toMillis();
      sampler.scheduleAtFixedRate(
          () -> takeSample(probes, window, samples, start), every, every, TimeUnit.MILLISECONDS);
      try {
        playFaults(options, faults, events, start);
        sleepUntil(start + options.duration().toMillis());
      } finally {
        sampler.shutdown();
        sampler.awaitTermination(2, TimeUnit.MINUTES);
        drain(load);
      }
      SoakReport report =
          new SoakReport(
              options,
              samples,
              events,
              window.total(),
              load.maxLagMillis(),
              topology.sidecarAlive(),
              topology.sidecarJvm().description());
      report.write(options.outDir());
      return report;
    } finally {
      sampler.shutdownNow();
      ai.holysheep.k8s.e2e.chaos.ChaosRun.closeQuietly(vertx);
    }
  }

  /** JIT warm-up before the first sample, as {@code make bench} and the chaos run do. */
  private static void warm(Vertx vertx, Topology topology)
      throws IOException, InterruptedException {
    try {
      int sent =
          new ai.holysheep.k8s.e2e.chaos.Warmer(vertx, topology.proxyPort())
              .run(PREWARM)
              .toCompletionStage()
              .toCompletableFuture()
              .get(
                  PREWARM.plus(ai.holysheep.k8s.e2e.chaos.Warmer.REQUEST_TIMEOUT).toMillis() + 5000,
                  TimeUnit.MILLISECONDS);
      System.out.println("soak: warmed up with " + sent + " requests");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("warm-up did not finish", e);
    }
  }

  private static void playFaults(
      SoakOptions options, FaultSwitch faults, List<FaultEvent> events, long start)
      throws IOException, InterruptedException {
    long end = start + options.duration().toMillis();
    for (int minute = 1; ; minute++) {
      long at = start + options.faultEvery().toMillis() * minute + options.faultOffset().toMillis();
      if (at + options.faultHold().toMillis() >= end) {
        return;
      }
      sleepUntil(at);
      ChaosFault fault = options.faults().get((minute - 1) % options.faults().size());
      double atSeconds = (System.currentTimeMillis() - start) / 1000.0;
      String refused = faults.on(fault);
      events.add(new FaultEvent(fault, atSeconds, refused));
      System.out.printf(
          "soak: +%.0fs %s%s%n",
          atSeconds, fault.title(), refused == null ? "" : " skipped: " + refused);
      if (refused == null) {
        Thread.sleep(options.faultHold().toMillis());
        faults.off(fault);
      }
    }
  }

  private static void takeSample(
      SidecarProbes probes, LoadWindow window, List<Sample> samples, long start) {
    try {
      Sample sample = probes.sample((System.currentTimeMillis() - start) / 1000.0, window.roll());
      samples.add(sample);
      System.out.printf(
          "soak: +%.0fs rss %.1f MiB, heap after GC %.1f MiB, fds %d, connections primary %d fallback %d app %d,"
              + " event loop %.2f ms, %d sent, %d failed%n",
          sample.atSeconds(),
          sample.rssMib(),
          sample.heapAfterGcMib(),
          sample.openFds(),
          sample.primaryConnections(),
          sample.fallbackConnections(),
          sample.appConnections(),
          sample.eventLoopDelayMs(),
          sample.window().sent(),
          sample.window().failed());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.err.println("soak: sample failed: " + e);
    }
  }

  private static void drain(LoadGenerator load) throws IOException, InterruptedException {
    try {
      load.stop()
          .toCompletionStage()
          .toCompletableFuture()
          .get(REQUEST_BOUND.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the load did not drain within its bound", e);
    }
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    long wait = epochMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
