package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleIT extends OneUpstream {
  private void assertRefused(int port) {
    assertThrows(
        ConnectException.class,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          }
        });
  }

  @Test
  void keepsServingDuringTheDrainWindowThenStopsAccepting() {
    int port = bed.sidecar.proxyPort();
    Future<Void> terminated = bed.sidecar.shutdown(Duration.ofMillis(500), Duration.ofSeconds(2));
    assertEquals(200, bed.chat().status(), "requests during the drain window are served");
    await(terminated);
    assertRefused(port);
  }

  @Test
  void shutdownOverAdminIsAcceptedFromLoopback() {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(bed.sidecar.adminPort())
            .setURI("/shutdown");
    int status =
        await(bed.adminClient.request(options).compose(r -> r.send()).map(r -> r.statusCode()));
    assertEquals(202, status);
    assertEquals(200, bed.admin("/health").status(), "admin keeps answering during the drain");
  }
}
