package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.config.SecretKeyRef;
import ai.holysheep.k8s.config.UpstreamSpec;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sidecar's volumes: the projected key Secrets (and, for the gateway, the ServiceAccount token)
 * and a small in-memory {@code /tmp}. Without any key to project (keys in {@code apiKeyFile}s)
 * there is no secrets volume at all.
 */
final class SidecarVolumes {
  /** Vert.x file cache and JVM scratch only; counts against the container's memory. */
  static final Quantity TMP_SIZE_LIMIT = new Quantity("16Mi");

  private SidecarVolumes() {}

  static List<Volume> build(SidecarSettings settings) {
    Volume secrets = secrets(settings.config(), settings.gateway());
    return hasSources(secrets) ? List.of(secrets, tmp()) : List.of(tmp());
  }

  static boolean hasSources(Volume secrets) {
    return !secrets.getProjected().getSources().isEmpty();
  }

  /**
   * One projected {@code secret} source per distinct Secret (primary, fallbacks, Redis), each key
   * at {@code <secretName>/<key>}; {@code optional: true} so a missing Secret disables that
   * upstream in the sidecar instead of blocking the pod from starting.
   */
  static Volume secrets(HolySheepConfig config, GatewayUpstream gateway) {
    Map<String, Set<String>> keysBySecret = new LinkedHashMap<>();
    List<SecretKeyRef> refs = new ArrayList<>();
    for (UpstreamSpec upstream : config.upstreams()) {
      if (upstream.apiKeySecretRef() != null) { // an apiKeyFile upstream needs no Secret
        refs.add(upstream.apiKeySecretRef());
      }
    }
    if (config.cache().redisSecretRef() != null) {
      refs.add(config.cache().redisSecretRef());
    }
    for (SecretKeyRef ref : refs) {
      keysBySecret.computeIfAbsent(ref.name(), n -> new LinkedHashSet<>()).add(ref.key());
    }
    List<VolumeProjection> sources = new ArrayList<>();
    keysBySecret.forEach(
        (secret, keys) -> {
          List<KeyToPath> items = new ArrayList<>();
          for (String key : keys) {
            items.add(
                new KeyToPathBuilder()
                    .withKey(key)
                    .withPath(new SecretKeyRef(secret, key).mountPath())
                    .build());
          }
          sources.add(
              new VolumeProjectionBuilder()
                  .withNewSecret()
                  .withName(secret)
                  .withItems(items)
                  .withOptional(true)
                  .endSecret()
                  .build());
        });
    if (gateway != null) {
      // Rotated by the kubelet, never stored in a Secret: the sidecar's key for the gateway.
      sources.add(
          new VolumeProjectionBuilder()
              .withNewServiceAccountToken()
              .withAudience(gateway.audience())
              .withExpirationSeconds(GatewayUpstream.TOKEN_EXPIRATION_SECONDS)
              .withPath(GatewayUpstream.TOKEN_PATH)
              .endServiceAccountToken()
              .build());
    }
    return new VolumeBuilder()
        .withName(SidecarNames.SECRETS_VOLUME)
        .withNewProjected()
        .withSources(sources)
        .endProjected()
        .build();
  }

  static Volume tmp() {
    return new VolumeBuilder()
        .withName(SidecarNames.TMP_VOLUME)
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(TMP_SIZE_LIMIT)
        .endEmptyDir()
        .build();
  }
}
