package ai.holysheep.k8s.webhook.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps this replica's CAs in every {@code caBundle} of one MutatingWebhookConfiguration, as a set
 * shared with the other replicas ({@link CaBundlePlan}). It watches the configuration (a re-applied
 * one heals itself) and asks for a reconcile on each event; reconciles run on the caller's thread
 * (the refresh loop), never on the watch thread. A patch that fails because someone wrote in
 * between, or that is overwritten afterwards, backs off exponentially with jitter, so replicas (or
 * an older release) that disagree no longer patch each other in a tight loop.
 */
public final class CaBundleReconciler implements AutoCloseable {
  /** Lifetime of a replica's claim; renewed at half. A dead replica's CAs leave after this. */
  public static final Duration DEFAULT_CLAIM_TTL = Duration.ofMinutes(10);

  private static final System.Logger LOG = System.getLogger(CaBundleReconciler.class.getName());

  private final KubernetesClient client;
  private final String name;
  private final String replica;
  private final Clock clock;
  private final Duration claimTtl;
  private final Backoff backoff;
  private final AtomicReference<String> neededPem = new AtomicReference<>();
  private final AtomicReference<Watch> watch = new AtomicReference<>();
  private volatile Consumer<Duration> wakeUp = delay -> {};
  private volatile Consumer<String> onPatched = bundle -> {};
  private volatile boolean closed;
  private int failures;
  private Instant notBefore = Instant.MIN;
  private Instant lastWriteAt;
  private Set<String> lastWritten;
  private boolean waited;

  public CaBundleReconciler(
      KubernetesClient client, String webhookConfigName, String replica, Clock clock) {
    this(client, webhookConfigName, replica, clock, DEFAULT_CLAIM_TTL, Backoff.standard());
  }

  CaBundleReconciler(
      KubernetesClient client,
      String webhookConfigName,
      String replica,
      Clock clock,
      Duration claimTtl,
      Backoff backoff) {
    this.client = client;
    this.name = webhookConfigName;
    this.replica = ReplicaId.sanitize(replica);
    this.clock = clock;
    this.claimTtl = claimTtl;
    this.backoff = backoff;
  }

  /** Called after each successful patch with the patch written (for tests and logs). */
  public void onPatched(Consumer<String> listener) {
    this.onPatched = Objects.requireNonNull(listener);
  }

  /**
   * How to get {@link #reconcile()} called again after a delay: {@code Duration.ZERO} when the
   * configuration changed (called on the watch thread), the backoff after a refused or undone
   * patch.
   */
  public void wakeUp(Consumer<Duration> scheduler) {
    this.wakeUp = Objects.requireNonNull(scheduler);
  }

  /** The PEM bundle this replica serves from; enforced from the next {@link #reconcile()}. */
  public void need(String caBundlePem) {
    neededPem.set(caBundlePem);
  }

  /** When the next write may happen at the earliest (after failures and overwrites). */
  public synchronized Instant notBefore() {
    return notBefore;
  }

  /** Starts the watch unless it is running; called again on every refresh tick. */
  public synchronized void ensureWatching() {
    if (closed || watch.get() != null) {
      return;
    }
    try {
      watch.set(resource().watch(new ConfigWatcher()));
    } catch (KubernetesClientException e) {
      LOG.log(
          Level.WARNING,
          "cannot watch " + name + " (retrying on the next tick): " + e.getMessage());
    }
  }

  /**
   * Reads the configuration and patches it if needed; blocking. False while backing off (after a
   * failed patch, or when our last patch was undone within {@link Backoff#MAX}: then we wait before
   * writing again, longer each time).
   */
  public synchronized boolean reconcile() {
    String needed = neededPem.get();
    Instant now = clock.instant();
    if (needed == null || closed) {
      return false;
    }
    if (now.isBefore(notBefore)) {
      // a timer may fire a little early by this clock: come back when it is really time
      wakeUp.accept(Duration.between(now, notBefore).plusMillis(1));
      return false;
    }
    try {
      MutatingWebhookConfiguration config = resource().get();
      if (config == null) {
        return true;
      }
      CaBundlePlan.Result plan = CaBundlePlan.plan(config, replica, needed, now, claimTtl);
      Optional<ArrayNode> patch = plan.patch();
      boolean recentWrite =
          lastWriteAt != null && Duration.between(lastWriteAt, now).compareTo(backoff.max()) < 0;
      if (patch.isEmpty()) {
        if (!recentWrite) {
          failures = 0;
        }
        return true;
      }
      // the entries no longer hold what we wrote last: someone wrote after us
      boolean undone = recentWrite && !Objects.equals(plan.bundle(), lastWritten);
      if (undone && !waited) {
        failures++;
        waited = true;
        backOff(now);
        LOG.log(
            Level.WARNING,
            "caBundle of "
                + name
                + " was changed back since our patch; writing again in "
                + Duration.between(now, notBefore).toMillis()
                + " ms (another writer disagrees: an older release, or cert-manager's CA"
                + " injector?)");
        return false;
      }
      resource().patch(PatchContext.of(PatchType.JSON), patch.get().toString());
      lastWriteAt = now;
      lastWritten = plan.written();
      waited = false;
      LOG.log(Level.INFO, "patched caBundle of " + name + " (replica " + replica + ")");
      onPatched.accept(patch.get().toString());
      return true;
    } catch (KubernetesClientException e) {
      failures++;
      backOff(now);
      LOG.log(
          Level.WARNING,
          "cannot update caBundle of "
              + name
              + " ("
              + e.getCode()
              + ": "
              + firstLine(e.getMessage())
              + "); next attempt in "
              + Duration.between(now, notBefore).toMillis()
              + " ms");
      return false;
    }
  }

  private void backOff(Instant now) {
    Duration delay = backoff.after(failures);
    notBefore = now.plus(delay);
    wakeUp.accept(delay);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private Resource<MutatingWebhookConfiguration> resource() {
    return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name);
  }

  private final class ConfigWatcher implements Watcher<MutatingWebhookConfiguration> {
    @Override
    public void eventReceived(Action action, MutatingWebhookConfiguration config) {
      if (action == Action.ADDED || action == Action.MODIFIED) {
        wakeUp.accept(Duration.ZERO);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      LOG.log(Level.INFO, "watch of " + name + " closed (" + cause.getMessage() + "); restarting");
      watch.set(null);
      wakeUp.accept(Duration.ZERO);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    Watch current = watch.getAndSet(null);
    if (current != null) {
      current.close();
    }
  }
}
