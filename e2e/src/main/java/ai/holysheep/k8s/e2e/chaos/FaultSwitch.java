package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.http.HttpMethod;
import java.io.IOException;

/**
 * Puts a {@link ChaosFault} on the primary and takes it off: a simulator fault over {@code POST
 * /_sim/fault} and {@code DELETE}, or for {@link ChaosFault#KILL} a SIGKILL and, on {@code off}, a
 * new process on the same port.
 */
public final class FaultSwitch {
  private final Topology topology;
  private final AdminHttp http;

  public FaultSwitch(Topology topology, AdminHttp http) {
    this.topology = topology;
    this.http = http;
  }

  /** Applies the fault; returns null, or why the simulator refused it (it cannot produce it). */
  public String on(ChaosFault fault) throws IOException, InterruptedException {
    if (fault == ChaosFault.KILL) {
      topology.killPrimary();
      return null;
    }
    AdminHttp.Reply set =
        http.await(HttpMethod.POST, topology.primaryRoot(), "/_sim/fault", fault.simFault());
    if (set.status() != 200) {
      return "the simulator refused " + fault.simFault().encode() + ": " + set.body();
    }
    return null;
  }

  /** Ends the fault; for a kill, returns once the new primary process listens. */
  public void off(ChaosFault fault) throws IOException {
    if (fault == ChaosFault.KILL) {
      topology.restartPrimary();
      return;
    }
    AdminHttp.Reply cleared =
        http.await(HttpMethod.DELETE, topology.primaryRoot(), "/_sim/fault", null);
    if (cleared.status() != 204) {
      throw new IOException(
          "clearing the fault failed: " + cleared.status() + " " + cleared.body());
    }
  }
}
