package ai.holysheep.k8s.e2e.contract;

import static ai.holysheep.k8s.e2e.contract.ContractFixtures.HTTP_TIMEOUT;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.admit;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.freeLoopbackPort;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.review;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.sidecarJar;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.webhookJar;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.writeCertificates;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.writeChartDefaultConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.e2e.sim.RecordedRequest;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook and the sidecar agree: a ReplicaSet-made pod goes through the real webhook jar over
 * HTTPS ({@code files} certificates from the certs module, the chart's default config with the
 * simulator as {@code baseUrl}); the returned JSON Patch is applied; the real sidecar jar runs with
 * exactly the injected container's env (downward API filled in) and the key file where the
 * projected volume puts it; an app using the injected app env gets a completion. The only test
 * substitutions: loopback ports (the pod's 15080/15081 are rewritten to the sidecar's ephemeral
 * ports), the secrets directory ({@code HOLYSHEEP_SECRETS_DIR}) and the jar/java paths of the hook.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSidecarContractIT {
  static final String SECRET = "holysheep-credentials";
  static final String SECRET_KEY = "api-key";
  static final String API_KEY = "sk-contract-" + UUID.randomUUID();
  static final Map<String, Map<String, String>> SECRETS =
      Map.of(SECRET, Map.of(SECRET_KEY, API_KEY));
  static final String POD_NAME = "chat-api-7d9f8c6b5-x7k2p";
  static final Pattern WEBHOOK_READY =
      Pattern.compile("^holysheep-webhook ready port=(\\d+) cert-mode=files kube=off$");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  Vertx vertx;
  Simulator simulator;
  JarProcess webhook;
  Path caFile;
  int webhookPort;
  JsonNode review;
  JsonNode reviewResponse;

  /** The fixture pod as is: default ports, rewritten to the sidecar's ephemeral ones. */
  PodRun defaults;

  /** The fixture pod with proxy/admin port annotations: its env is used unchanged. */
  PodRun overridden;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

  @BeforeAll
  void injectAndStartTheSidecars() throws Exception {
    vertx = Vertx.vertx();
    simulator =
        Simulator.start(vertx, SimulatorOptions.named("contract-upstream"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    Path tls = writeCertificates(work.resolve("tls"));
    caFile = tls.resolve("ca.crt");
    webhook =
        JarProcess.start(
            "webhook",
            webhookJar(),
            List.of(
                "serve",
                "--cert-mode",
                "files",
                "--tls-dir",
                tls.toString(),
                "--config",
                writeChartDefaultConfig(work.resolve("config.yaml"), simulator.baseUrl())
                    .toString(),
                "--no-kube",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--native-sidecar",
                "false",
                "--drain-delay",
                "0s"),
            Map.of(),
            WEBHOOK_READY);
    webhookPort = Integer.parseInt(webhook.awaitReady().group(1));

    review = review(Map.of());
    reviewResponse = admit(caFile, webhookPort, review);
    defaults =
        PodRun.start(
            InjectedPod.from(review, reviewResponse, POD_NAME),
            work.resolve("secrets-defaults"),
            SECRETS,
            sidecarJar(),
            List.of("--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"));

    int proxyPort = freeLoopbackPort();
    int adminPort = freeLoopbackPort();
    JsonNode annotated =
        review(
            Map.of(
                "holysheep.ai/proxy-port", String.valueOf(proxyPort),
                "holysheep.ai/admin-port", String.valueOf(adminPort)));
    overridden =
        PodRun.start(
            InjectedPod.from(annotated, admit(caFile, webhookPort, annotated), POD_NAME),
            work.resolve("secrets-overridden"),
            SECRETS,
            sidecarJar(),
            // the proxy listeners come from HOLYSHEEP_PROXY_PORT; the admin listener is kept on
            // loopback (its default host is 0.0.0.0), on the port the webhook put in the env
            List.of("--admin-listen", "127.0.0.1:" + adminPort));
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {overridden, defaults, webhook}) {
      if (c != null) {
        c.close();
      }
    }
    keepLogs();
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void webhookAnswersTheReviewWithAPatchThatAddsTheProxyAndTheAppEnv() throws Exception {
    JsonNode response = reviewResponse.path("response");
    assertEquals(review.path("request").path("uid").asText(), response.path("uid").asText());
    assertTrue(response.path("allowed").asBoolean(), reviewResponse.toString());
    InjectedPod pod = defaults.pod;
    assertEquals("legacy", pod.status().path("mode").asText());
    assertEquals(InjectedPod.PROXY, pod.pod().getSpec().getContainers().get(0).getName());

    Map<String, String> app = pod.env("api");
    String proxyUrl = "http://127.0.0.1:" + SidecarOptions.DEFAULT_PROXY_PORT + "/v1";
    assertEquals(proxyUrl, app.get("OPENAI_BASE_URL"));
    assertEquals(proxyUrl, app.get("HOLYSHEEP_BASE_URL"));
    assertFalse(app.get("OPENAI_API_KEY").isBlank());
    assertEquals("info", app.get("LOG_LEVEL"), "the app's own env is kept");
  }

  @Test
  void sidecarRunsOnTheConfigTheWebhookResolved() throws Exception {
    InjectedPod pod = defaults.pod;
    Map<String, String> env = defaults.sidecarEnv;
    assertEquals(pod.status().path("config").asText(), defaults.configHash);
    HolySheepConfig config = ConfigParser.parse(env.get("HOLYSHEEP_CONFIG"));
    assertEquals(simulator.baseUrl(), config.baseUrl());
    assertEquals(pod.namespace(), env.get("HOLYSHEEP_POD_NAMESPACE"));
    assertEquals(POD_NAME, env.get("HOLYSHEEP_POD_NAME"));
    assertFalse(env.containsKey("HOLYSHEEP_PROXY_PORT"), "default ports are not in env");
    assertFalse(env.containsKey("HOLYSHEEP_ADMIN_PORT"), "default ports are not in env");

    assertEquals(
        SidecarOptions.DEFAULT_SECRETS_DIR.toString(),
        pod.proxyMountPath(PodRun.SECRETS_VOLUME),
        "secrets mounted where the sidecar looks without HOLYSHEEP_SECRETS_DIR");
    assertEquals(
        List.of(defaults.secretsDir.resolve(SECRET).resolve(SECRET_KEY)), defaults.keyFiles);

    JsonNode status = JSON.readTree(get(defaults.adminUrl("/status")).body());
    assertEquals(defaults.configHash, status.path("config").path("hash").asText());
    JsonNode primary = status.path("upstreams").path(0);
    assertTrue(primary.path("keyPresent").asBoolean(), status.toString());
    assertEquals("file", primary.path("keySource").asText(), status.toString());
  }

  @Test
  void appUsingTheInjectedEnvGetsACompletionSignedWithTheKeyFromTheSecretFile() throws Exception {
    Map<String, String> app = defaults.pod.env("api");
    URI base = URI.create(app.get("OPENAI_BASE_URL"));
    assertEquals(SidecarOptions.DEFAULT_PROXY_PORT, base.getPort());
    URI testBase =
        new URI(
            base.getScheme(), null, base.getHost(), defaults.proxyPort, base.getPath(), null, null);

    assertCompletionThroughTheSidecar(testBase, app.get("OPENAI_API_KEY"));
  }

  @Test
  void injectedProbesAnswerOnTheSidecarsAdminPort() throws Exception {
    Container proxy = defaults.pod.proxy();
    ContainerPort admin = proxy.getPorts().get(0);
    assertEquals(SidecarOptions.DEFAULT_ADMIN_PORT, admin.getContainerPort());
    for (Probe probe :
        List.of(proxy.getStartupProbe(), proxy.getReadinessProbe(), proxy.getLivenessProbe())) {
      assertEquals(admin.getName(), probe.getHttpGet().getPort().getStrVal());
      String path = probe.getHttpGet().getPath();
      assertEquals(200, get(defaults.adminUrl(path)).statusCode(), path);
    }
    assertEquals("/ready", proxy.getReadinessProbe().getHttpGet().getPath());
  }

  @Test
  void legacyPostStartWaitCommandExitsZeroAgainstTheRunningSidecar() throws Exception {
    List<String> hook = postStart(defaults);
    assertEquals(
        List.of(
            "java",
            "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1",
            "-XX:+UseSerialGC",
            "-Xmx16m",
            "-XX:-UsePerfData",
            "-jar",
            "/app/holysheep-sidecar.jar",
            "wait",
            "--timeout",
            "60s"),
        hook);
    Map<String, String> env = new HashMap<>(defaults.sidecarEnv);
    // the pod's admin port 15081 is the sidecar's ephemeral test port here
    env.put("HOLYSHEEP_ADMIN_PORT", String.valueOf(defaults.adminPort));

    assertEquals(0, runHook(hook, env));
  }

  @Test
  void portAnnotationsReachTheSidecarAndTheAppThroughTheEnvUnchanged() throws Exception {
    InjectedPod pod = overridden.pod;
    Map<String, String> env = overridden.sidecarEnv;
    assertEquals(String.valueOf(overridden.proxyPort), env.get("HOLYSHEEP_PROXY_PORT"));
    assertEquals(String.valueOf(overridden.adminPort), env.get("HOLYSHEEP_ADMIN_PORT"));
    assertEquals(overridden.adminPort, pod.proxy().getPorts().get(0).getContainerPort());

    Map<String, String> app = pod.env("api");
    assertEquals("http://127.0.0.1:" + overridden.proxyPort + "/v1", app.get("OPENAI_BASE_URL"));
    assertCompletionThroughTheSidecar(
        URI.create(app.get("OPENAI_BASE_URL")), app.get("OPENAI_API_KEY"));

    List<String> hook = postStart(overridden);
    assertEquals(
        List.of("--admin-url", "http://127.0.0.1:" + overridden.adminPort),
        hook.subList(hook.size() - 2, hook.size()));
    assertEquals(0, runHook(hook, env));
  }

  @Test
  void neitherJarPrintsTheSlf4jNoProviderWarning() {
    assertFalse(webhook.stderr().contains("SLF4J"), webhook.output());
    for (PodRun run : List.of(defaults, overridden)) {
      assertFalse(run.sidecar.stderr().contains("SLF4J"), run.sidecar.output());
    }
  }

  private void assertCompletionThroughTheSidecar(URI base, String appKey) throws Exception {
    simulator.clearReceived();
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .timeout(HTTP_TIMEOUT)
                .header("Authorization", "Bearer " + appKey)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"sim-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("primary", answer.headers().firstValue("x-holysheep-upstream").orElse(null));
    String text =
        JSON.readTree(answer.body())
            .path("choices")
            .path(0)
            .path("message")
            .path("content")
            .asText();
    assertTrue(text.contains("contract-upstream"), text);
    List<String> authorizations = new ArrayList<>();
    for (RecordedRequest r : simulator.received()) {
      if (r.path().endsWith("/chat/completions")) {
        authorizations.add(r.header("Authorization"));
      }
    }
    assertEquals(
        List.of("Bearer " + API_KEY), authorizations, "the key from the file, not the app's");
    assertNotEquals(API_KEY, appKey);
  }

  /** The children's output, for reading after a failure: target/contract-logs/. */
  private void keepLogs() throws Exception {
    Path dir = Path.of("target", "contract-logs");
    Files.createDirectories(dir);
    if (webhook != null) {
      Files.writeString(dir.resolve("webhook.log"), webhook.output());
    }
    if (defaults != null) {
      Files.writeString(dir.resolve("sidecar-defaults.log"), defaults.sidecar.output());
    }
    if (overridden != null) {
      Files.writeString(dir.resolve("sidecar-overridden.log"), overridden.sidecar.output());
    }
  }

  private static List<String> postStart(PodRun run) {
    return run.pod.proxy().getLifecycle().getPostStart().getExec().getCommand();
  }

  /**
   * Runs the exec hook with the local java and sidecar jar in place of the image's, and the hook's
   * own JVM flags (a flag this JVM refused would fail the hook in the pod too).
   */
  private static int runHook(List<String> hook, Map<String, String> env) throws Exception {
    int jar = hook.indexOf("-jar");
    assertEquals("java", hook.get(0));
    assertEquals("/app/holysheep-sidecar.jar", hook.get(jar + 1));
    List<String> local = new ArrayList<>(hook);
    local.set(0, JarProcess.javaBinary());
    local.set(jar + 1, sidecarJar().toString());
    try (JarProcess wait = JarProcess.exec("wait", local, env)) {
      int code = wait.awaitExit(Duration.ofSeconds(30));
      assertTrue(wait.stdout().contains("ready"), wait.output());
      return code;
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
