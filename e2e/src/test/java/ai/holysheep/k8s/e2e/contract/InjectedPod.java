package ai.holysheep.k8s.e2e.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The pod the API server would store: the review's object with the webhook's JSON Patch applied,
 * plus what the kubelet makes of it (env, projected Secret files).
 */
record InjectedPod(Pod pod, String namespace, String name) {
  static final String PROXY = "holysheep-proxy";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Applies {@code response.patch} (base64 JSON Patch) to {@code request.object}.
   *
   * @param podName the name the API server generates from {@code generateName}
   */
  static InjectedPod from(JsonNode review, JsonNode response, String podName) throws IOException {
    assertEquals("JSONPatch", response.path("response").path("patchType").asText(), "patchType");
    JsonNode patch =
        JSON.readTree(Base64.getDecoder().decode(response.path("response").path("patch").asText()));
    JsonNode patched = JsonPatch.apply(patch, review.path("request").path("object"));
    Pod pod = JSON.treeToValue(patched, Pod.class);
    String generateName = pod.getMetadata().getGenerateName();
    if (generateName == null || !podName.startsWith(generateName)) {
      throw new IllegalArgumentException(
          podName + " is not made from generateName " + generateName);
    }
    return new InjectedPod(pod, review.path("request").path("namespace").asText(), podName);
  }

  Container container(String containerName) {
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    return all.stream()
        .filter(c -> c.getName().equals(containerName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + containerName + " in " + pod));
  }

  Container proxy() {
    return container(PROXY);
  }

  Map<String, String> env(String containerName) {
    return KubeletEnv.of(container(containerName), namespace, name);
  }

  /** Where the proxy container mounts {@code volumeName}. */
  String proxyMountPath(String volumeName) {
    return proxy().getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volumeName))
        .map(VolumeMount::getMountPath)
        .findFirst()
        .orElseThrow(() -> new AssertionError(PROXY + " does not mount " + volumeName));
  }

  /**
   * Writes the projected volume's files into {@code root} as the kubelet would: each item of each
   * {@code secret} source at {@code root/<item.path>}, from {@code secrets} (name -> key -> value);
   * an item of an absent Secret or key is skipped, as {@code optional: true} does.
   *
   * @return the files written
   */
  List<Path> projectSecrets(String volumeName, Path root, Map<String, Map<String, String>> secrets)
      throws IOException {
    Volume volume =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(volumeName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume " + volumeName));
    List<Path> written = new ArrayList<>();
    for (VolumeProjection source : volume.getProjected().getSources()) {
      if (source.getSecret() == null) {
        continue;
      }
      Map<String, String> data = secrets.getOrDefault(source.getSecret().getName(), Map.of());
      for (KeyToPath item : source.getSecret().getItems()) {
        String value = data.get(item.getKey());
        if (value != null) {
          Path file = root.resolve(item.getPath());
          Files.createDirectories(file.getParent());
          Files.writeString(file, value, StandardCharsets.UTF_8);
          written.add(file);
        }
      }
    }
    return written;
  }

  /** The value of annotation {@code holysheep.ai/status} as JSON. */
  JsonNode status() throws IOException {
    return JSON.readTree(pod.getMetadata().getAnnotations().get("holysheep.ai/status"));
  }
}
