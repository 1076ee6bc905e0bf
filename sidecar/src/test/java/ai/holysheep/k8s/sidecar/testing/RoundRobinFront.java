package ai.holysheep.k8s.sidecar.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address in front of several backends, like a ClusterIP Service: every new TCP connection goes
 * to the next backend in turn and its bytes are piped both ways untouched (TLS passes through, as
 * kube-proxy does).
 */
public final class RoundRobinFront implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final List<Integer> backends;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger[] connections;

  private RoundRobinFront(Vertx vertx, List<Integer> backends) {
    this.backends = List.copyOf(backends);
    this.client = vertx.createNetClient();
    this.connections = new AtomicInteger[backends.size()];
    for (int i = 0; i < connections.length; i++) {
      connections[i] = new AtomicInteger();
    }
    this.server = vertx.createNetServer().connectHandler(this::accept);
  }

  public static RoundRobinFront start(Vertx vertx, List<Integer> backendPorts) throws Exception {
    RoundRobinFront front = new RoundRobinFront(vertx, backendPorts);
    front
        .server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return front;
  }

  public int port() {
    return server.actualPort();
  }

  /** Connections handed to backend {@code index} so far. */
  public int connections(int index) {
    return connections[index].get();
  }

  private void accept(NetSocket inbound) {
    inbound.pause();
    int index = Math.floorMod(next.getAndIncrement(), backends.size());
    connections[index].incrementAndGet();
    client
        .connect(backends.get(index), "127.0.0.1")
        .onSuccess(
            outbound -> {
              inbound.pipeTo(outbound);
              outbound.pipeTo(inbound);
              inbound.resume();
            })
        .onFailure(e -> inbound.close());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close();
  }
}
