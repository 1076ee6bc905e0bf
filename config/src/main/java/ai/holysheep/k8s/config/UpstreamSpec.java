package ai.holysheep.k8s.config;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The primary or a fallback, in the order the sidecar tries them. The key comes from a Secret file
 * ({@code apiKeySecretRef}) or from {@code apiKeyFile}, exactly one of them; {@code keyEnvVar} is
 * the env variable holding the key when no file is there. {@code caFile}, {@code caPem} nullable;
 * {@code models} empty means the upstream serves every model unchanged.
 */
public record UpstreamSpec(
    String name,
    String baseUrl,
    SecretKeyRef apiKeySecretRef,
    String keyEnvVar,
    boolean allowInsecure,
    String caFile,
    String apiKeyFile,
    String caPem,
    Map<String, String> models) {
  public UpstreamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    requireOneKeySource(apiKeySecretRef, apiKeyFile);
    Objects.requireNonNull(keyEnvVar, "keyEnvVar");
    models = sortedCopy(models);
  }

  /** An upstream keyed by a Secret, with no inline CA, serving every model. */
  public UpstreamSpec(
      String name,
      String baseUrl,
      SecretKeyRef apiKeySecretRef,
      String keyEnvVar,
      boolean allowInsecure,
      String caFile) {
    this(name, baseUrl, apiKeySecretRef, keyEnvVar, allowInsecure, caFile, null, null, Map.of());
  }

  /**
   * Whether a request for {@code model} may go to this upstream: always when it lists no models or
   * the request names none (e.g. {@code GET /models}), else only for a listed model.
   */
  public boolean serves(String model) {
    return models.isEmpty() || model == null || models.containsKey(model);
  }

  /** The name this upstream knows {@code model} by (unchanged when it is not mapped). */
  public String upstreamModel(String model) {
    return model == null ? null : models.getOrDefault(model, model);
  }

  static void requireOneKeySource(SecretKeyRef secretRef, String file) {
    if ((secretRef == null) == (file == null)) {
      throw new IllegalArgumentException(
          "exactly one of apiKeySecretRef and apiKeyFile must be set, got "
              + (secretRef == null ? "neither" : "both"));
    }
  }

  static Map<String, String> sortedCopy(Map<String, String> models) {
    return models == null || models.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(models));
  }
}
