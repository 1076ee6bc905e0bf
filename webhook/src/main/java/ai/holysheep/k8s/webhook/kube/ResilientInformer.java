package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An informer that never gives up. fabric8 retries a failed list or watch only once the informer
 * has started; a first list that fails (API server unreachable for ~20 s, RBAC or CRD applied a
 * moment later) stopped it for good, leaving the replica unready forever while its liveness probe
 * passed. Here every failure is retried with fabric8's exponential backoff ({@link KubeClients}),
 * the last one is kept to say what readiness waits for, and an informer that stops anyway (not
 * through {@link #close()}) is reported as broken, which only a restart repairs.
 */
public final class ResilientInformer<T extends HasMetadata> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ResilientInformer.class.getName());

  private final String resource;
  private final SharedIndexInformer<T> informer;
  private final AtomicReference<String> lastProblem = new AtomicReference<>();
  private volatile boolean closed;

  private ResilientInformer(String resource, SharedIndexInformer<T> informer) {
    this.resource = resource;
    this.informer = informer;
  }

  /**
   * Starts {@code informer} (not started yet, from {@code runnableInformer}) without waiting for
   * its first list.
   *
   * @param resource what it lists, for messages (e.g. {@code holysheepconfigs.holysheep.ai})
   * @param store where items are kept, e.g. a store that trims them; null for fabric8's default
   */
  public static <T extends HasMetadata> ResilientInformer<T> start(
      String resource, SharedIndexInformer<T> informer, ItemStore<T> store) {
    ResilientInformer<T> resilient = new ResilientInformer<>(resource, informer);
    if (store != null) {
      informer.itemStore(store);
    }
    informer.exceptionHandler(resilient::retryAfter);
    informer.start();
    return resilient;
  }

  private boolean retryAfter(boolean started, Throwable failure) {
    String problem = describe(failure);
    if (!problem.equals(lastProblem.getAndSet(problem))) {
      LOG.log(
          Level.WARNING,
          "listing/watching " + resource + " failed (" + problem + "); retrying with backoff");
    }
    return !closed;
  }

  /** One line a cluster admin can act on. */
  String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null
        && !(cause instanceof KubernetesClientException k && k.getCode() > 0)) {
      cause = cause.getCause();
    }
    if (cause instanceof KubernetesClientException k) {
      return switch (k.getCode()) {
        case 404 ->
            resource
                + " not found (404): is its CustomResourceDefinition installed? (chart value"
                + " crds.enabled)";
        case 401, 403 ->
            "access to "
                + resource
                + " denied ("
                + k.getCode()
                + "): check the injector's ClusterRole and binding (chart value rbac.create)";
        default ->
            k.getCode() > 0
                ? "API server answered " + k.getCode() + ": " + firstLine(k.getMessage())
                : "cannot reach the API server: " + firstLine(rootMessage(k));
      };
    }
    return "cannot reach the API server: " + firstLine(rootMessage(failure));
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** The fabric8 informer (tests stop it behind this wrapper's back). */
  SharedIndexInformer<T> underlying() {
    return informer;
  }

  public Store<T> store() {
    return informer.getStore();
  }

  public boolean synced() {
    return informer.hasSynced();
  }

  /** Why the cache is not usable yet; empty once the first list has been seen. */
  public Optional<String> notReady() {
    if (synced()) {
      return Optional.empty();
    }
    String problem = lastProblem.get();
    return Optional.of(problem == null ? "listing " + resource : problem);
  }

  /** Why the informer can no longer recover by itself (it stopped); empty while it runs. */
  public Optional<String> broken() {
    CompletableFuture<Void> stopped = informer.stopped().toCompletableFuture();
    if (closed || !stopped.isDone()) {
      return Optional.empty();
    }
    String problem = lastProblem.get();
    return Optional.of(
        "the informer of " + resource + " stopped" + (problem == null ? "" : ": " + problem));
  }

  @Override
  public void close() {
    closed = true;
    informer.close();
  }
}
