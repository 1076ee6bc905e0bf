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
    // The fault is claimed before the request is recorded: a test that waits for a request and
    // then changes the fault must not race this request's claim.
    Fault fault = faults.claim(request.path());
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
    if (fault.resetBeforeHeaders()) {
      exchange.reset();
      return;
    }
    if (fault.hang()) {
      return;
    }
    exchange.after(
        fault.headerDelay(),
        () -> {
          if (fault.html()) {
            exchange.sendHtml(fault.status() == null ? 200 : fault.status(), answers);
          } else if (fault.status() != null) {
            exchange.sendError(fault.status(), fault.retryAfter(), answers, modelOf(body));
          } else {
            answer(exchange, body, fault);
          }
        });
  }

  private void answer(Exchange exchange, BodyCollector body, Fault fault) {
    HttpServerRequest request = exchange.request();
    String path = request.path();
    boolean post = request.method() == HttpMethod.POST;
    if (fault.errorObject() != null || fault.errorInStream()) {
      errorObject(exchange, body, fault);
    } else if (post && path.endsWith("/chat/completions")) {
      chat(exchange, body, fault);
    } else if (post && path.endsWith("/responses")) {
      responses(exchange, body, fault);
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
    } else if (post && path.endsWith("/audio/speech")) {
      exchange.sendBody(200, "audio/mpeg", answers.speech(), fault);
    } else if (request.method() == HttpMethod.GET && path.endsWith("/models")) {
      exchange.sendJson(200, answers.models(), fault);
    } else {
      exchange.sendJson(200, echo(request, body), fault);
    }
  }

  /** A 200 error object: the JSON answer, or a stream's first (and only) data event. */
  private void errorObject(Exchange exchange, BodyCollector body, Fault fault) {
    JsonObject json = body.bytes() == null ? null : tryParse(body.bytes());
    boolean stream = json != null && Boolean.TRUE.equals(json.getValue("stream"));
    if (stream) {
      StreamSender.sendError(exchange, answers, options.eventDelay(), fault);
    } else {
      exchange.sendJson(200, answers.errorObject(fault), fault);
    }
  }

  private void chat(Exchange exchange, BodyCollector body, Fault fault) {
    JsonObject json = parse(exchange, body);
    if (json == null) {
      return;
    }
    ChatRequest chat = ChatRequest.of(nextId("chatcmpl-sim-"), json, body.size());
    if (fault.answerSize() != null) {
      BigAnswer.send(exchange, chat, answers.usage(body.size()), fault.answerSize());
    } else if (chat.stream() && !fault.notSse()) {
      StreamSender.sendChat(
          exchange, answers, options.streamEvents(), options.eventDelay(), chat, fault);
    } else {
      exchange.sendJson(200, answers.chatCompletion(chat.id(), chat.model(), body.size()), fault);
    }
  }

  private void responses(Exchange exchange, BodyCollector body, Fault fault) {
    JsonObject json = parse(exchange, body);
    if (json == null) {
      return;
    }
    String id = nextId("resp_sim_");
    String model = json.getString("model", Answers.DEFAULT_MODEL);
    if (Boolean.TRUE.equals(json.getValue("stream")) && !fault.notSse()) {
      StreamSender.sendResponses(
          exchange, answers, options.eventDelay(), id, model, body.size(), fault);
    } else {
      exchange.sendJson(200, answers.response(id, model, body.size(), true), fault);
    }
  }

  /** The requested model, when the body is a JSON object naming one. */
  private static String modelOf(BodyCollector body) {
    JsonObject json = body.bytes() == null ? null : tryParse(body.bytes());
    return json == null || !(json.getValue("model") instanceof String model) ? null : model;
  }

  private static JsonObject tryParse(Buffer bytes) {
    try {
      return bytes.length() == 0 ? null : new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      return null;
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
          Fault.NONE);
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
