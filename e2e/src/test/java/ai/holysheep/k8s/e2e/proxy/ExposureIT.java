package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

class ExposureIT extends TwoUpstreams {
  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return address;
        }
      }
    }
    return null;
  }

  @Test
  void theProxyPortRefusesConnectionsOnANonLoopbackAddress() throws Exception {
    InetAddress external = nonLoopbackAddress();
    assumeTrue(external != null, "this machine has no non-loopback address");
    bed.start(ProxyTestBed.config(primary.baseUrl()));
    int port = bed.sidecar.proxyPort();
    try (Socket loopback = new Socket()) {
      loopback.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    }
    assertThrows(
        ConnectException.class,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(external, port), 2000);
          }
        },
        "proxy port " + port + " must not accept on " + external.getHostAddress());
  }

  @Test
  void logsMetricsStatusAndErrorsHoldNoTraceOfTheKey() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Handler handler = new StreamHandler(captured, new SimpleFormatter());
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    Level previous = root.getLevel();
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    for (String name : new String[] {"ai.holysheep", "io.vertx", "io.netty", "io.github"}) {
      Logger.getLogger(name).setLevel(Level.ALL);
    }
    StringBuilder answers = new StringBuilder();
    try {
      bed.start(
          ProxyTestBed.config(
              primary.baseUrl(),
              secondary.baseUrl(),
              "http://127.0.0.1:" + ProxyTestBed.closedPort() + "/v1"));
      primary.setFault(Fault.ofStatus(401));
      secondary.setFault(Fault.ofResetBeforeHeaders());
      for (int i = 0; i < 5; i++) {
        answers.append(bed.chat().text());
        answers.append(bed.chat(true).text());
      }
      answers.append(bed.admin("/metrics").text());
      answers.append(bed.admin("/status").text());
    } finally {
      handler.flush();
      root.removeHandler(handler);
      root.setLevel(previous);
    }
    String logs = captured.toString();
    assertFalse(logs.isEmpty(), "failing traffic produced log output to inspect");
    for (String key :
        new String[] {
          ProxyTestBed.PRIMARY_KEY, ProxyTestBed.SECONDARY_KEY, ProxyTestBed.THIRD_KEY
        }) {
      assertFalse(logs.contains(key), "key in logs");
      assertFalse(logs.contains(key.substring(0, 16)), "key prefix in logs");
      assertFalse(answers.toString().contains(key), "key in an answer, /metrics or /status");
    }
    assertEquals(true, logs.contains("circuit breaker"), "breaker transitions were logged");
  }
}
