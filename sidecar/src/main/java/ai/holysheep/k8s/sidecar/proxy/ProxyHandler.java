package ai.holysheep.k8s.sidecar.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Entry of the proxy listener: checks the path, reads the body (buffered for replay up to the limit
 * and within the pod budget, else streamed through), then runs a {@link ProxyExchange}.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  public static final String STAINLESS_TIMEOUT = "x-stainless-timeout";

  private final ProxyContext context;

  public ProxyHandler(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (!path.startsWith("/v1/")) {
      ErrorAnswers.send(
          request.response(),
          404,
          "invalid_request_error",
          "unknown_path",
          "the sidecar proxies paths under /v1/ only",
          null,
          0,
          null);
      return;
    }
    long contentLength = contentLength(request);
    long maxReplay = context.maxReplayBodyBytes();
    if (contentLength > maxReplay
        || contentLength > 0 && !context.budget().tryAcquire(contentLength)) {
      request.pause();
      startExchange(request, null, null, 0);
      return;
    }
    new BodyReader(request, contentLength).read();
  }

  private void startExchange(
      HttpServerRequest request, Buffer body, Buffer streamingPrefix, long budgetBytes) {
    new ProxyExchange(
            context, request, body, streamingPrefix, budgetBytes, responseTimeout(request))
        .start();
  }

  /** {@code responseTimeout}, lowered by the SDK's {@code X-Stainless-Timeout} (seconds). */
  Duration responseTimeout(HttpServerRequest request) {
    Duration configured = context.config().responseTimeout();
    String header = request.getHeader(STAINLESS_TIMEOUT);
    if (header == null) {
      return configured;
    }
    try {
      double seconds = Double.parseDouble(header.trim());
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        return configured;
      }
      Duration asked = Duration.ofMillis((long) Math.ceil(seconds * 1000));
      return asked.compareTo(configured) < 0 ? asked : configured;
    } catch (NumberFormatException e) {
      return configured;
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
    private final boolean lengthKnown;
    private final Buffer body;
    private long acquired;
    private boolean streaming;

    BodyReader(HttpServerRequest request, long contentLength) {
      this.request = request;
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
              startExchange(request, body, null, acquired);
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
          startExchange(request, null, body, 0);
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
