package ai.holysheep.k8s.e2e.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertsCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What the contract test feeds the webhook: certificates, the chart default, the review. */
final class ContractFixtures {
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  static final String REVIEW = "/contract/replicaset-pod-review.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ContractFixtures() {}

  /** {@code certs --service holysheep-injector --namespace holysheep --ip 127.0.0.1 --out DIR}. */
  static Path writeCertificates(Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code =
        CertsCli.run(
            new String[] {
              "--service", "holysheep-injector",
              "--namespace", "holysheep",
              "--out", dir.toString(),
              "--ip", "127.0.0.1"
            },
            Clock.systemUTC(),
            print,
            print);
    assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    return dir;
  }

  /** What the chart's ConfigMap renders ({@code toYaml .Values.config}), with another baseUrl. */
  static Path writeChartDefaultConfig(Path file, String baseUrl) throws Exception {
    Path values =
        Path.of(
            System.getProperty(
                "holysheep.chart.values",
                Path.of("..", "charts", "holysheep-injector", "values.yaml").toString()));
    ObjectNode config = (ObjectNode) YAML.readTree(values.toFile()).path("config");
    assertTrue(config.has("baseUrl"), "no config.baseUrl in " + values.toAbsolutePath());
    config.put("baseUrl", baseUrl);
    // As templates/configmap.yaml renders it: the cluster config's name is a chart value, not spec.
    config.remove("clusterConfigName");
    YAML.writeValue(file.toFile(), config);
    return file;
  }

  /** The ReplicaSet-made pod review with a fresh uid and the given pod annotations added. */
  static JsonNode review(Map<String, String> annotations) throws Exception {
    JsonNode node;
    try (InputStream in = ContractFixtures.class.getResourceAsStream(REVIEW)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + REVIEW);
      }
      node = JSON.readTree(in);
    }
    ((ObjectNode) node.path("request")).put("uid", UUID.randomUUID().toString());
    if (!annotations.isEmpty()) {
      ObjectNode metadata = (ObjectNode) node.path("request").path("object").path("metadata");
      ObjectNode target = metadata.putObject("annotations");
      annotations.forEach(target::put);
    }
    return node;
  }

  /** POSTs the review over HTTPS, trusting only {@code caFile}; expects HTTP 200. */
  static JsonNode admit(Path caFile, int port, JsonNode review) throws Exception {
    HttpClient https =
        HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).sslContext(trusting(caFile)).build();
    HttpResponse<String> answer =
        https.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/mutate/namespace"))
                .timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(review)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return JSON.readTree(answer.body());
  }

  static int freeLoopbackPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static Path sidecarJar() {
    return JarProcess.jar("holysheep.sidecar.jar", "sidecar", "holysheep-sidecar.jar");
  }

  static Path webhookJar() {
    return JarProcess.jar("holysheep.webhook.jar", "webhook", "holysheep-webhook.jar");
  }

  static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
