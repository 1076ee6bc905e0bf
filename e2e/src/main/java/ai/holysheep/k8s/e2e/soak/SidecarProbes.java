package ai.holysheep.k8s.e2e.soak;

import ai.holysheep.k8s.e2e.chaos.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Takes one {@link Sample} of the sidecar process: {@code /proc} for memory, descriptors and
 * connections, {@code jcmd} for the heap after a full GC, {@code /health} round trips for the
 * event-loop delay. A probe that fails yields -1 and a line on stderr, never an aborted soak.
 */
final class SidecarProbes {
  /** Round trips per sample; their median is reported. */
  static final int HEALTH_PROBES = 5;

  /** Bound on connecting to and reading from the admin port. */
  static final int PROBE_TIMEOUT_MILLIS = 10_000;

  private static final byte[] HEALTH_REQUEST =
      "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private final Topology topology;

  SidecarProbes(Topology topology) {
    this.topology = topology;
  }

  Sample sample(double atSeconds, LoadWindow.Counts window) throws InterruptedException {
    long pid = topology.sidecarPid();
    double rss = -1;
    double heap = -1;
    int fds = -1;
    int primary = -1;
    int fallback = -1;
    int app = -1;
    try {
      rss = ProcProbe.rssKib(pid) / 1024.0;
      fds = ProcProbe.openFds(pid);
      ProcProbe.Connections connections = ProcProbe.connections(pid);
      primary = connections.toRemote(topology.primaryPort());
      fallback = connections.toRemote(topology.fallbackPort());
      app = connections.onLocal(topology.proxyPort());
    } catch (IOException | RuntimeException e) {
      System.err.println("soak: /proc probe failed: " + e);
    }
    try {
      heap = HeapProbe.usedAfterGcKib(topology.sidecarJvm().jcmd(), pid) / 1024.0;
    } catch (IOException e) {
      System.err.println("soak: heap probe failed: " + e.getMessage());
    }
    return new Sample(atSeconds, rss, heap, fds, primary, fallback, app, eventLoopDelay(), window);
  }

  /**
   * Median of {@link #HEALTH_PROBES} {@code GET /health} round trips over fresh loopback sockets,
   * blocking on this thread: the load generator's own event loop never delays the measurement.
   */
  private double eventLoopDelay() {
    double[] millis = new double[HEALTH_PROBES];
    for (int i = 0; i < HEALTH_PROBES; i++) {
      long start = System.nanoTime();
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress("127.0.0.1", topology.adminPort()), PROBE_TIMEOUT_MILLIS);
        socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
        socket.getOutputStream().write(HEALTH_REQUEST);
        byte[] answer = socket.getInputStream().readAllBytes();
        if (!new String(answer, 0, Math.min(answer.length, 12), StandardCharsets.US_ASCII)
            .equals("HTTP/1.1 200")) {
          return -1;
        }
      } catch (IOException e) {
        System.err.println("soak: /health probe failed: " + e.getMessage());
        return -1;
      }
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return Math.round(millis[HEALTH_PROBES / 2] * 100) / 100.0;
  }
}
