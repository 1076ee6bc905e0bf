package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes server-sent events one by one: a chat completion (content chunks, a finish chunk, a usage
 * chunk when asked for, {@code data: [DONE]}) or a Responses API stream (typed events, no [DONE]).
 * A fault may delay them (and send keep-alive comments meanwhile), drip them, cut or stall the
 * stream, leave out [DONE], repeat cumulative usage, make events huge, or replace the stream with
 * an error event.
 */
final class StreamSender {
  private static final String KEEP_ALIVE = ": keep-alive\n\n";

  private final Exchange exchange;
  private final List<String> events;
  private final boolean done;
  private final Duration eventDelay;
  private final Fault fault;
  private int sent;

  private StreamSender(
      Exchange exchange, List<String> events, boolean done, Duration eventDelay, Fault fault) {
    this.exchange = exchange;
    this.events = events;
    this.done = done && !fault.noDone();
    this.eventDelay = eventDelay;
    this.fault = fault;
  }

  private static Duration delay(Duration defaultEventDelay, Fault fault) {
    return fault.eventDelay() != null ? fault.eventDelay() : defaultEventDelay;
  }

  /** A stream whose first data event is the fault's error object, then the end (no [DONE]). */
  static void sendError(
      Exchange exchange, Answers answers, Duration defaultEventDelay, Fault fault) {
    List<String> events = List.of("data: " + answers.errorObject(fault).encode() + "\n\n");
    start(exchange, events, false, delay(defaultEventDelay, fault), fault);
  }

  static void sendChat(
      Exchange exchange,
      Answers answers,
      int streamEvents,
      Duration defaultEventDelay,
      ChatRequest chat,
      Fault fault) {
    List<String> events = new ArrayList<>();
    JsonObject usage = answers.usage(chat.bytes());
    for (int i = 0; i <= streamEvents; i++) {
      JsonObject delta = new JsonObject();
      String finish = null;
      if (i < streamEvents) {
        if (i == 0) {
          delta.put("role", "assistant");
        }
        delta.put("content", padded(answers.piece(i), fault.eventSize()));
      } else {
        finish = "stop";
      }
      JsonObject chunk = answers.chunk(chat.id(), chat.model(), delta, finish);
      if (fault.repeatUsage()) {
        int completion = Math.min(i + 1, streamEvents);
        chunk.put(
            "usage",
            usage
                .copy()
                .put("completion_tokens", completion)
                .put("total_tokens", usage.getInteger("prompt_tokens") + completion));
      } else if (chat.includeUsage()) {
        chunk.putNull("usage");
      }
      events.add("data: " + chunk.encode() + "\n\n");
    }
    if (chat.includeUsage()) {
      events.add(
          "data: " + answers.usageChunk(chat.id(), chat.model(), chat.bytes()).encode() + "\n\n");
    }
    start(exchange, events, true, delay(defaultEventDelay, fault), fault);
  }

  /** The Responses API's typed events; the last one carries the usage. */
  static void sendResponses(
      Exchange exchange,
      Answers answers,
      Duration defaultEventDelay,
      String id,
      String model,
      long requestBytes,
      Fault fault) {
    List<String> events = new ArrayList<>();
    int sequence = 0;
    events.add(
        typed(
            "response.created",
            new JsonObject()
                .put("type", "response.created")
                .put("sequence_number", sequence++)
                .put("response", answers.response(id, model, requestBytes, false))));
    for (int i = 0; i < answers.streamEvents(); i++) {
      events.add(
          typed(
              "response.output_text.delta",
              new JsonObject()
                  .put("type", "response.output_text.delta")
                  .put("sequence_number", sequence++)
                  .put("item_id", "msg_" + id)
                  .put("output_index", 0)
                  .put("content_index", 0)
                  .put("delta", answers.piece(i))));
    }
    events.add(
        typed(
            "response.completed",
            new JsonObject()
                .put("type", "response.completed")
                .put("sequence_number", sequence)
                .put("response", answers.response(id, model, requestBytes, true))));
    start(exchange, events, false, delay(defaultEventDelay, fault), fault);
  }

  private static String typed(String type, JsonObject data) {
    return "event: " + type + "\ndata: " + data.encode() + "\n\n";
  }

  private static String padded(String text, Long size) {
    if (size == null || size <= text.length()) {
      return text;
    }
    return text + "x".repeat((int) Math.min(Integer.MAX_VALUE - 64, size - text.length()));
  }

  private static void start(
      Exchange exchange, List<String> events, boolean done, Duration delay, Fault fault) {
    HttpServerResponse response = exchange.head(200, "text/event-stream; charset=utf-8");
    response.putHeader("Cache-Control", "no-cache");
    response.setChunked(true);
    response.writeHead();
    new StreamSender(exchange, events, done, delay, fault).next();
  }

  /** Sends the remaining events; loops without timers when nothing is delayed or dripped. */
  private void next() {
    HttpServerResponse response = exchange.response();
    while (!exchange.done()) {
      if (fault.resetAfterEvents() != null && sent == fault.resetAfterEvents()) {
        exchange.reset();
        return;
      }
      if (fault.stallAfterEvents() != null && sent == fault.stallAfterEvents()) {
        return;
      }
      if (sent == events.size()) {
        if (done) {
          response.end("data: [DONE]\n\n");
        } else {
          response.end();
        }
        return;
      }
      Duration wait =
          sent == 0 && fault.firstEventDelay() != null ? fault.firstEventDelay() : eventDelay;
      if (wait.isZero() && fault.drip() == null) {
        response.write(events.get(sent++));
        if (response.writeQueueFull()) {
          response.drainHandler(ignored -> next());
          return;
        }
      } else {
        waitThen(
            wait, () -> exchange.drip(Buffer.buffer(events.get(sent++)), fault.drip(), this::next));
        return;
      }
    }
  }

  /** Waits {@code wait}, sending keep-alive comments meanwhile when the fault asks for them. */
  private void waitThen(Duration wait, Runnable action) {
    if (fault.commentEvery() == null || wait.isZero()) {
      exchange.after(wait, action);
      return;
    }
    long comments =
        exchange.periodic(fault.commentEvery(), () -> exchange.response().write(KEEP_ALIVE));
    exchange.after(
        wait,
        () -> {
          exchange.cancel(comments);
          action.run();
        });
  }
}
