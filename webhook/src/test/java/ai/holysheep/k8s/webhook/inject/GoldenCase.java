package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One folder under {@code src/test/resources/golden}: {@code input.yaml}, optional {@code
 * context.yaml}, and the expected {@code outcome.yaml} (+ {@code expected.yaml} for an injected
 * pod, or the CLI's stdout for a {@code cli} case).
 *
 * <p>{@code context.yaml} keys (all optional): {@code scope} (NAMESPACE|POD|OFFLINE, default
 * NAMESPACE), {@code namespace}, {@code nativeSupport} (ALL_NATIVE|NOT_ALL_NATIVE|UNKNOWN, default
 * ALL_NATIVE), {@code chartDefault} (a spec), {@code configs} (map "ns/name" to spec), {@code
 * runAsUser} (number or null), {@code cli} (list of extra CLI args: run InjectCommand on input.yaml
 * instead of the injector), {@code defaultUpstream} (direct|gateway), {@code gateway} ({@code url},
 * {@code caFile} relative to the case folder, {@code audience}), {@code clusterConfig} ({@code
 * namespace}, {@code name}).
 */
record GoldenCase(String name, Path dir) {
  static final Path ROOT = Path.of("src", "test", "resources", "golden");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final Injector DEFAULT_INJECTOR = Injector.create(InjectorOptions.defaults());

  static Stream<GoldenCase> all() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs
          .filter(Files::isDirectory)
          .sorted()
          .map(d -> new GoldenCase(d.getFileName().toString(), d))
          .toList()
          .stream();
    }
  }

  @Override
  public String toString() {
    return name;
  }

  String input() throws IOException {
    return Files.readString(dir.resolve("input.yaml"));
  }

  JsonNode context() throws IOException {
    Path file = dir.resolve("context.yaml");
    if (!Files.exists(file)) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node = Yaml.read(Files.readString(file));
    return node == null ? JsonNodeFactory.instance.objectNode() : node;
  }

  boolean isCli() throws IOException {
    return context().has("cli");
  }

  Pod inputPod() throws IOException {
    return SERIALIZATION.unmarshal(input(), Pod.class);
  }

  Injector injector() throws IOException {
    JsonNode ctx = context();
    InjectorOptions options = InjectorOptions.defaults();
    if (ctx.has("runAsUser")) {
      options =
          options.withRunAsUser(
              ctx.get("runAsUser").isNull() ? null : ctx.get("runAsUser").asLong());
    }
    return Injector.create(options.withRouting(routing(ctx)));
  }

  UpstreamRouting routing(JsonNode ctx) throws IOException {
    GatewayUpstream gateway = null;
    if (ctx.has("gateway")) {
      JsonNode g = ctx.get("gateway");
      String ca = Files.readString(dir.resolve(g.path("caFile").asText("ca.crt")));
      gateway =
          new GatewayUpstream(
              g.get("url").asText(),
              () -> ca,
              g.path("audience").asText(GatewayUpstream.DEFAULT_AUDIENCE));
    }
    JsonNode cluster = ctx.path("clusterConfig");
    return new UpstreamRouting(
        Upstream.parse(ctx.path("defaultUpstream").asText("direct")),
        gateway,
        cluster.isMissingNode()
            ? ClusterConfig.none()
            : new ClusterConfig(
                cluster.get("namespace").asText(),
                cluster.hasNonNull("name") ? cluster.get("name").asText() : null));
  }

  InjectionContext injectionContext() throws IOException {
    JsonNode ctx = context();
    Map<String, JsonNode> configs = new LinkedHashMap<>();
    ctx.path("configs").properties().forEach(e -> configs.put(e.getKey(), e.getValue()));
    JsonNode chartDefault =
        ctx.has("chartDefault") ? ctx.get("chartDefault") : JsonNodeFactory.instance.objectNode();
    return new InjectionContext(
        Scope.valueOf(ctx.path("scope").asText("NAMESPACE")),
        ctx.hasNonNull("namespace") ? ctx.get("namespace").asText() : null,
        false,
        ConfigSource.of(chartDefault, configs),
        NodeVersions.fixed(NativeSupport.valueOf(ctx.path("nativeSupport").asText("ALL_NATIVE"))));
  }

  InjectionResult inject() throws IOException {
    return injector().inject(inputPod(), injectionContext());
  }

  /** File name to expected text, as this build computes it now. */
  Map<String, String> actualFiles() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    if (isCli()) {
      List<String> args = new ArrayList<>();
      context().get("cli").forEach(a -> args.add(a.asText()));
      args.add("-f");
      args.add("-");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          InjectCommand.run(
              args.toArray(String[]::new),
              new ByteArrayInputStream(input().getBytes(StandardCharsets.UTF_8)),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      ObjectNode outcome = JsonNodeFactory.instance.objectNode();
      outcome.put("exitCode", code);
      var lines = outcome.putArray("stderr");
      err.toString(StandardCharsets.UTF_8).lines().forEach(lines::add);
      files.put("outcome.yaml", Yaml.write(outcome));
      files.put("expected.yaml", out.toString(StandardCharsets.UTF_8));
      return files;
    }
    InjectionResult result = inject();
    files.put("outcome.yaml", Yaml.write(outcome(result)));
    if (result instanceof InjectionResult.Injected injected) {
      files.put("expected.yaml", podYaml(injected.pod()));
    }
    return files;
  }

  static ObjectNode outcome(InjectionResult result) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (result instanceof InjectionResult.Injected i) {
      node.put("result", "injected");
      i.warnings().forEach(node.withArrayProperty("warnings")::add);
    } else if (result instanceof InjectionResult.Skipped s) {
      node.put("result", "skipped");
      node.put("reason", s.reason());
      s.warnings().forEach(node.withArrayProperty("warnings")::add);
    } else if (result instanceof InjectionResult.Denied d) {
      node.put("result", "denied");
      node.put("message", d.message());
    }
    return node;
  }

  static String podYaml(Pod pod) {
    return Yaml.write(PodPatch.toTree(pod));
  }
}
