package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The objects of one {@code helm template} run, each parsed with the fabric8 model. */
record Rendered(String yaml, List<HasMetadata> objects) {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  static Rendered parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      Object parsed = Serialization.unmarshal(document);
      if (!(parsed instanceof HasMetadata object)) {
        return fail("rendered document is not a Kubernetes object:\n" + document);
      }
      objects.add(object);
    }
    return new Rendered(yaml, List.copyOf(objects));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    assertEquals(1, found.size(), () -> "expected exactly one " + type.getSimpleName());
    return found.get(0);
  }

  /** Objects of kinds fabric8 has no model for (cert-manager, Prometheus Operator). */
  List<GenericKubernetesResource> generic(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(resource -> kind.equals(resource.getKind()))
        .toList();
  }

  GenericKubernetesResource generic(String kind, String name) {
    return generic(kind).stream()
        .filter(resource -> name.equals(resource.getMetadata().getName()))
        .findFirst()
        .orElseGet(() -> fail("no " + kind + " named " + name));
  }

  List<String> kinds() {
    return objects.stream().map(HasMetadata::getKind).toList();
  }
}
