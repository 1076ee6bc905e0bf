package ai.holysheep.k8s.sidecar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.route.RouteClass;
import ai.holysheep.k8s.sidecar.route.RouteClass.Replay;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifierTest {

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 520, 521, 522, 523, 524})
  void serverErrorsAndCdnErrorsFailOverAndCount(int status) {
    assertEquals(FailureKind.SERVER_ERROR, Classifier.ofStatus(status, false));
    assertTrue(FailureKind.SERVER_ERROR.countsAgainstBreaker());
    assertEquals(Replay.NOT_DONE, FailureKind.SERVER_ERROR.reached());
  }

  @Test
  void overloadedAndRequestTimeoutFailOver() {
    assertEquals(FailureKind.OVERLOADED, Classifier.ofStatus(529, false));
    assertEquals(FailureKind.REQUEST_TIMEOUT, Classifier.ofStatus(408, false));
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403})
  void authErrorsAreTheUpstreamsFailure(int status) {
    assertEquals(FailureKind.AUTH, Classifier.ofStatus(status, false));
    assertTrue(FailureKind.AUTH.countsAgainstBreaker());
  }

  @Test
  void rateLimitsAnd503WithRetryAfterAreStateNotBreakerFailures() {
    assertEquals(FailureKind.RATE_LIMITED, Classifier.ofStatus(429, false));
    assertEquals(FailureKind.RATE_LIMITED, Classifier.ofStatus(503, true));
    assertEquals(FailureKind.SERVER_ERROR, Classifier.ofStatus(503, false));
    assertFalse(FailureKind.RATE_LIMITED.countsAgainstBreaker());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 413, 422, 501})
  void clientErrorsPassThrough(int status) {
    assertNull(Classifier.ofStatus(status, false));
    assertNull(Classifier.ofHead(status, "application/json", false, false));
  }

  @Test
  void a2xxIsABadAnswerWhenHtmlOrNotSseToAStreamRequest() {
    assertEquals(
        FailureKind.BAD_ANSWER, Classifier.ofHead(200, "text/html; charset=utf-8", false, false));
    assertEquals(FailureKind.BAD_ANSWER, Classifier.ofHead(200, "application/json", true, false));
    assertNull(Classifier.ofHead(200, "text/event-stream", true, false));
    assertNull(Classifier.ofHead(200, "application/json", false, false));
    assertEquals(FailureKind.SERVER_ERROR, Classifier.ofHead(502, "text/html", false, false));
  }

  @Test
  void transportFailuresAreClassifiedByCause() {
    assertEquals(FailureKind.CONNECT, Classifier.ofException(new ConnectException("refused")));
    assertEquals(
        FailureKind.TLS,
        Classifier.ofException(new RuntimeException(new SSLHandshakeException("bad cert"))));
    assertEquals(
        FailureKind.POOL_BUSY, Classifier.ofException(new ConnectionPoolTooBusyException("full")));
    assertFalse(FailureKind.POOL_BUSY.countsAgainstBreaker());
    assertEquals(FailureKind.RESET, Classifier.ofException(new IllegalStateException("closed")));
  }

  @Test
  void theRouteClassDecidesWhichFailuresAreReplayed() {
    assertTrue(RouteClass.STATELESS.replays(FailureKind.SERVER_ERROR.reached()));
    assertFalse(RouteClass.STATELESS.replays(FailureKind.BODY_INTERRUPTED.reached()));
    assertTrue(RouteClass.STATEFUL.replays(FailureKind.CONNECT.reached()));
    assertFalse(RouteClass.STATEFUL.replays(FailureKind.SERVER_ERROR.reached()));
    assertFalse(RouteClass.STATEFUL.replays(FailureKind.RESET.reached()));
    assertTrue(RouteClass.READ_ONLY.replays(FailureKind.BODY_INTERRUPTED.reached()));
    assertFalse(RouteClass.STATEFUL.mayFailOver());
    assertFalse(RouteClass.STATEFUL_READ.mayFailOver());
  }
}
