package ai.holysheep.k8s.config;

import java.util.Map;
import java.util.Objects;

/**
 * An upstream tried after the primary; it always names its own key: a Secret ({@code
 * apiKeySecretRef}) or a file ({@code apiKeyFile}), exactly one of them. {@code caFile} and {@code
 * caPem} are nullable; {@code models} maps requested model names to this upstream's names, and when
 * not empty the upstream serves only those models.
 */
public record FallbackSpec(
    String name,
    String baseUrl,
    SecretKeyRef apiKeySecretRef,
    boolean allowInsecure,
    String caFile,
    String apiKeyFile,
    String caPem,
    Map<String, String> models) {
  public FallbackSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    UpstreamSpec.requireOneKeySource(apiKeySecretRef, apiKeyFile);
    models = UpstreamSpec.sortedCopy(models);
  }

  /** A fallback keyed by a Secret, serving every model. */
  public FallbackSpec(
      String name,
      String baseUrl,
      SecretKeyRef apiKeySecretRef,
      boolean allowInsecure,
      String caFile) {
    this(name, baseUrl, apiKeySecretRef, allowInsecure, caFile, null, null, Map.of());
  }
}
