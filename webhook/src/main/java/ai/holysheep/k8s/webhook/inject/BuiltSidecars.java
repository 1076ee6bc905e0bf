package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sidecar container, its volumes and the hashes written to {@code holysheep.ai/status}, built
 * once per set of inputs ({@link SidecarSettings}: template, config, mode, overrides, resources)
 * and shared by every pod that has those inputs: a namespace's pods differ in their apps, not in
 * their sidecar. Bounded (least recently used out). The shared objects are never modified:
 * injection adds them to a pod's lists, and every later pass works on a deep copy of the pod.
 */
final class BuiltSidecars {
  /** Distinct sidecars kept (namespaces × override combinations in use). */
  static final int MAX_ENTRIES = 256;

  record Built(Container container, List<Volume> volumes, String inputsHash, String configHash) {}

  private final AtomicLong builds = new AtomicLong();

  /** The JSON tree of each shared part, by identity, so a patch never serializes it again. */
  private final Map<Object, JsonNode> trees = new IdentityHashMap<>();

  private final Map<SidecarSettings, Built> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SidecarSettings, Built> eldest) {
          if (size() <= MAX_ENTRIES) {
            return false;
          }
          trees.remove(eldest.getValue().container());
          eldest.getValue().volumes().forEach(trees::remove);
          return true;
        }
      };

  synchronized Built get(SidecarSettings settings) {
    return cache.computeIfAbsent(
        settings,
        s -> {
          builds.incrementAndGet();
          Built built =
              new Built(
                  SidecarTemplate.build(s),
                  List.copyOf(SidecarVolumes.build(s)),
                  InputsHash.of(s),
                  s.config().hash());
          trees.put(built.container(), PodPatch.partTree(built.container()));
          built.volumes().forEach(v -> trees.put(v, PodPatch.partTree(v)));
          return built;
        });
  }

  /** The tree of a shared part (read only), or null when {@code part} is not one. */
  synchronized JsonNode treeOf(Object part) {
    return trees.get(part);
  }

  /** How many sidecars have been built (not served from the cache) so far. */
  long builds() {
    return builds.get();
  }
}
