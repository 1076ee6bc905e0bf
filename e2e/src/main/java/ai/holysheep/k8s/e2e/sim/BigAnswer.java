package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * A chat completion of about {@code size} bytes, sent chunked without Content-Length (as OpenAI
 * sends JSON), generated piece by piece with back-pressure so the simulator never holds it whole.
 * The text is {@code a…a}; {@code usage} comes last, as in OpenAI's answers.
 */
final class BigAnswer {
  /** Bytes per write. */
  static final int PIECE_BYTES = 64 * 1024;

  private final Exchange exchange;
  private final Buffer piece;
  private final Buffer suffix;
  private long remaining;

  private BigAnswer(Exchange exchange, long contentBytes, Buffer suffix) {
    this.exchange = exchange;
    this.remaining = contentBytes;
    this.suffix = suffix;
    this.piece = Buffer.buffer("a".repeat(PIECE_BYTES));
  }

  static void send(Exchange exchange, ChatRequest chat, JsonObject usage, long size) {
    String prefix =
        "{\"id\":\""
            + chat.id()
            + "\",\"object\":\"chat.completion\",\"created\":"
            + System.currentTimeMillis() / 1000
            + ",\"model\":\""
            + chat.model()
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
    Buffer suffix =
        Buffer.buffer(
            "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"length\"}],\"usage\":"
                + usage.encode()
                + "}");
    HttpServerResponse response = exchange.head(200, "application/json");
    response.setChunked(true);
    response.write(prefix);
    long content = Math.max(0, size - prefix.length() - suffix.length());
    new BigAnswer(exchange, content, suffix).next();
  }

  private void next() {
    HttpServerResponse response = exchange.response();
    while (!exchange.done()) {
      if (remaining == 0) {
        response.end(suffix);
        return;
      }
      int n = (int) Math.min(PIECE_BYTES, remaining);
      response.write(n == PIECE_BYTES ? piece : piece.slice(0, n));
      remaining -= n;
      if (response.writeQueueFull()) {
        response.drainHandler(v -> next());
        return;
      }
    }
  }
}
