package ai.holysheep.k8s.config;

import java.util.Objects;

/** An upstream tried after the primary; it always names its own key ({@code caFile} nullable). */
public record FallbackSpec(
    String name,
    String baseUrl,
    SecretKeyRef apiKeySecretRef,
    boolean allowInsecure,
    String caFile) {
  public FallbackSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiKeySecretRef, "apiKeySecretRef");
  }
}
