package ai.holysheep.k8s.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String stdin, String... args) {
    return Main.run(
        args,
        Map.of(),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void injectIsDispatchedToTheInjectCommand() {
    String pod =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n"
            + "spec:\n  containers:\n    - name: app\n      image: example/app:1\n";
    int code = run(pod, "inject", "-f", "-", "--native-sidecar", "true");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("holysheep-proxy"), out.toString());
  }

  @Test
  void unknownCommandExitsTwoWithUsage() {
    assertEquals(2, run("", "mutate"));
    assertTrue(err.toString().contains("unknown command \"mutate\"; expected serve or inject"));
  }

  @Test
  void serveWithBadFlagExitsTwoBeforeStartingAnything() {
    assertEquals(2, run("", "serve", "--port", "99999"));
    assertTrue(err.toString().contains("--port: \"99999\" is not a port"), err.toString());
  }

  @Test
  void serveWithAnInvalidConfigFileListsEachErrorAndExitsTwo() throws Exception {
    java.nio.file.Path config = java.nio.file.Files.createTempFile("config", ".yaml");
    java.nio.file.Files.writeString(config, "timeout: 3 seconds\nmaxRetries: -1\n");
    try {
      assertEquals(
          2, run("", "serve", "--no-kube", "--cert-mode", "files", "--config", config.toString()));
      assertTrue(err.toString().contains("timeout"), err.toString());
    } finally {
      java.nio.file.Files.delete(config);
    }
  }

  @Test
  void serveWithoutTlsFilesExitsOneNamingThePaths() {
    int code =
        run(
            "",
            "serve",
            "--no-kube",
            "--cert-mode",
            "files",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--tls-dir",
            "/nonexistent/tls");
    assertEquals(1, code);
    assertTrue(
        err.toString()
            .contains("no usable TLS certificate: expected PEM files /nonexistent/tls/tls.crt"),
        err.toString());
  }
}
