package ai.holysheep.k8s.config;

import java.util.Objects;

/**
 * The primary or a fallback, in the order the sidecar tries them; {@code keyEnvVar} is the env
 * variable holding its key when no Secret file is mounted ({@code caFile} nullable).
 */
public record UpstreamSpec(
    String name,
    String baseUrl,
    SecretKeyRef apiKeySecretRef,
    String keyEnvVar,
    boolean allowInsecure,
    String caFile) {
  public UpstreamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiKeySecretRef, "apiKeySecretRef");
    Objects.requireNonNull(keyEnvVar, "keyEnvVar");
  }
}
