package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI-compatible side: reads and records the whole request, claims the current fault, and
 * answers. Known routes match by path suffix, so both {@code /v1/models} and {@code /models} work;
 * any other path gets a 200 JSON echo with the byte count and hash of what arrived.
 */
final class ApiHandler {
  private final Vertx vertx;
  private final SimulatorOptions options;
  private final Answers answers;
  private final RequestLog log;
  private final FaultState faults;
  private final AtomicLong ids = new AtomicLong();

  ApiHandler(Vertx vertx, SimulatorOptions options, RequestLog log, FaultState faults) {
    this.vertx = vertx;
    this.options = options;
    this.answers = new Answers(options.name(), options.streamEvents());
    this.log = log;
    this.faults = faults;
  }

  void handle(HttpServerRequest request) {
    Exchange exchange = new Exchange(vertx, request, options.name(), log::requestCancelled);
    BodyCollector body = new BodyCollector();
    request.handler(body::append);
    request.endHandler(ignored -> onBody(exchange, body));
  }

  private void onBody(Exchange exchange, BodyCollector body) {
    HttpServerRequest request = exchange.request();
    Buffer bytes = body.bytes();
    Buffer kept =
        bytes != null && bytes.length() < RecordedRequest.MAX_KEPT_BODY_BYTES ? bytes : null;
    log.record(
        new RecordedRequest(
            request.method().name(),
            request.path(),
            request.uri(),
            io.vertx.core.http.HttpHeaders.headers().addAll(request.headers()),
            body.size(),
            body.sha256Hex(),
            kept,
            Instant.now()));
    Fault fault = faults.claim(request.path());
    if (fault != null && fault.resetBeforeHeaders()) {
      exchange.reset();
      return;
    }
    if (fault != null && fault.hang()) {
      return;
    }
    exchange.after(
        fault == null ? null : fault.headerDelay(),
        () -> {
          if (fault != null && fault.status() != null) {
            exchange.sendError(fault.status(), fault.retryAfter(), answers);
          } else {
            answer(exchange, body, fault);
          }
        });
  }

  private void answer(Exchange exchange, BodyCollector body, Fault fault) {
    HttpServerRequest request = exchange.request();
    String path = request.path();
    boolean post = request.method() == HttpMethod.POST;
    if (post && path.endsWith("/chat/completions")) {
      chat(exchange, body, fault);
    } else if (post && path.endsWith("/completions")) {
      JsonObject json = parse(exchange, body);
      if (json != null) {
        ChatRequest completion = ChatRequest.of(nextId("cmpl-sim-"), json, body.size());
        exchange.sendJson(
            200, answers.textCompletion(completion.id(), completion.model(), body.size()), fault);
      }
    } else if (post && path.endsWith("/embeddings")) {
      JsonObject json = parse(exchange, body);
      if (json != null) {
        exchange.sendJson(200, answers.embeddings(json, body.size()), fault);
      }
    } else if (request.method() == HttpMethod.GET && path.endsWith("/models")) {
      exchange.sendJson(200, answers.models(), fault);
    } else {
      exchange.sendJson(200, echo(request, body), fault);
    }
  }

  private void chat(Exchange exchange, BodyCollector body, Fault fault) {
    JsonObject json = parse(exchange, body);
    if (json == null) {
      return;
    }
    ChatRequest chat = ChatRequest.of(nextId("chatcmpl-sim-"), json, body.size());
    boolean errorInStream = fault != null && fault.errorInStream();
    if (chat.stream()) {
      StreamSender.send(
          exchange, answers, options.streamEvents(), options.eventDelay(), chat, fault);
    } else if (errorInStream) {
      exchange.sendJson(
          200,
          answers.error("simulated error in a 200 answer", "server_error", "sim_error"),
          fault);
    } else {
      exchange.sendJson(200, answers.chatCompletion(chat.id(), chat.model(), body.size()), fault);
    }
  }

  /** The body as a JSON object; answers 400 and returns null when it is not one. */
  private JsonObject parse(Exchange exchange, BodyCollector body) {
    Buffer bytes = body.bytes();
    if (bytes == null) {
      return new JsonObject();
    }
    try {
      return bytes.length() == 0 ? new JsonObject() : new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      exchange.sendJson(
          400,
          answers.error(
              "the request body is not a JSON object", "invalid_request_error", "invalid_json"),
          null);
      return null;
    }
  }

  private JsonObject echo(HttpServerRequest request, BodyCollector body) {
    return new JsonObject()
        .put("object", "sim.echo")
        .put("sim", options.name())
        .put("method", request.method().name())
        .put("path", request.path())
        .put("bytes", body.size())
        .put("sha256", body.sha256Hex());
  }

  private String nextId(String prefix) {
    return prefix + options.name() + "-" + ids.incrementAndGet();
  }
}
