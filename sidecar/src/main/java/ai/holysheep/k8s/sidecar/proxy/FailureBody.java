package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads the (small) body of a failed answer before failing over: for the upstream's error message
 * in the sidecar's final error, and for the model a 429 names. Bounded in bytes and in time; a
 * longer or slower body is cut (its connection is reset rather than drained).
 */
final class FailureBody {
  /** Error bodies are small; a bigger one is cut here. */
  static final int MAX_BYTES = 64 * 1024;

  /** The body of a failed answer is awaited at most this long. */
  static final Duration MAX_WAIT = Duration.ofSeconds(2);

  private final Attempt attempt;
  private final HttpClientResponse response;
  private final FailureKind kind;
  private final Duration retryAfter;
  private final Buffer body = Buffer.buffer();
  private long timer = -1;
  private boolean finished;

  private FailureBody(
      Attempt attempt, HttpClientResponse response, FailureKind kind, Duration retryAfter) {
    this.attempt = attempt;
    this.response = response;
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  static void read(
      Attempt attempt, HttpClientResponse response, FailureKind kind, Duration retryAfter) {
    new FailureBody(attempt, response, kind, retryAfter).start();
  }

  private void start() {
    timer = attempt.context.vertx().setTimer(MAX_WAIT.toMillis(), id -> cut());
    response.handler(
        chunk -> {
          if (finished) {
            return;
          }
          if (body.length() + chunk.length() > MAX_BYTES) {
            cut();
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(e -> finish());
    response.endHandler(
        v -> {
          attempt.answerConsumed();
          finish();
        });
  }

  /** The answer names the request's model ("Rate limit reached for gpt-4o in …"). */
  private boolean namesModel(String model) {
    byte[] needle = model.getBytes(StandardCharsets.UTF_8);
    return needle.length > 0 && JsonBytes.indexOf(body, needle, 0, body.length()) >= 0;
  }

  private void cut() {
    if (!finished) {
      attempt.resetUpstream();
      finish();
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    attempt.context.vertx().cancelTimer(timer);
    if (kind == FailureKind.RATE_LIMITED && retryAfter != null) {
      String model = attempt.exchange.model();
      if (model != null && namesModel(model)) {
        attempt.upstream.rateLimitedFor(model, retryAfter);
      } else {
        attempt.upstream.rateLimitedFor(retryAfter);
      }
    }
    attempt.fail(kind, retryAfter, ErrorObjects.message(body));
  }
}
