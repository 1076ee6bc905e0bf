package ai.holysheep.k8s.sidecar.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder refused (headers or request line too long, malformed): an OpenAI-style
 * JSON error instead of Vert.x's empty answer, then the connection closes.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
  public static final InvalidRequests INSTANCE = new InvalidRequests();

  private InvalidRequests() {}

  @Override
  public void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status;
    String code;
    String message;
    if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      code = "request_header_fields_too_large";
      message = "the request headers are larger than the sidecar accepts";
    } else if (cause instanceof TooLongHttpLineException) {
      status = 414;
      code = "uri_too_long";
      message = "the request line is longer than the sidecar accepts";
    } else {
      status = 400;
      code = "invalid_http_request";
      message = "the request is not valid HTTP/1.1";
    }
    request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    ErrorAnswers.send(
        request.response(), status, "invalid_request_error", code, message, null, 0, null);
  }
}
