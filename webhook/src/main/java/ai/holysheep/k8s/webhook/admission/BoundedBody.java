package ai.holysheep.k8s.webhook.admission;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the whole request body, whatever its content type, up to a limit: a larger declared or
 * actual body fails the route with 413 at once, without buffering the rest. (vertx-web's
 * BodyHandler parses form content types, which an API server never sends.)
 */
final class BoundedBody implements Handler<RoutingContext> {
  static final String KEY = "holysheep.body";

  private final long maxBytes;

  BoundedBody(long maxBytes) {
    this.maxBytes = maxBytes;
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
      ctx.fail(413);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] failed = {false};
    request.handler(
        chunk -> {
          if (failed[0]) {
            return;
          }
          if (body.length() + (long) chunk.length() > maxBytes) {
            failed[0] = true;
            ctx.fail(413);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(
        e -> {
          if (!failed[0]) {
            failed[0] = true;
            ctx.fail(400, e);
          }
        });
    request.endHandler(
        end -> {
          if (!failed[0]) {
            ctx.put(KEY, body);
            ctx.next();
          }
        });
    request.resume();
  }
}
