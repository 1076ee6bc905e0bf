package ai.holysheep.k8s.e2e.contract;

import static ai.holysheep.k8s.e2e.contract.ContractFixtures.admit;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.review;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.trusting;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.webhookJar;
import static ai.holysheep.k8s.e2e.contract.ContractFixtures.writeCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.admission.RawConnection;
import ai.holysheep.k8s.webhook.kube.FakeApiServer;
import ai.holysheep.k8s.webhook.kube.HolySheepConfigs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real webhook jar through a replica's life: started while its API server refuses connections
 * (a control-plane upgrade, a NetworkPolicy applied a moment later), ready soon after the API
 * server is back and injecting with the namespace's HolySheepConfig; then a rollout's SIGTERM
 * arriving with admissions in flight on kept-alive connections: every one is answered, answers
 * during the drain carry {@code Connection: close}, the log survives, and the process exits 0. One
 * process for both, in order, since the second starts where the first ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookLifecycleIT {
  /** How long the API server refuses connections after the webhook starts (issue 9: 30 s). */
  static final Duration OUTAGE = Duration.parse(System.getProperty("holysheep.outage", "PT30S"));

  /** Bound on becoming ready once the API server is back. */
  static final Duration READY_AFTER_OUTAGE = Duration.ofSeconds(30);

  static final Duration DRAIN = Duration.ofSeconds(3);
  static final int IN_FLIGHT = 12;
  static final Pattern LISTENING =
      Pattern.compile("^holysheep-webhook listening port=(\\d+) cert-mode=files kube=on$");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  FakeApiServer api;
  KubernetesClient admin;
  JarProcess webhook;
  Path caFile;
  int port;
  SSLContext trust;

  @BeforeAll
  void startWhileTheApiServerRefuses() throws Exception {
    api = new FakeApiServer();
    admin = api.mock().client();
    HolySheepConfigs.apply(admin, "chat", "default", Map.of("timeout", "17s", "maxRetries", 1));
    Path tls = writeCertificates(work.resolve("tls"));
    caFile = tls.resolve("ca.crt");
    trust = trusting(caFile);
    api.refuseFor(OUTAGE);
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
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--namespace",
                "holysheep",
                "--native-sidecar",
                "false",
                "--drain-delay",
                DRAIN.toSeconds() + "s"),
            Map.of(
                "KUBECONFIG",
                api.writeKubeconfig(work.resolve("kubeconfig")).toString(),
                "POD_NAME",
                "holysheep-injector-0"),
            LISTENING);
    Matcher listening = webhook.awaitReady();
    port = Integer.parseInt(listening.group(1));
  }

  @AfterAll
  void stop() throws Exception {
    if (webhook != null) {
      webhook.close();
      java.nio.file.Files.createDirectories(Path.of("target", "contract-logs"));
      java.nio.file.Files.writeString(
          Path.of("target", "contract-logs", "webhook-lifecycle.log"), webhook.output());
    }
    if (admin != null) {
      admin.close();
    }
    if (api != null) {
      api.close();
    }
  }

  RawConnection.Response get(String path) throws Exception {
    try (RawConnection connection = new RawConnection(trust, port)) {
      return connection.send("GET " + path + " HTTP/1.1\r\nHost: webhook\r\n\r\n").read();
    }
  }

  static byte[] reviewBytes() throws Exception {
    return JSON.writeValueAsBytes(review(Map.of()));
  }

  @Test
  @Order(1)
  void becomesReadyWithin30sOfTheApiServerComingBackAndInjectsTheNamespaceConfig()
      throws Exception {
    RawConnection.Response unready = get("/readyz");
    assertEquals(503, unready.status());
    assertTrue(unready.body().contains("cannot reach the API server"), unready.body());
    assertEquals(
        200, get("/healthz").status(), "an outage is no reason for the kubelet to restart");

    Instant back = api.acceptedAgain().get(OUTAGE.plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
    webhook.awaitOutput("holysheep-webhook ready port=" + port, READY_AFTER_OUTAGE.plusSeconds(5));
    Duration toReady = Duration.between(back, Instant.now());
    assertTrue(
        toReady.compareTo(READY_AFTER_OUTAGE) <= 0,
        "ready " + toReady + " after the API server came back");

    JsonNode review = review(Map.of());
    InjectedPod pod =
        InjectedPod.from(review, admit(caFile, port, review), "chat-api-7d9f8c6b5-x7k2p");
    JsonNode config = JSON.readTree(pod.env(InjectedPod.PROXY).get("HOLYSHEEP_CONFIG"));
    assertEquals("17s", config.path("timeout").asText(), "the namespace's HolySheepConfig");
    assertEquals(1, config.path("maxRetries").asInt());
  }

  @Test
  @Order(2)
  void sigtermAnswersEveryAdmissionInFlightOnKeptAliveConnectionsAndExitsZero() throws Exception {
    byte[] body = reviewBytes();
    List<RawConnection> kept = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      RawConnection connection = new RawConnection(trust, port);
      kept.add(connection);
      assertEquals(200, connection.post(AdmissionServer.NAMESPACE_PATH, body).read().status());
      // the next admission on this kept-alive connection is in flight: head and half its body
      connection.postHead(AdmissionServer.NAMESPACE_PATH, body.length);
      connection.send(Arrays.copyOf(body, body.length / 2));
    }

    webhook.terminate();
    webhook.awaitOutput("SIGTERM: unready", Duration.ofSeconds(10));
    // half of them finish during the drain, the other half after it, while the listener closes
    for (int i = 0; i < IN_FLIGHT / 2; i++) {
      assertAnswered(kept.get(i), body, "during the drain");
    }
    try (RawConnection late = new RawConnection(trust, port)) {
      RawConnection.Response answer = late.post(AdmissionServer.NAMESPACE_PATH, body).read();
      assertEquals(200, answer.status(), "a new connection during the drain is still served");
      assertEquals("close", answer.header("connection"));
    }
    webhook.awaitOutput("drain over", DRAIN.plusSeconds(10));
    for (int i = IN_FLIGHT / 2; i < IN_FLIGHT; i++) {
      assertAnswered(kept.get(i), body, "after the drain");
    }

    assertEquals(0, webhook.awaitExit(Duration.ofSeconds(20)), webhook.output());
    assertTrue(
        webhook.stderr().contains("stopped"), "the last log line survives: " + webhook.stderr());
    for (RawConnection connection : kept) {
      connection.close();
    }
  }

  private static void assertAnswered(RawConnection connection, byte[] body, String when)
      throws Exception {
    connection.send(Arrays.copyOfRange(body, body.length / 2, body.length));
    RawConnection.Response answer = connection.read();
    assertEquals(200, answer.status(), when + ": " + answer.body());
    assertEquals("close", answer.header("connection"), when);
    assertTrue(
        new String(answer.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
            .contains("\"allowed\":true"),
        answer.body());
    assertTrue(connection.closedByServer(RawConnection.READ_TIMEOUT), when + ": closed after");
  }
}
