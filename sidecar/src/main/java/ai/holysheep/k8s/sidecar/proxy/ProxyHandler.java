package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.route.Route;
import ai.holysheep.k8s.sidecar.route.RoutePolicy;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Entry of the proxy listener: checks the request target, reads the body (buffered for replay up to
 * the limit and within the pod budget, else streamed through), looks the route up in the {@link
 * RoutePolicy}, then runs a {@link ProxyExchange}.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  public static final String STAINLESS_TIMEOUT = "x-stainless-timeout";

  /** Request header naming the one upstream that must serve the request. */
  public static final String UPSTREAM_REQUEST_HEADER = "x-holysheep-upstream";

  private final ProxyContext context;

  public ProxyHandler(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void handle(HttpServerRequest request) {
    handle(request, null);
  }

  /**
   * A request whose caller a front authenticated: {@code tenant} is its namespace (cache entries
   * are scoped to it), or null for the pod's own apps.
   */
  public void handle(HttpServerRequest request, String tenant) {
    String refusal = RequestTarget.refusal(request.uri());
    if (refusal != null) {
      refuse(request, 400, "invalid_request_target", refusal);
      return;
    }
    String path = request.path();
    if (!path.startsWith("/v1/")) {
      refuse(request, 404, "unknown_path", "the sidecar proxies paths under /v1/ only");
      return;
    }
    if (isWebSocketUpgrade(request)) {
      refuse(request, 501, "websocket_not_supported", WEBSOCKET_REFUSAL);
      return;
    }
    String named = request.getHeader(UPSTREAM_REQUEST_HEADER);
    if (named != null && upstreamNamed(named) == null) {
      refuse(
          request,
          400,
          "unknown_upstream",
          UPSTREAM_REQUEST_HEADER
              + ": no upstream is named \""
              + named
              + "\"; allowed: "
              + String.join(", ", context.upstreams().names()));
      return;
    }
    long contentLength = contentLength(request);
    long maxReplay = context.maxReplayBodyBytes();
    if (contentLength > maxReplay
        || contentLength > 0 && !context.budget().tryAcquire(contentLength)) {
      request.pause();
      startExchange(request, null, null, 0, tenant);
      return;
    }
    new BodyReader(request, contentLength, tenant).read();
  }

  /**
   * Why WebSocket upgrades (the Realtime API) are refused rather than passed through: a realtime
   * session is one long-lived stateful connection to one provider; failover, retries, the cache and
   * usage counting do not apply once it is upgraded, and the provider's own answer for that case is
   * an ephemeral key, which the sidecar can mint with the pod's key.
   */
  static final String WEBSOCKET_REFUSAL =
      "WebSocket upgrades (the Realtime API) are not proxied by the sidecar: create an ephemeral"
          + " key with POST /v1/realtime/client_secrets through the sidecar and connect to the"
          + " provider's realtime endpoint with it";

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  private static void refuse(HttpServerRequest request, int status, String code, String message) {
    ErrorAnswers.send(
        request.response(), status, "invalid_request_error", code, message, null, 0, null);
  }

  private Upstream upstreamNamed(String name) {
    for (Upstream upstream : context.upstreams().all()) {
      if (upstream.name().equals(name.trim())) {
        return upstream;
      }
    }
    return null;
  }

  private void startExchange(
      HttpServerRequest request,
      Buffer body,
      Buffer streamingPrefix,
      long budgetBytes,
      String tenant) {
    Route route = RoutePolicy.of(request.method(), request.path(), body);
    boolean stream = StreamRequests.isStream(body, request.getHeader(HttpHeaders.ACCEPT));
    String requestId = request.getHeader(HeaderRewriter.REQUEST_ID);
    MultiMap upstreamHeaders =
        HeaderRewriter.upstreamHeaders(
            request.headers(),
            requestId != null ? requestId : HeaderRewriter.newRequestId(),
            stream);
    String named = request.getHeader(UPSTREAM_REQUEST_HEADER);
    Upstream pinned =
        named != null
            ? upstreamNamed(named)
            : route.routeClass().mayFailOver() ? null : context.upstreams().all().get(0);
    new ProxyExchange(
            context,
            new ExchangeRequest(
                request,
                route,
                body,
                streamingPrefix,
                budgetBytes,
                stream,
                upstreamHeaders,
                pinned,
                appTimeout(request),
                tenant))
        .start();
  }

  /**
   * The SDK's own timeout ({@code X-Stainless-Timeout}, seconds), which bounds only the wait for
   * the answer's headers or a stream's first event; null when absent or not a positive number.
   */
  static Duration appTimeout(HttpServerRequest request) {
    String header = request.getHeader(STAINLESS_TIMEOUT);
    if (header == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(header.trim());
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        return null;
      }
      return Duration.ofMillis((long) Math.ceil(seconds * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Buffers the body; switches to streaming when a body without a length grows too large. */
  private final class BodyReader {
    private final HttpServerRequest request;
    private final String tenant;
    private final boolean lengthKnown;
    private final Buffer body;
    private long acquired;
    private boolean streaming;

    BodyReader(HttpServerRequest request, long contentLength, String tenant) {
      this.request = request;
      this.tenant = tenant;
      this.lengthKnown = contentLength >= 0;
      this.body = Buffer.buffer((int) Math.max(0, Math.min(contentLength, 64 * 1024)));
      this.acquired = Math.max(0, contentLength);
    }

    void read() {
      request.handler(this::onChunk);
      request.exceptionHandler(e -> release());
      request.endHandler(
          v -> {
            if (!streaming) {
              startExchange(request, body, null, acquired, tenant);
            }
          });
    }

    private void onChunk(Buffer chunk) {
      if (streaming) {
        return;
      }
      if (!lengthKnown) {
        boolean fits =
            body.length() + chunk.length() <= context.maxReplayBodyBytes()
                && context.budget().tryAcquire(chunk.length());
        if (!fits) {
          streaming = true;
          request.pause();
          body.appendBuffer(chunk);
          release();
          startExchange(request, null, body, 0, tenant);
          return;
        }
        acquired += chunk.length();
      }
      body.appendBuffer(chunk);
    }

    private void release() {
      context.budget().release(acquired);
      acquired = 0;
    }
  }
}
