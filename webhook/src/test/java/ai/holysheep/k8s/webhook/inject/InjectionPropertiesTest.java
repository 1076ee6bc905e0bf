package ai.holysheep.k8s.webhook.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties that hold for every golden pod input, whatever its expected outcome. */
class InjectionPropertiesTest {
  /** Paths outside the pod's lists that injection may touch. */
  private static final Pattern OWNED_PATH =
      Pattern.compile(
          "^/metadata/annotations(/holysheep\\.ai~1status|/kubectl\\.kubernetes\\.io~1default-container)?$"
              + "|^/spec/(initContainers|volumes)$");

  private static final Pattern LIST_ITEM =
      Pattern.compile("^/spec/(containers|initContainers|volumes)/(\\d+)(/.*)?$");

  private static boolean ours(String name) {
    return SidecarNames.CONTAINER.equals(name) || SidecarNames.VOLUMES.contains(name);
  }

  static Stream<GoldenCase> podCases() throws IOException {
    return GoldenCase.all()
        .filter(
            c -> {
              try {
                return !c.isCli();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podCases")
  void injectingTwiceEqualsInjectingOnce(GoldenCase golden) throws IOException {
    InjectionResult first = golden.inject();
    if (!(first instanceof InjectionResult.Injected once)) {
      return; // skipped and denied pods have no second pass to compare
    }
    InjectionResult second = golden.injector().inject(once.pod(), golden.injectionContext());
    Pod twice = assertInstanceOf(InjectionResult.Injected.class, second).pod();
    assertEquals(
        List.of().toString(),
        PodPatch.diff(once.pod(), twice).toString(),
        "second pass changed the pod");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podCases")
  void neverMutatesItsInput(GoldenCase golden) throws IOException {
    Pod input = golden.inputPod();
    String before = GoldenCase.podYaml(input);
    golden.injector().inject(input, golden.injectionContext());
    assertEquals(before, GoldenCase.podYaml(input));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podCases")
  void patchTouchesOnlyWhatInjectionOwns(GoldenCase golden) throws IOException {
    Pod input = golden.inputPod();
    InjectionResult result = golden.inject();
    if (!(result instanceof InjectionResult.Injected injected)) {
      return;
    }
    JsonNode patch = PodPatch.diff(input, injected.pod());
    JsonNode before = PodPatch.toTree(input);
    JsonNode after = PodPatch.toTree(injected.pod());
    List<String> foreign = new ArrayList<>();
    for (JsonNode op : patch) {
      String path = op.get("path").asText();
      Matcher item = LIST_ITEM.matcher(path);
      boolean allowed;
      if (!item.matches()) {
        allowed = OWNED_PATH.matcher(path).matches();
      } else {
        String list = "/spec/" + item.group(1) + "/" + item.group(2);
        String inner = item.group(3);
        if (inner == null && "remove".equals(op.get("op").asText())) {
          allowed = ours(before.at(list + "/name").asText());
        } else if (inner == null) {
          allowed = ours(op.path("value").path("name").asText());
        } else {
          allowed =
              ours(after.at(list + "/name").asText())
                  || ("containers".equals(item.group(1))
                      && (inner.equals("/env") || inner.startsWith("/env/")));
        }
      }
      if (!allowed) {
        foreign.add(op.toString());
      }
    }
    assertTrue(foreign.isEmpty(), "operations outside injection's paths: " + foreign);
  }
}
