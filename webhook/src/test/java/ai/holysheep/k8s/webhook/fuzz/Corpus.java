package ai.holysheep.k8s.webhook.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reviews mutations start from: the real AdmissionReview fixtures ({@code admission/}) and
 * every golden input that is a Pod, wrapped the way the API server wraps a pod it is creating.
 */
final class Corpus {
  static final Path RESOURCES = Path.of("src", "test", "resources");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private Corpus() {}

  static List<ObjectNode> load() {
    List<ObjectNode> reviews = new ArrayList<>();
    try (Stream<Path> fixtures = Files.list(RESOURCES.resolve("admission"))) {
      for (Path file : fixtures.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        reviews.add((ObjectNode) JSON.readTree(file.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode template =
        reviews.stream()
            .filter(r -> "Pod".equals(r.path("request").path("object").path("kind").asText()))
            .findFirst()
            .orElseThrow();
    try (Stream<Path> cases = Files.list(RESOURCES.resolve("golden"))) {
      for (Path dir : cases.sorted().toList()) {
        Path input = dir.resolve("input.yaml");
        if (!Files.exists(input)) {
          continue;
        }
        JsonNode pod = YAML.readTree(input.toFile());
        if (pod != null && "Pod".equals(pod.path("kind").asText())) {
          reviews.add(wrap(template, pod, dir.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(reviews);
  }

  private static ObjectNode wrap(ObjectNode template, JsonNode pod, String name) {
    ObjectNode review = template.deepCopy();
    ObjectNode request = (ObjectNode) review.get("request");
    request.put("uid", "golden-" + name);
    request.put("namespace", pod.path("metadata").path("namespace").asText("default"));
    request.set("object", pod);
    request.remove("oldObject");
    return review;
  }
}
