package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.RecordedRequest;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestHandlingIT extends TwoUpstreams {
  @Test
  void authorizationIsReplacedOrgAndProjectDroppedRequestIdKept() {
    bed.start(config());
    Answer answer =
        bed.send(
            HttpMethod.POST,
            ProxyTestBed.CHAT,
            Map.of(
                "Content-Type", "application/json",
                "Authorization", "Bearer sk-app-placeholder",
                "OpenAI-Organization", "org-app",
                "OpenAI-Project", "proj-app",
                "x-request-id", "req-from-app-42"),
            Buffer.buffer(ProxyTestBed.chatBody(false).encode()));
    assertEquals(200, answer.status());
    RecordedRequest seen = primary.received().get(0);
    assertEquals("Bearer " + ProxyTestBed.PRIMARY_KEY, seen.header("authorization"));
    assertEquals(1, seen.headers().getAll("authorization").size());
    assertNull(seen.header("openai-organization"));
    assertNull(seen.header("openai-project"));
    assertEquals("req-from-app-42", seen.header("x-request-id"));
  }

  @Test
  void aRequestIdIsAddedWhenTheAppSentNone() {
    bed.start(ProxyTestBed.config(primary.baseUrl()));
    bed.chat();
    assertTrue(primary.received().get(0).header("x-request-id").matches("[0-9a-f]{32}"));
  }

  @Test
  void eachFallbackUsesItsOwnKey() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(500));
    bed.chat();
    assertEquals(
        "Bearer " + ProxyTestBed.SECONDARY_KEY,
        secondary.received().get(0).header("authorization"));
  }

  @Test
  void aKeyFileRewrittenOnDiskIsUsedByTheNextRequest() throws Exception {
    bed.start(ProxyTestBed.config(primary.baseUrl()), Map.of());
    Path file = bed.secretsDir.resolve("holysheep-credentials/api-key");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "sk-file-key-one\n");
    bed.chat();
    Files.writeString(file, "sk-file-key-two\n");
    bed.chat();
    assertEquals("Bearer sk-file-key-one", primary.received().get(0).header("authorization"));
    assertEquals("Bearer sk-file-key-two", primary.received().get(1).header("authorization"));
  }

  @Test
  void aMissingKeyGivesAnErrorNamingTheSecretAndKey() {
    bed.start(ProxyTestBed.config(primary.baseUrl()), Map.of());
    Answer answer = bed.chat();
    assertEquals(503, answer.status());
    String message = answer.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("holysheep-credentials"), message);
    assertTrue(message.contains("api-key"), message);
    assertEquals("missing_api_key", answer.json().getJsonObject("error").getString("code"));
    assertEquals(0, primary.requestCount());
    assertFalse(bed.upstreamStatus("primary").getBoolean("keyPresent"));
  }

  @Test
  void aFallbackWithoutKeyIsDisabledNotGivenThePrimarysKey() {
    Map<String, String> env = new HashMap<>();
    env.put("HOLYSHEEP_API_KEY", ProxyTestBed.PRIMARY_KEY);
    bed.start(config(), env);
    primary.setFault(Fault.ofStatus(500));
    Answer answer = bed.chat();
    assertEquals(502, answer.status());
    assertEquals(0, secondary.requestCount());
    assertEquals("missing", bed.upstreamStatus("secondary").getString("keySource"));
  }

  @Test
  void anElevenMebibyteBodyReachesOneUpstreamWhole() throws Exception {
    bed.start(config());
    byte[] bytes = new byte[11 * 1024 * 1024];
    new Random(7).nextBytes(bytes);
    Answer answer =
        bed.send(
            HttpMethod.POST,
            "/v1/files",
            Map.of("Content-Type", "application/octet-stream"),
            Buffer.buffer(bytes));
    assertEquals(1, primary.requestCount() + secondary.requestCount());
    RecordedRequest seen = primary.received().get(0);
    assertEquals(bytes.length, seen.bodySize());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        seen.bodySha256());
    assertEquals("primary", answer.upstream());
  }

  @Test
  void anAppThatGoesAwayCancelsTheUpstreamCallWithoutRetry() {
    bed.start(config().put("timeout", "3s"));
    primary.setFault(Fault.ofHang());
    Promise<HttpClientRequest> sent = Promise.promise();
    RequestOptions options = bed.proxyPost(ProxyTestBed.CHAT);
    bed.app
        .request(options)
        .onSuccess(
            request -> {
              request.send(Buffer.buffer(ProxyTestBed.chatBody(false).encode()));
              sent.complete(request);
            })
        .onFailure(sent::fail);
    HttpClientRequest request = await(sent.future());
    await(primary.awaitRequests(1));
    await(request.connection().close());
    await(primary.awaitCancelled(1));
    assertEquals(0, secondary.requestCount());
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
    assertTrue(
        bed.admin("/metrics")
            .text()
            .contains(
                "holysheep_upstream_attempts_total{result=\"cancelled\",upstream=\"primary\"} 1.0"));
  }

  @Test
  void xStainlessTimeoutBoundsTheWaitForTheAnswer() {
    bed.start(
        ProxyTestBed.config(primary.baseUrl()).put("timeout", "5s").put("responseTimeout", "8s"));
    primary.setFault(Fault.ofHang());
    long started = System.nanoTime();
    Answer answer =
        bed.send(
            HttpMethod.POST,
            ProxyTestBed.CHAT,
            Map.of("Content-Type", "application/json", "X-Stainless-Timeout", "0.4"),
            Buffer.buffer(ProxyTestBed.chatBody(false).encode()));
    long elapsed = System.nanoTime() - started;
    assertEquals(504, answer.status());
    assertTrue(elapsed < Duration.ofSeconds(3).toNanos(), "deadline from the header: " + elapsed);
  }

  @Test
  void pathsOutsideV1AreRefused() {
    bed.start(ProxyTestBed.config(primary.baseUrl()));
    Answer answer = bed.send(HttpMethod.GET, "/admin", Map.of(), null);
    assertEquals(404, answer.status());
    assertEquals(0, primary.requestCount());
  }
}
