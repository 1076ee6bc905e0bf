package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * The fabric8 mock API server in CRUD mode over plain HTTP on loopback; watches write their events
 * without stalling it ({@link NonBlockingWatches}).
 */
public final class MockApiServer implements AutoCloseable {
  private final NonBlockingWatches watches = new NonBlockingWatches();
  private final KubernetesMockServer server =
      new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), watches, false);

  public MockApiServer() {
    server.init();
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup("holysheep.ai")
            .withVersion("v1")
            .withKind("HolySheepConfig")
            .withPlural("holysheepconfigs")
            .withScope("Namespaced")
            .build());
  }

  /** A new client per caller, as separate webhook replicas would have. */
  public KubernetesClient client() {
    return server.createClient();
  }

  public int port() {
    return server.getPort();
  }

  /** Requests the server has received so far. */
  public int requestCount() {
    return server.getRequestCount();
  }

  /** Watches closed by their client (or failed) whose close the server has handled. */
  public int watchClosesHandled() {
    return watches.closesHandled();
  }

  @Override
  public void close() {
    try {
      server.destroy();
    } finally {
      watches.close();
    }
  }
}
