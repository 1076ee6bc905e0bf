package ai.holysheep.k8s.sidecar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifierTest {

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorsFailOverAndCount(int status) {
    assertEquals(FailureKind.SERVER_ERROR, Classifier.ofStatus(status));
    assertTrue(Classifier.ofStatus(status).countsAgainstBreaker());
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403})
  void authErrorsAreTheUpstreamsFailure(int status) {
    assertEquals(FailureKind.AUTH, Classifier.ofStatus(status));
    assertTrue(FailureKind.AUTH.countsAgainstBreaker());
  }

  @Test
  void rateLimitFailsOverWithoutCountingAgainstTheBreaker() {
    assertEquals(FailureKind.RATE_LIMITED, Classifier.ofStatus(429));
    assertFalse(FailureKind.RATE_LIMITED.countsAgainstBreaker());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 413, 422})
  void clientErrorsPassThrough(int status) {
    assertNull(Classifier.ofStatus(status));
    assertTrue(Classifier.isPassThrough(status));
  }

  @Test
  void successIsNotPassThrough() {
    assertNull(Classifier.ofStatus(200));
    assertFalse(Classifier.isPassThrough(200));
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
}
