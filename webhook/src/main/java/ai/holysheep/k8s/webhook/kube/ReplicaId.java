package ai.holysheep.k8s.webhook.kube;

import java.util.Locale;
import java.util.Map;

/**
 * This replica's name in caBundle claims: the pod name (env {@code POD_NAME}, set by the chart),
 * else the host name (which Kubernetes sets to the pod name), made a valid annotation name part.
 */
public final class ReplicaId {
  static final int MAX_CHARS = 63;

  private ReplicaId() {}

  public static String of(Map<String, String> env) {
    String name = env.get("POD_NAME");
    if (name == null || name.isBlank()) {
      name = env.getOrDefault("HOSTNAME", "");
    }
    if (name.isBlank()) {
      try {
        name = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        name = "replica";
      }
    }
    return sanitize(name);
  }

  /** Lower-case letters, digits, {@code -}, {@code _} and {@code .}; alphanumeric at both ends. */
  static String sanitize(String name) {
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    if (cleaned.length() > MAX_CHARS) {
      cleaned = cleaned.substring(cleaned.length() - MAX_CHARS);
    }
    cleaned = cleaned.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
    return cleaned.isEmpty() ? "replica" : cleaned;
  }
}
