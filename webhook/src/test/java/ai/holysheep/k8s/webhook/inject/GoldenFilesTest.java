package ai.holysheep.k8s.webhook.inject;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares each golden case with what the injector (or the CLI) produces now. After a deliberate
 * template change run {@code mvn -pl webhook test -Dtest=GoldenFilesTest -Dgolden.update=true},
 * then review every changed file with {@code git diff} before keeping it.
 */
class GoldenFilesTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<GoldenCase> cases() throws IOException {
    return GoldenCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void producesTheGoldenOutput(GoldenCase golden) throws IOException {
    Map<String, String> actual = golden.actualFiles();
    StringBuilder problems = new StringBuilder();
    Path stale = golden.dir().resolve("expected.yaml");
    if (!actual.containsKey("expected.yaml") && Files.exists(stale)) {
      if (UPDATE) {
        Files.delete(stale);
      } else {
        problems.append(stale).append(" exists but the pod was not injected\n");
      }
    }
    for (Map.Entry<String, String> file : actual.entrySet()) {
      Path path = golden.dir().resolve(file.getKey());
      String expected = Files.exists(path) ? Files.readString(path) : null;
      if (file.getValue().equals(expected)) {
        continue;
      }
      if (UPDATE) {
        Files.writeString(path, file.getValue());
        continue;
      }
      problems
          .append(golden.dir().resolve(file.getKey()))
          .append(expected == null ? " is missing" : " differs")
          .append(" (-expected +actual):\n")
          .append(LineDiff.of(expected == null ? "" : expected, file.getValue()));
    }
    if (problems.length() > 0) {
      fail(problems + "\nrerun with -Dgolden.update=true to accept, then review git diff");
    }
  }

  @Test
  void coversEveryCaseTheIssueAsksFor() throws IOException {
    List<String> names = GoldenCase.all().map(GoldenCase::name).toList();
    for (String required :
        List.of(
            "deployment-cli",
            "bare-pod",
            "job-native",
            "job-denied-legacy-only",
            "already-injected",
            "older-version",
            "container-added-after-injection",
            "own-openai-base-url",
            "host-network",
            "istio-init-native",
            "istio-init-legacy",
            "opt-out-in-enabled-namespace",
            "override-timeout",
            "override-max-retries",
            "override-cpu",
            "override-memory",
            "override-native-sidecar-false",
            "override-inject-env-false",
            "override-proxy-port",
            "override-admin-port",
            "override-config",
            "invalid-annotations",
            "port-clash",
            "upstream-gateway",
            "upstream-gateway-chart-default",
            "upstream-direct-overrides-chart-default",
            "upstream-gateway-not-installed",
            "api-key-file",
            "cluster-config",
            "cluster-config-ambiguous",
            "cluster-config-named",
            "gateway-cli",
            "api-key-file-cli")) {
      assertTrue(names.contains(required), "missing golden case " + required + " in " + names);
    }
  }
}
