package ai.holysheep.k8s.webhook.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps every webhook entry's {@code caBundle} of one MutatingWebhookConfiguration equal to the
 * desired bundle: on each watch event (a re-applied configuration heals itself), when the bundle
 * changes, and on {@link #reconcile()} (the periodic resync). Patches are JSON Patches with a
 * {@code test} of the entry's name, so a concurrently reordered list is never patched blindly.
 */
public final class CaBundleReconciler implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CaBundleReconciler.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String name;
  private final AtomicReference<String> desiredBase64 = new AtomicReference<>();
  private final AtomicReference<Watch> watch = new AtomicReference<>();
  private volatile Consumer<String> onPatched = bundle -> {};
  private volatile boolean closed;

  public CaBundleReconciler(KubernetesClient client, String webhookConfigName) {
    this.client = client;
    this.name = webhookConfigName;
  }

  /** Called after each successful patch with the base64 bundle written (for tests and logs). */
  public void onPatched(Consumer<String> listener) {
    this.onPatched = Objects.requireNonNull(listener);
  }

  /** Sets the PEM bundle to enforce and reconciles at once (blocking). */
  public void desire(String caBundlePem) {
    desiredBase64.set(
        Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII)));
    reconcile();
  }

  /** Starts the watch unless it is running; called again on every resync tick. */
  public synchronized void ensureWatching() {
    if (watch.get() == null) {
      try {
        watch();
      } catch (KubernetesClientException e) {
        LOG.log(
            Level.WARNING,
            "cannot watch " + name + " (retrying on the next tick): " + e.getMessage());
      }
    }
  }

  public synchronized void watch() {
    if (closed) {
      return;
    }
    watch.set(
        resource()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, MutatingWebhookConfiguration config) {
                    if (action == Action.ADDED || action == Action.MODIFIED) {
                      reconcile(config);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    LOG.log(
                        Level.INFO,
                        "watch of " + name + " closed (" + cause.getMessage() + "); restarting");
                    watch.set(null);
                    ensureWatching();
                  }
                }));
  }

  /** Reads the configuration and patches it if needed; blocking. */
  public void reconcile() {
    try {
      MutatingWebhookConfiguration config = resource().get();
      if (config != null) {
        reconcile(config);
      }
    } catch (KubernetesClientException e) {
      LOG.log(
          Level.WARNING,
          "cannot read MutatingWebhookConfiguration " + name + ": " + e.getMessage());
    }
  }

  private synchronized void reconcile(MutatingWebhookConfiguration config) {
    String desired = desiredBase64.get();
    if (desired == null || config.getWebhooks() == null) {
      return;
    }
    ArrayNode patch = JSON.createArrayNode();
    List<MutatingWebhook> webhooks = config.getWebhooks();
    for (int i = 0; i < webhooks.size(); i++) {
      MutatingWebhook webhook = webhooks.get(i);
      String actual =
          webhook.getClientConfig() == null ? null : webhook.getClientConfig().getCaBundle();
      if (desired.equals(actual)) {
        continue;
      }
      String entry = "/webhooks/" + i;
      patch
          .addObject()
          .put("op", "test")
          .put("path", entry + "/name")
          .put("value", webhook.getName());
      if (webhook.getClientConfig() == null) {
        patch
            .addObject()
            .put("op", "add")
            .put("path", entry + "/clientConfig")
            .putObject("value")
            .put("caBundle", desired);
      } else {
        patch
            .addObject()
            .put("op", "add")
            .put("path", entry + "/clientConfig/caBundle")
            .put("value", desired);
      }
    }
    if (patch.isEmpty()) {
      return;
    }
    try {
      resource().patch(PatchContext.of(PatchType.JSON), patch.toString());
      LOG.log(Level.INFO, "patched caBundle of " + name);
      onPatched.accept(desired);
    } catch (KubernetesClientException e) {
      LOG.log(
          Level.WARNING, "cannot patch caBundle of " + name + " (will retry): " + e.getMessage());
    }
  }

  private Resource<MutatingWebhookConfiguration> resource() {
    return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name);
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
