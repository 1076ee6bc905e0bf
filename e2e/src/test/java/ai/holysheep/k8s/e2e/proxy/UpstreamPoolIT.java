package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.sidecar.upstream.UpstreamPoolOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The upstream pool is sized for long streams: each open stream holds one HTTP/1.1 connection, so
 * 1,000+ concurrent streams must each get theirs at once, and a request that does wait for a pooled
 * connection is never charged to the upstream.
 */
class UpstreamPoolIT extends OneUpstream {
  private static final String POOL_BUSY =
      "holysheep_upstream_attempts_total{result=\"pool_busy\",upstream=\"primary\"}";
  private static final Buffer STREAM_BODY = Buffer.buffer(ProxyTestBed.chatBody(true).encode());

  /** Streams that stall after their first event stay open as long as the test needs them. */
  private JsonObject longStreamsConfig() {
    return ProxyTestBed.config(primary.baseUrl())
        .put("timeout", "30s")
        .put("streamIdleTimeout", "60s")
        .put("responseTimeout", "120s");
  }

  /** 1,100 streams through one JVM take seconds on a busy machine: a wider bound than the bed's. */
  private static <T> T awaitLong(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete in 60s: " + e, e);
    }
  }

  private Future<HttpClientRequest> openStream(HttpClientAgent app) {
    return app.request(bed.proxyPost(ProxyTestBed.CHAT))
        .compose(request -> request.send(STREAM_BODY).map(response -> request));
  }

  @Test
  void elevenHundredLongStreamsEachGetTheirOwnUpstreamConnectionAtOnce() {
    int streams = 1100;
    bed.start(longStreamsConfig());
    primary.setFault(Fault.ofStallAfterEvents(1));
    HttpClientAgent app =
        bed.vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(0));
    List<Future<HttpClientRequest>> opened = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opened.add(openStream(app));
    }
    // Before this pool was sized for streams, 512 connections per upstream: the other 588 streams
    // waited for one of those to end, and these never did.
    awaitLong(primary.awaitConnections(streams));
    awaitLong(Future.all(opened));
    assertEquals(0.0, bed.metric(POOL_BUSY));
    await(app.close());
  }

  @Test
  void aRequestWaitingForAPooledConnectionGetsItWhenAStreamEnds() {
    HttpClientAgent app = appWithTwoConnectionPool(1);
    primary.setFault(Fault.builder().stallAfterEvents(1).times(2).build());
    HttpClientRequest first = await(openStream(app));
    await(openStream(app));
    Future<Answer> waiting =
        ProxyTestBed.answerOf(
            app.request(bed.proxyPost(ProxyTestBed.CHAT))
                .compose(request -> request.send(STREAM_BODY)));

    first.reset();
    Answer served = await(waiting);
    assertEquals(200, served.status(), served.text());
    assertTrue(served.text().endsWith("data: [DONE]\n\n"), served.text());
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
    assertEquals(0.0, bed.metric(POOL_BUSY));
    await(app.close());
  }

  @Test
  void aRequestBeyondThePoolAndItsQueueIsRefusedWithoutChargingTheUpstream() {
    HttpClientAgent app = appWithTwoConnectionPool(0);
    primary.setFault(Fault.ofStallAfterEvents(1));
    await(openStream(app));
    await(openStream(app));

    Answer refused =
        bed.send(HttpMethod.POST, ProxyTestBed.CHAT, ProxyTestBed.JSON_HEADERS, STREAM_BODY);
    assertEquals(503, refused.status(), refused.text());
    assertEquals("sidecar_overloaded", refused.json().getJsonObject("error").getString("code"));
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
    assertTrue(bed.metric(POOL_BUSY) >= 1);
    assertEquals(2, primary.requestCount(), "the refused request never reached the upstream");
    await(app.close());
  }

  /**
   * Starts the sidecar with two HTTP/1.1 connections per upstream and {@code queue} waiting places;
   * returns an app client that can open more connections than that.
   */
  private HttpClientAgent appWithTwoConnectionPool(int queue) {
    bed.start(
        longStreamsConfig(),
        ProxyTestBed.keysEnv(),
        options -> options.withUpstreamPool(new UpstreamPoolOptions(2, 1, queue)));
    return bed.vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(8));
  }
}
