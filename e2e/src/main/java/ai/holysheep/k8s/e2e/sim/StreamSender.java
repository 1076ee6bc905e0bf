package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a chat completion as server-sent events, one write per event: content chunks, a finish
 * chunk, a usage chunk when the request asked for it, then {@code data: [DONE]}. A fault may delay,
 * cut or stall the stream, or replace it with an error event.
 */
final class StreamSender {
  private final Exchange exchange;
  private final List<String> events;
  private final Duration eventDelay;
  private final Integer resetAfter;
  private final Integer stallAfter;
  private int sent;

  private StreamSender(
      Exchange exchange,
      List<String> events,
      Duration eventDelay,
      Integer resetAfter,
      Integer stallAfter) {
    this.exchange = exchange;
    this.events = events;
    this.eventDelay = eventDelay;
    this.resetAfter = resetAfter;
    this.stallAfter = stallAfter;
  }

  static void send(
      Exchange exchange,
      Answers answers,
      int streamEvents,
      Duration defaultEventDelay,
      ChatRequest chat,
      Fault fault) {
    Duration delay =
        fault != null && fault.eventDelay() != null ? fault.eventDelay() : defaultEventDelay;
    List<String> events = new ArrayList<>();
    if (fault != null && fault.errorInStream()) {
      events.add(
          answers
              .error("simulated error inside a stream", "server_error", "sim_stream_error")
              .encode());
      startHeaders(exchange);
      new StreamSender(exchange, events, delay, null, null).sendErrorThenEnd();
      return;
    }
    for (int i = 0; i < streamEvents; i++) {
      JsonObject delta = new JsonObject();
      if (i == 0) {
        delta.put("role", "assistant");
      }
      delta.put("content", answers.piece(i));
      events.add(answers.chunk(chat.id(), chat.model(), delta, null).encode());
    }
    events.add(answers.chunk(chat.id(), chat.model(), new JsonObject(), "stop").encode());
    if (chat.includeUsage()) {
      events.add(answers.usageChunk(chat.id(), chat.model(), chat.bytes()).encode());
    }
    Integer resetAfter = fault == null ? null : fault.resetAfterEvents();
    Integer stallAfter = fault == null ? null : fault.stallAfterEvents();
    startHeaders(exchange);
    new StreamSender(exchange, events, delay, resetAfter, stallAfter).next();
  }

  private static void startHeaders(Exchange exchange) {
    HttpServerResponse response = exchange.head(200, "text/event-stream; charset=utf-8");
    response.putHeader("Cache-Control", "no-cache");
    response.setChunked(true);
    response.writeHead();
  }

  private void sendErrorThenEnd() {
    exchange.after(eventDelay, () -> exchange.response().end("data: " + events.get(0) + "\n\n"));
  }

  /** Sends the remaining events; loops without timers when there is no delay. */
  private void next() {
    HttpServerResponse response = exchange.response();
    while (!exchange.done()) {
      if (resetAfter != null && sent == resetAfter) {
        exchange.reset();
        return;
      }
      if (stallAfter != null && sent == stallAfter) {
        return;
      }
      if (sent == events.size()) {
        response.end("data: [DONE]\n\n");
        return;
      }
      if (eventDelay.isZero()) {
        writeEvent();
        if (response.writeQueueFull()) {
          response.drainHandler(ignored -> next());
          return;
        }
      } else {
        exchange.after(
            eventDelay,
            () -> {
              writeEvent();
              next();
            });
        return;
      }
    }
  }

  private void writeEvent() {
    exchange.response().write("data: " + events.get(sent++) + "\n\n");
  }
}
