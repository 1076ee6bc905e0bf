package ai.holysheep.k8s.webhook.admission;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Reads the whole request body, whatever its content type, within three bounds: its size (413 as
 * soon as the declared or actual length passes it), the bytes all requests buffer together (429 at
 * once, see {@link BodyBudget}) and a deadline from the request head to its last byte (408: a
 * client stalling half-way holds no memory and no connection for long). The body's budget share is
 * held until the response is done, because parsing it costs a multiple of its size. (vertx-web's
 * BodyHandler parses form content types, which an API server never sends, and has no deadline.)
 */
final class BoundedBody implements Handler<RoutingContext> {
  static final String KEY = "holysheep.body";
  static final int TOO_LARGE = 413;
  static final int TIMED_OUT = 408;
  static final int BUSY = 429;

  private final Vertx vertx;
  private final long maxBytes;
  private final BodyBudget budget;
  private final Duration deadline;

  BoundedBody(Vertx vertx, long maxBytes, BodyBudget budget, Duration deadline) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.budget = budget;
    this.deadline = deadline;
  }

  static byte[] of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? new byte[0] : body.getBytes();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader("content-length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
      ctx.fail(TOO_LARGE);
      return;
    }
    BodyBudget.Share share = budget.share();
    // called when the response ends, fails or its connection closes
    ctx.addEndHandler(done -> share.release());
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    long timer =
        vertx.setTimer(
            deadline.toMillis(),
            id -> {
              if (!over[0]) {
                over[0] = true;
                ctx.fail(TIMED_OUT);
              }
            });
    request.handler(
        chunk -> {
          if (over[0]) {
            return;
          }
          long total = body.length() + (long) chunk.length();
          int refusal = total > maxBytes ? TOO_LARGE : share.growTo(total) ? 0 : BUSY;
          if (refusal != 0) {
            over[0] = true;
            vertx.cancelTimer(timer);
            ctx.fail(refusal);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(
        e -> {
          if (!over[0]) {
            over[0] = true;
            vertx.cancelTimer(timer);
            ctx.fail(400, e);
          }
        });
    request.endHandler(
        end -> {
          vertx.cancelTimer(timer);
          if (!over[0]) {
            over[0] = true;
            ctx.put(KEY, body);
            ctx.next();
          }
        });
    request.resume();
  }
}
