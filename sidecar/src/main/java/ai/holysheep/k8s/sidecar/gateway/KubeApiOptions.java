package ai.holysheep.k8s.sidecar.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the gateway reaches the Kubernetes API server: in a pod, the in-cluster credentials (the
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} env, the ServiceAccount token file, re-read when
 * the kubelet rotates it, and the cluster CA file).
 */
public record KubeApiOptions(
    URI server, Path tokenFile, Path caFile, Duration timeout, int maxInFlight) {
  public static final Path SERVICE_ACCOUNT_DIR =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** Bound on one API call; past it the caller gets a 503 that says the API server was slow. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** API calls in flight at once; more get a 503 at once instead of queueing behind a slow API. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;

  public KubeApiOptions {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(timeout, "timeout");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + "; allowed: at least 1");
    }
  }

  /**
   * The in-cluster API server from {@code KUBERNETES_SERVICE_HOST} and {@code
   * KUBERNETES_SERVICE_PORT}, the way client-go finds it.
   *
   * @throws IllegalArgumentException naming the variable when it is missing or bad
   */
  public static KubeApiOptions inCluster(Map<String, String> env) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "KUBERNETES_SERVICE_HOST is not set: the gateway authenticates callers with the"
              + " Kubernetes TokenReview API and must run in a pod (or pass --kube-api URL)");
    }
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    try {
      return of(URI.create("https://" + hostPart + ":" + Integer.parseInt(port.trim())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "KUBERNETES_SERVICE_HOST/PORT: \"" + host + "\":\"" + port + "\" is not a host and port",
          e);
    }
  }

  /** {@code server} with the pod's ServiceAccount credentials and default bounds. */
  public static KubeApiOptions of(URI server) {
    return new KubeApiOptions(
        server,
        SERVICE_ACCOUNT_DIR.resolve("token"),
        SERVICE_ACCOUNT_DIR.resolve("ca.crt"),
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_IN_FLIGHT);
  }

  public KubeApiOptions withCredentials(Path token, Path ca) {
    return new KubeApiOptions(server, token, ca, timeout, maxInFlight);
  }

  public KubeApiOptions withBounds(Duration callTimeout, int inFlight) {
    return new KubeApiOptions(server, tokenFile, caFile, callTimeout, inFlight);
  }
}
