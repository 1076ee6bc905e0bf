package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The app side of one request: collects the answer as it arrives (so a connection that dies
 * mid-stream still shows what came before) and produces its outcome exactly once. Runs on the
 * generator's event loop.
 */
final class InFlightRequest {
  private final LoadRequest load;
  private final long sentAt;
  private final Consumer<RequestOutcome> done;
  private final Buffer body = Buffer.buffer();
  private Runnable onFinish = () -> {};
  private HttpClientRequest request;
  private HttpClientResponse response;
  private boolean finished;

  InFlightRequest(LoadRequest load, long sentAt, Consumer<RequestOutcome> done) {
    this.load = load;
    this.sentAt = sentAt;
    this.done = done;
  }

  void onFinish(Runnable action) {
    onFinish = action;
  }

  /** Keeps the request so a time-out can reset it; false (and reset) when already timed out. */
  boolean attach(HttpClientRequest value) {
    if (finished) {
      value.reset();
      return false;
    }
    request = value;
    return true;
  }

  void onResponse(HttpClientResponse value) {
    response = value;
    value.handler(body::appendBuffer);
    value.exceptionHandler(this::onFailure);
    value.endHandler(v -> onEnd());
  }

  void onFailure(Throwable failure) {
    String partial = body.length() == 0 ? "" : "; after " + body.length() + " bytes";
    finish(
        Verdict.TRANSPORT_ERROR,
        failure.getClass().getSimpleName() + ": " + failure.getMessage() + partial);
  }

  void timeOut() {
    if (finished) {
      return;
    }
    if (request != null) {
      request.reset();
    }
    finish(Verdict.TIMEOUT, "no complete answer; " + body.length() + " bytes so far");
  }

  private void onEnd() {
    String text = body.toString(StandardCharsets.UTF_8);
    String type = response.getHeader("content-type");
    AnswerCheck.Result result =
        load.stream()
            ? AnswerCheck.stream(response.statusCode(), type, upstream(), load.includeUsage(), text)
            : AnswerCheck.json(response.statusCode(), type, upstream(), text);
    finish(result.verdict(), result.detail());
  }

  private String upstream() {
    return response == null ? null : response.getHeader("x-holysheep-upstream");
  }

  private int attempts() {
    String value = response == null ? null : response.getHeader("x-holysheep-attempts");
    try {
      return value == null ? -1 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void finish(Verdict verdict, String detail) {
    if (finished) {
      return;
    }
    finished = true;
    onFinish.run();
    done.accept(
        new RequestOutcome(
            load.id(),
            load.seq(),
            load.stream(),
            load.scheduledAt(),
            sentAt,
            System.currentTimeMillis(),
            response == null ? 0 : response.statusCode(),
            upstream(),
            attempts(),
            verdict,
            detail));
  }
}
