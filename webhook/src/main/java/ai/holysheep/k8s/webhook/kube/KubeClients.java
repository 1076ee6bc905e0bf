package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * The webhook's API client settings. One call fails fast (a few HTTP retries, bounded timeouts),
 * and whoever made it retries on its own schedule: informers forever with fabric8's exponential
 * backoff (starting at {@link #WATCH_RECONNECT_INTERVAL}, capped at 32 times that), the refresh
 * loop at its next tick. fabric8's defaults (10 HTTP retries up to 3.2 s apart, 1 s × 32 for
 * watches) made one failing list take about 20 s and a recovered API server wait up to 32 s for the
 * next attempt.
 */
public final class KubeClients {
  /** First informer or watch retry; doubled per failure up to 32 × this (8 s). */
  public static final Duration WATCH_RECONNECT_INTERVAL = Duration.ofMillis(250);

  /** HTTP-level retries of one request (connect errors, 5xx) before it fails to its caller. */
  public static final int REQUEST_RETRIES = 2;

  /** First HTTP-level retry delay; doubled per retry. */
  public static final Duration REQUEST_RETRY_BACKOFF = Duration.ofMillis(200);

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Bound on one non-watch request: a stalled API server never holds a refresh for longer. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private KubeClients() {}

  /** {@code config} (kubeconfig or in-cluster, as auto-configured) with the settings above. */
  public static Config tune(Config config) {
    return new ConfigBuilder(config)
        .withWatchReconnectInterval((int) WATCH_RECONNECT_INTERVAL.toMillis())
        .withWatchReconnectLimit(-1)
        .withRequestRetryBackoffLimit(REQUEST_RETRIES)
        .withRequestRetryBackoffInterval((int) REQUEST_RETRY_BACKOFF.toMillis())
        .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
        .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
        .build();
  }

  /** A client for the cluster this process runs in (or {@code KUBECONFIG}). */
  public static KubernetesClient create() {
    return create(Config.autoConfigure(null));
  }

  public static KubernetesClient create(Config config) {
    return new KubernetesClientBuilder().withConfig(tune(config)).build();
  }
}
