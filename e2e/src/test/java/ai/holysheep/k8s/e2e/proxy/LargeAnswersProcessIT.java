package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.cache.SidecarProcess;
import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real sidecar jar with the pod's heap ({@code -Xmx160m}: MaxRAMPercentage=60 of the 256 MiB
 * limit) relays three concurrent chunked 60 MiB JSON answers whole, without an OutOfMemoryError and
 * with its peak resident set under the pod limit.
 */
class LargeAnswersProcessIT {
  static final long ANSWER_BYTES = 60L * 1024 * 1024;
  static final int CONCURRENT = 3;
  static final long POD_LIMIT_BYTES = 256L * 1024 * 1024;
  static final List<String> POD_JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx160m", "-XX:TieredStopAtLevel=1");

  /** Bound on the whole transfer (seconds); it takes a few on a busy 2-core machine. */
  static final long TRANSFER_SECONDS = 120;

  private Vertx vertx;
  private Simulator upstream;
  private SidecarProcess sidecar;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    upstream = ProxyTestBed.await(Simulator.start(vertx, SimulatorOptions.named("big-upstream")));
    upstream.setFault(Fault.builder().answerSize(ANSWER_BYTES).path("/v1/chat").build());
    JsonObject config =
        new JsonObject()
            .put("baseUrl", upstream.baseUrl())
            .put("healthCheck", new JsonObject().put("enabled", false));
    sidecar =
        SidecarProcess.start(
            Map.of("HOLYSHEEP_CONFIG", config.encode(), "HOLYSHEEP_API_KEY", "sk-big-test"),
            POD_JVM_FLAGS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    ProxyTestBed.await(vertx.close());
  }

  @Test
  void threeConcurrent60MiBAnswersReachTheirAppsWholeWithinThePodsMemory() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<long[]>> answers = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + sidecar.proxyPort() + "/v1/chat/completions"))
              .header("content-type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"gpt-4o-mini\",\"messages\":[]}"))
              .build();
      answers.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
              .thenApplyAsync(LargeAnswersProcessIT::readWhole));
    }
    for (CompletableFuture<long[]> answer : answers) {
      long[] result = answer.get(TRANSFER_SECONDS, TimeUnit.SECONDS);
      assertEquals(200, result[0], "status");
      assertTrue(Math.abs(result[1] - ANSWER_BYTES) < 16, "bytes received: " + result[1]);
      assertEquals(1, result[2], "the answer ends with its usage: it arrived whole");
    }
    long peak = peakResidentBytes(sidecar.pid());
    String output = sidecar.output();
    assertFalse(output.contains("OutOfMemoryError"), output);
    assertTrue(peak < POD_LIMIT_BYTES, "peak RSS " + (peak >> 20) + " MiB");
    System.out.println(
        "LargeAnswersProcessIT: peak RSS of the sidecar " + (peak >> 20) + " MiB (VmHWM)");
  }

  /** Status, bytes, and 1 when the last bytes are the usage object's end. */
  private static long[] readWhole(HttpResponse<InputStream> response) {
    byte[] buffer = new byte[64 * 1024];
    byte[] tail = new byte[256];
    long total = 0;
    try (InputStream in = response.body()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (n >= tail.length) {
          System.arraycopy(buffer, n - tail.length, tail, 0, tail.length);
        } else {
          System.arraycopy(tail, n, tail, 0, tail.length - n);
          System.arraycopy(buffer, 0, tail, tail.length - n, n);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String end = new String(tail, StandardCharsets.UTF_8);
    boolean whole = end.contains("\"usage\":{") && end.endsWith("}}");
    return new long[] {response.statusCode(), total, whole ? 1 : 0};
  }

  /** VmHWM: the most memory the process ever had resident. */
  static long peakResidentBytes(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
  }

  static Duration transferBound() {
    return Duration.ofSeconds(TRANSFER_SECONDS);
  }
}
