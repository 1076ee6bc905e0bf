package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.cache.CachedResponse;
import ai.holysheep.k8s.sidecar.metrics.ModelList;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;

/**
 * What the app receives for one exchange: the winning attempt's head and body, a deterministic
 * upstream error as a 4xx, a stale cached answer, or the sidecar's own error.
 */
final class ExchangeReplies {
  private final ProxyExchange exchange;
  private final HttpServerResponse response;

  ExchangeReplies(ProxyExchange exchange) {
    this.exchange = exchange;
    this.response = exchange.response;
  }

  /** Copies the upstream's status and end-to-end headers, plus ours. */
  void writeHead(HttpClientResponse upstreamResponse, Upstream upstream) {
    response.setStatusCode(upstreamResponse.statusCode());
    String message = upstreamResponse.statusMessage();
    if (message != null && !message.isEmpty()) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    HeaderRewriter.copyResponseHeaders(upstreamResponse.headers(), headers);
    ours(headers, upstream);
  }

  private void ours(MultiMap headers, Upstream upstream) {
    if (!headers.contains(HeaderRewriter.REQUEST_ID)) {
      headers.set(
          HeaderRewriter.REQUEST_ID, exchange.upstreamHeaders.get(HeaderRewriter.REQUEST_ID));
    }
    headers.set(ErrorAnswers.UPSTREAM_HEADER, upstream.name());
    headers.set(ErrorAnswers.ATTEMPTS_HEADER, Integer.toString(exchange.attemptsStarted()));
  }

  /** A complete answer (success or pass-through) held in memory. */
  void sendAnswer(Attempt winner, HttpClientResponse upstreamResponse, Buffer answer) {
    int status = upstreamResponse.statusCode();
    Upstream upstream = winner.upstream;
    writeHead(upstreamResponse, upstream);
    if (status >= 200 && status < 300) {
      if (exchange.method == HttpMethod.GET && exchange.route.name().equals("models")) {
        upstream.learnModels(ModelList.parse(answer));
      }
      if (exchange.cacheable != null) {
        exchange
            .context
            .cache()
            .store(exchange.cacheable, upstream.name(), status, upstreamResponse.headers(), answer);
      }
    }
    response.end(answer);
    exchange.recordRequest(upstream.name(), status, outcomeOf(status));
  }

  /** A deterministic error from the upstream (in a 2xx or the first SSE event), as a 4xx. */
  void sendDeterministic(Attempt winner, ErrorObjects.Deterministic error) {
    response
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("x-should-retry", "false");
    ours(response.headers(), winner.upstream);
    response.end(error.body());
    exchange.recordRequest(winner.upstream.name(), error.status(), "passthrough");
  }

  /** Head of an answer relayed as it arrives. */
  void writeRelayHead(HttpClientResponse upstreamResponse, Upstream upstream, boolean keepLength) {
    writeHead(upstreamResponse, upstream);
    String length = upstreamResponse.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (keepLength && length != null) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      response.setChunked(true);
    }
  }

  int sendAppDeadline() {
    ErrorAnswers.send(
        response,
        504,
        "upstream_error",
        "client_deadline_exceeded",
        "no answer within the request's X-Stainless-Timeout",
        exchange.lastUpstream == null ? null : exchange.lastUpstream.name(),
        exchange.attemptsStarted(),
        null);
    return 504;
  }

  /** Every attempt failed: a stale cached answer when there is one, else the sidecar's error. */
  void answerFailure() {
    if (exchange.cacheable == null || response.closed()) {
      sendError();
      return;
    }
    exchange
        .context
        .cache()
        .lookup(exchange.cacheable, exchange.context.upstreams().names())
        .onComplete(
            lookup -> {
              CachedResponse cached = lookup.succeeded() ? lookup.result() : null;
              if (cached == null) {
                sendError();
              } else if (!response.closed()) {
                FailureSummary.sendStale(response, cached, exchange.attemptsStarted());
                exchange.recordRequest(cached.upstream(), cached.status(), "stale");
              }
            });
  }

  private void sendError() {
    int attempts = exchange.attemptsStarted();
    if (attempts == 0) {
      int status =
          FailureSummary.sendNoUpstream(
              response,
              exchange.context.upstreams().all(),
              exchange.context.clock().instant(),
              exchange.model());
      exchange.recordRequest("none", status, "error");
      return;
    }
    Upstream last = exchange.lastUpstream;
    String upstream = last == null ? null : last.name();
    boolean sidecarCouldNotRetry = !exchange.replayable() && exchange.failures.nothingSent();
    int status = exchange.failures.sendError(response, attempts, upstream, sidecarCouldNotRetry);
    exchange.recordRequest(upstream == null ? "none" : upstream, status, "error");
  }

  static String outcomeOf(int status) {
    return status >= 200 && status < 300 ? "success" : "passthrough";
  }
}
