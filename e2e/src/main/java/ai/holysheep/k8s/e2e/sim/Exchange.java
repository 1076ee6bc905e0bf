package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One request/response on the simulator: the timers, resets and stalls a fault asks for, and the
 * bookkeeping that tells a client cancellation (connection gone before the answer ended) from a
 * reset the simulator made itself.
 */
final class Exchange {
  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String simName;
  private boolean closedBySimulator;

  Exchange(Vertx vertx, HttpServerRequest request, String simName, Runnable onCancelled) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.simName = simName;
    response.closeHandler(
        ignored -> {
          if (!response.ended() && !closedBySimulator) {
            onCancelled.run();
          }
        });
  }

  HttpServerRequest request() {
    return request;
  }

  HttpServerResponse response() {
    return response;
  }

  /** True once the client went away or the answer is finished: nothing more may be written. */
  boolean done() {
    return response.closed() || response.ended();
  }

  /** Runs {@code action} after {@code delay} (at once when null or zero) unless done by then. */
  void after(Duration delay, Runnable action) {
    if (delay == null || delay.isZero()) {
      action.run();
      return;
    }
    vertx.setTimer(
        Math.max(1, delay.toMillis()),
        id -> {
          if (!done()) {
            action.run();
          }
        });
  }

  /** Resets the stream (HTTP/2) or closes the connection (HTTP/1.x) with no further bytes. */
  void reset() {
    closedBySimulator = true;
    response.reset();
  }

  /** Sets the status and the headers every simulator answer carries. */
  HttpServerResponse head(int status, String contentType) {
    response.setStatusCode(status);
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    response.putHeader("x-sim-name", simName);
    String requestId = request.getHeader("x-request-id");
    if (requestId != null) {
      response.putHeader("x-request-id", requestId);
    }
    return response;
  }

  /** Runs {@code action} every {@code every} until {@link #cancel}; returns the timer id. */
  long periodic(Duration every, Runnable action) {
    return vertx.setPeriodic(
        Math.max(1, every.toMillis()),
        id -> {
          if (done()) {
            vertx.cancelTimer(id);
          } else {
            action.run();
          }
        });
  }

  void cancel(long timer) {
    vertx.cancelTimer(timer);
  }

  /**
   * Writes {@code bytes} in {@link Fault#DRIP_BYTES}-byte pieces {@code drip} apart (at once when
   * drip is null), then runs {@code then} unless done by then.
   */
  void drip(Buffer bytes, Duration drip, Runnable then) {
    if (drip == null) {
      response.write(bytes);
      then.run();
      return;
    }
    dripFrom(bytes, 0, drip, then);
  }

  private void dripFrom(Buffer bytes, int from, Duration drip, Runnable then) {
    if (done()) {
      return;
    }
    int to = Math.min(bytes.length(), from + Fault.DRIP_BYTES);
    response.write(bytes.slice(from, to));
    if (to == bytes.length()) {
      then.run();
    } else {
      after(drip, () -> dripFrom(bytes, to, drip, then));
    }
  }

  /** An HTML page with {@code status}, as a CDN or a login wall answers. */
  void sendHtml(int status, Answers answers) {
    head(status, "text/html; charset=utf-8");
    response.end(answers.htmlPage(status));
  }

  /**
   * Sends a JSON answer; a fault with {@code resetAfterEvents} or {@code stallAfterEvents} sends
   * the headers and half the body, then resets or stalls; {@code drip} sends it slowly.
   */
  void sendJson(int status, JsonObject body, Fault fault) {
    sendBody(status, "application/json", body.toBuffer(), fault);
  }

  /** As {@link #sendJson}, for any body. */
  void sendBody(int status, String contentType, Buffer bytes, Fault fault) {
    head(status, contentType);
    boolean cut = fault.resetAfterEvents() != null;
    boolean stall = fault.stallAfterEvents() != null;
    if (!cut && !stall) {
      if (fault.drip() != null) {
        response.setChunked(true);
        drip(bytes, fault.drip(), () -> response.end());
      } else {
        response.end(bytes);
      }
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length()));
    response.write(bytes.slice(0, bytes.length() / 2));
    if (cut) {
      reset();
    }
  }

  /**
   * An OpenAI-style error answer; a 429 names the requested model the way OpenAI's messages do
   * ("Rate limit reached for gpt-4o-mini in organization …").
   */
  void sendError(int status, String retryAfter, Answers answers, String model) {
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    String type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "sim_error";
    String message =
        status == 429 && model != null
            ? "Rate limit reached for "
                + model
                + " in organization org-"
                + simName
                + " on requests per min (RPM): Limit 3, Used 3, Requested 1."
            : "simulated " + status + " from " + simName;
    sendJson(status, answers.error(message, type, "sim_" + status), Fault.NONE);
  }
}
