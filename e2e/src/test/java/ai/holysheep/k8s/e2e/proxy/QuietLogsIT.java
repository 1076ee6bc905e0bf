package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.soak.ProcProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults the sidecar handles leave no SEVERE line (an operator is paged for those): an upstream
 * call it cancels, a connection the upstream resets mid-request, a pooled idle connection the
 * upstream resets. The chaos suite found one SEVERE line per cancelled call and per reset
 * connection.
 */
class QuietLogsIT extends TwoUpstreams {
  /** Bound on the sidecar noticing that its pooled connection was reset. */
  static final long RESET_NOTICED_MILLIS = 10_000;

  private final List<LogRecord> severe = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            synchronized (severe) {
              severe.add(record);
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    Logger.getLogger("").removeHandler(capture);
  }

  private void assertNoSevereLine() {
    synchronized (severe) {
      List<String> lines = new ArrayList<>();
      for (LogRecord record : severe) {
        lines.add(record.getLoggerName() + ": " + record.getMessage());
      }
      assertEquals(List.of(), lines);
    }
  }

  @Test
  void aStreamWhoseUpstreamStaysSilentPastTimeoutIsCancelledWithoutASevereLine() {
    bed.start(config());
    primary.setFault(Fault.ofHang());
    Answer answer = bed.chat(true);
    assertEquals("secondary", answer.upstream());
    await(primary.awaitCancelled(1));
    assertNoSevereLine();
  }

  @Test
  void aJsonCallLeavingAHungUpstreamWhoseBreakerOpensLeavesNoSevereLine() {
    bed.start(config());
    primary.setFault(Fault.ofHang());
    var waiting = bed.chatAsync();
    await(primary.awaitRequests(1));
    for (int i = 0; i < 3; i++) {
      assertEquals("secondary", bed.chat(true).upstream(), "streams time out and open the breaker");
    }
    assertEquals("secondary", await(waiting).upstream(), "the JSON call moved when it opened");
    assertNoSevereLine();
  }

  @Test
  void aStreamEndingWithoutDoneIsClosedWithTheErrorEventAndNoSevereLine() {
    bed.start(config());
    primary.setFault(Fault.builder().noDone(true).build());
    Answer answer = bed.chat(true);
    assertTrue(answer.text().contains("upstream_error"), answer.text());
    assertNoSevereLine();
  }

  @Test
  void aStreamResetAfterItsFirstEventsEndsWithTheErrorEventAndNoSevereLine() {
    bed.start(config());
    primary.setFault(Fault.ofResetAfterEvents(2));
    Answer answer = bed.chat(true);
    assertTrue(answer.text().contains("upstream_error"), answer.text());
    assertNoSevereLine();
  }

  @Test
  void anUpstreamThatResetsTheConnectionMidRequestIsFailedOverWithoutASevereLine()
      throws Exception {
    try (ResettingUpstream resetting =
        new ResettingUpstream(ResettingUpstream.Mode.RESET_ON_REQUEST)) {
      bed.start(ProxyTestBed.config(resetting.baseUrl(), secondary.baseUrl()));
      for (int i = 0; i < 3; i++) {
        assertEquals("secondary", bed.chat().upstream());
      }
    }
    assertNoSevereLine();
  }

  @Test
  void anUpstreamThatResetsAnIdlePooledConnectionLeavesNoSevereLine() throws Exception {
    try (ResettingUpstream resetting =
        new ResettingUpstream(ResettingUpstream.Mode.ANSWER_THEN_RESET_IDLE)) {
      bed.start(ProxyTestBed.config(resetting.baseUrl(), secondary.baseUrl()));
      assertEquals("primary", bed.chat().upstream());
      long self = ProcessHandle.current().pid();
      long deadline = System.currentTimeMillis() + RESET_NOTICED_MILLIS;
      while (ProcProbe.connections(self).toRemote(resetting.port()) > 0) {
        assertTrue(System.currentTimeMillis() < deadline, "the reset connection is still open");
        Thread.onSpinWait();
      }
    }
    assertNoSevereLine();
  }
}
