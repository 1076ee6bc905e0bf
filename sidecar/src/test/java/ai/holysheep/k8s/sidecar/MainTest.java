package ai.holysheep.k8s.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  @Test
  void logFormatPutsEachRecordOnOneLine() {
    java.util.logging.LogRecord record =
        new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "upstream {0} failed");
    record.setParameters(new Object[] {"primary"});
    record.setLoggerName("ai.holysheep.k8s.sidecar.proxy.Attempt");
    record.setInstant(java.time.Instant.parse("2026-01-02T03:04:05.678Z"));
    String line =
        String.format(
            Main.LOG_FORMAT,
            java.time.ZonedDateTime.ofInstant(record.getInstant(), java.time.ZoneOffset.UTC),
            "source",
            record.getLoggerName(),
            record.getLevel().getLocalizedName(),
            new java.util.logging.SimpleFormatter().formatMessage(record),
            "");

    assertEquals(
        "2026-01-02T03:04:05.678+0000 WARNING ai.holysheep.k8s.sidecar.proxy.Attempt:"
            + " upstream primary failed"
            + System.lineSeparator(),
        line);
  }

  private String runCapturingStderr(String[] args, Map<String, String> env, int expectedExit) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(expectedExit, Main.run(args, env));
    } finally {
      System.setErr(original);
    }
    return err.toString();
  }

  @Test
  void anInvalidConfigPrintsOneLinePerErrorAndExitsTwo() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), "timeout: 3 seconds\nmaxRetries: -1\n");
    String err = runCapturingStderr(new String[] {"--config", config.toString()}, Map.of(), 2);
    List<String> lines = err.lines().toList();
    assertEquals(2, lines.size(), err);
    assertTrue(err.contains("timeout"), err);
    assertTrue(err.contains("maxRetries"), err);
  }

  @Test
  void anInvalidEnvConfigExitsTwo() {
    String err =
        runCapturingStderr(
            new String[0],
            Map.of("HOLYSHEEP_CONFIG", "{\"baseUrl\":\"http://example.com/v1\"}"),
            2);
    assertTrue(err.contains("baseUrl"), err);
  }

  @Test
  void unknownFlagsAndBadPortsAreRefused() {
    assertTrue(runCapturingStderr(new String[] {"--nope", "x"}, Map.of(), 2).contains("--nope"));
    assertTrue(
        runCapturingStderr(new String[0], Map.of("HOLYSHEEP_PROXY_PORT", "99999"), 2)
            .contains("HOLYSHEEP_PROXY_PORT"));
  }

  @Test
  void listenAddressesParseIpv6InBrackets() {
    assertEquals(new ListenAddress("::1", 15080), ListenAddress.parse("--listen", "[::1]:15080"));
    assertEquals(
        List.of(new ListenAddress("127.0.0.1", 0), new ListenAddress("::1", 0)),
        ListenAddress.parseList("--listen", "127.0.0.1:0,[::1]:0"));
  }

  @Test
  void gatewayModeRefusesBadFlagsAndAMissingCertificateWithExitTwo() {
    Map<String, String> inCluster = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    assertTrue(
        runCapturingStderr(new String[] {"gateway", "--bogus", "1"}, inCluster, 2)
            .contains("--bogus: unknown flag"));
    assertTrue(
        runCapturingStderr(new String[] {"gateway"}, Map.of(), 2)
            .contains("KUBERNETES_SERVICE_HOST is not set"));
    String err =
        runCapturingStderr(
            new String[] {
              "gateway",
              "--tls-cert",
              dir.resolve("absent.crt").toString(),
              "--kube-api",
              "http://127.0.0.1:1"
            },
            inCluster,
            2);
    assertTrue(err.startsWith("holysheep-gateway: cannot read " + dir.resolve("absent.crt")), err);
  }
}
