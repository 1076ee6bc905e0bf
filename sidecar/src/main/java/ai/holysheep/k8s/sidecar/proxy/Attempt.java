package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.config.ApiKey;
import ai.holysheep.k8s.sidecar.upstream.RetryAfter;
import ai.holysheep.k8s.sidecar.upstream.Selection;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import ai.holysheep.k8s.sidecar.upstream.UpstreamTarget;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * One request to one upstream. Settles the upstream's breaker permission exactly once and reports
 * back to its {@link ProxyExchange}; streams are handed to a {@link StreamRelay}.
 */
final class Attempt {
  final ProxyExchange exchange;
  final Upstream upstream;
  final int number;
  private final Selection selection;
  private final ProxyContext context;

  private long startNanos;
  private long firstByteTimer = -1;
  private HttpClientRequest request;
  private boolean connected;
  private boolean slow;
  private boolean settled;
  private boolean done;

  Attempt(ProxyExchange exchange, Selection selection) {
    this.exchange = exchange;
    this.context = exchange.context;
    this.selection = selection;
    this.upstream = selection.upstream();
    this.number = exchange.attemptsStarted();
  }

  boolean slow() {
    return slow;
  }

  void start() {
    if (done || exchange.finished()) {
      done = true;
      settle(null);
      return;
    }
    startNanos = System.nanoTime();
    ApiKey key = upstream.key();
    if (key == null) {
      fail(FailureKind.AUTH, null);
      return;
    }
    firstByteTimer =
        context.vertx().setTimer(context.config().timeout().toMillis(), id -> onFirstByteTimeout());
    UpstreamTarget target = upstream.target();
    RequestOptions options =
        new RequestOptions()
            .setMethod(exchange.method)
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.ssl())
            .setURI(target.upstreamUri(exchange.uri))
            .setTimeout(0);
    upstream
        .client()
        .request(options)
        .onComplete(
            obtained -> {
              if (obtained.failed()) {
                if (!done) {
                  fail(Classifier.ofException(obtained.cause()), null);
                }
                return;
              }
              HttpClientRequest obtainedRequest = obtained.result();
              if (done) {
                obtainedRequest.reset();
                return;
              }
              connected = true;
              request = obtainedRequest;
              send(obtainedRequest, key);
            });
  }

  private void send(HttpClientRequest upstreamRequest, ApiKey key) {
    upstreamRequest.headers().addAll(exchange.upstreamHeaders);
    upstreamRequest.headers().set(HttpHeaders.AUTHORIZATION, key.authorizationHeader());
    Future<HttpClientResponse> answer;
    if (exchange.body != null) {
      answer = upstreamRequest.send(exchange.body);
    } else {
      answer = sendStreaming(upstreamRequest);
    }
    answer.onComplete(
        result -> {
          if (done) {
            return;
          }
          if (result.failed()) {
            fail(Classifier.ofException(result.cause()), null);
          } else {
            onResponse(result.result());
          }
        });
  }

  /** A body too large to replay: streamed to this single upstream as it arrives. */
  private Future<HttpClientResponse> sendStreaming(HttpClientRequest upstreamRequest) {
    String length = exchange.request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      upstreamRequest.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      upstreamRequest.setChunked(true);
    }
    if (exchange.streamingPrefix != null) {
      upstreamRequest.write(exchange.streamingPrefix);
    }
    exchange.request.pipeTo(upstreamRequest);
    return upstreamRequest.response();
  }

  private void onResponse(HttpClientResponse response) {
    int status = response.statusCode();
    Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
    FailureKind failure = Classifier.ofStatus(status);
    upstream.recordActivity(latency, failure == FailureKind.AUTH);
    if (failure != null) {
      Duration retryAfter = null;
      if (failure == FailureKind.RATE_LIMITED) {
        retryAfter =
            RetryAfter.parse(
                response.getHeader("retry-after-ms"),
                response.getHeader(HttpHeaders.RETRY_AFTER),
                context.clock().instant());
        if (retryAfter != null) {
          upstream.rateLimitedFor(retryAfter);
        }
      }
      response.body();
      fail(failure, retryAfter);
      return;
    }
    if (status >= 200 && status < 300 && isEventStream(response)) {
      new StreamRelay(this, response).start();
      return;
    }
    cancelFirstByteTimer();
    context.metrics().timeToFirstByte(upstream.name(), System.nanoTime() - exchange.startNanos);
    if (shouldBuffer(response)) {
      response
          .body()
          .onComplete(
              body -> {
                if (done) {
                  return;
                }
                if (body.failed()) {
                  fail(Classifier.ofException(body.cause()), null);
                  return;
                }
                finish(status);
                exchange.onAnswer(this, response, body.result());
              });
    } else {
      relay(response);
    }
  }

  private boolean shouldBuffer(HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        return Long.parseLong(length.trim()) <= context.maxReplayBodyBytes();
      } catch (NumberFormatException e) {
        return false;
      }
    }
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null && type.contains("json");
  }

  private void relay(HttpClientResponse response) {
    if (!exchange.commitRelay(this, response)) {
      cancel(null);
      return;
    }
    int status = response.statusCode();
    done = true;
    response
        .pipe()
        .endOnFailure(false)
        .to(exchange.response)
        .onComplete(
            piped -> {
              if (piped.succeeded()) {
                settle(status);
                exchange.onRelayEnded(this, status, status < 300 ? "success" : "passthrough");
              } else {
                exchange.response.reset();
                request.reset();
                settleFailure(FailureKind.RESET);
                exchange.onRelayEnded(this, status, "error");
              }
            });
  }

  private static boolean isEventStream(HttpClientResponse response) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null && type.startsWith("text/event-stream");
  }

  private void onFirstByteTimeout() {
    firstByteTimer = -1;
    if (done) {
      return;
    }
    slow = true;
    if (exchange.streamRequested || !exchange.replayable()) {
      if (exchange.streamRequested) {
        fail(connected ? FailureKind.TIMEOUT : FailureKind.POOL_BUSY, null);
      }
      return;
    }
    exchange.hedge(this);
  }

  void cancelFirstByteTimer() {
    if (firstByteTimer >= 0) {
      context.vertx().cancelTimer(firstByteTimer);
      firstByteTimer = -1;
    }
  }

  /** Reports a failure to the exchange (which may fail over) and stops this attempt. */
  void fail(FailureKind kind, Duration retryAfter) {
    if (done) {
      return;
    }
    done = true;
    cancelFirstByteTimer();
    if (request != null
        && kind != FailureKind.SERVER_ERROR
        && kind != FailureKind.RATE_LIMITED
        && kind != FailureKind.AUTH) {
      request.reset();
    }
    settleFailure(kind);
    exchange.onAttemptFailed(this, kind, retryAfter);
  }

  /** Stops this attempt without reporting to the exchange; {@code kind} null = not counted. */
  void cancel(FailureKind kind) {
    if (done) {
      return;
    }
    done = true;
    cancelFirstByteTimer();
    if (request != null) {
      request.reset();
    }
    if (kind == null) {
      settle(null);
      context.metrics().attempt(upstream.name(), "cancelled");
    } else {
      settleFailure(kind);
    }
  }

  /** The attempt produced the answer: it is done from the exchange's point of view. */
  void finish(int status) {
    done = true;
    settle(status);
  }

  HttpClientRequest request() {
    return request;
  }

  boolean isDone() {
    return done;
  }

  void markDone() {
    done = true;
    cancelFirstByteTimer();
  }

  /** Settles the permission for an answer ({@code status}) or a not-counted end ({@code null}). */
  void settle(Integer status) {
    if (settled) {
      return;
    }
    settled = true;
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    boolean success = status != null && status >= 200 && status < 300;
    if (status != null) {
      context.metrics().attempt(upstream.name(), success ? "success" : "passthrough");
    }
    if (selection.panic()) {
      if (success) {
        upstream.breaker().onPanicSuccess();
      }
      return;
    }
    if (!selection.permitted()) {
      return;
    }
    if (success) {
      upstream.breaker().onSuccess(elapsed);
    } else {
      upstream.breaker().release();
    }
  }

  void settleFailure(FailureKind kind) {
    if (settled) {
      return;
    }
    settled = true;
    context.metrics().attempt(upstream.name(), kind.label());
    if (!selection.permitted()) {
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    if (kind.countsAgainstBreaker()) {
      upstream.breaker().onFailure(elapsed);
    } else {
      upstream.breaker().release();
    }
  }
}
