package ai.holysheep.k8s.webhook.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectCommandTest {
  static final Path EXAMPLE = Path.of("..", "examples", "deployment.yaml");

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        InjectCommand.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void exampleDeploymentIsInjectedAndReinjectingChangesNothing() throws Exception {
    Run first = run("", "-f", EXAMPLE.toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("name: holysheep-proxy"), first.out());
    assertTrue(first.out().contains("value: http://127.0.0.1:15080/v1"), first.out());
    assertTrue(first.out().contains("kind: Service"), "other kinds pass through");

    Run second = run(first.out(), "-f", "-");
    assertEquals(0, second.code(), second.err());
    assertEquals(first.out(), second.out());
  }

  @Test
  void configFileBecomesTheDefaultAndMayBeAWholeCustomResource(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "apiVersion: holysheep.ai/v1\nkind: HolySheepConfig\nmetadata: {name: default}\n"
            + "spec:\n  baseUrl: https://eu.api.holysheep.ai/v1\n  maxRetries: 1\n");
    Run result = run("", "-f", EXAMPLE.toString(), "--config", config.toString());
    assertEquals(0, result.code(), result.err());
    assertTrue(result.out().contains("https://eu.api.holysheep.ai/v1"), result.out());
    assertTrue(result.out().contains("\\\"maxRetries\\\":1"), result.out());
  }

  @Test
  void invalidConfigFileIsReportedFieldByFieldWithExitOne(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "timeout: 3 seconds\nbaseUrl: http://api.holysheep.ai/v1\n");
    Run result = run("", "-f", EXAMPLE.toString(), "--config", config.toString());
    assertEquals(1, result.code());
    assertEquals("", result.out());
    assertTrue(result.err().contains("timeout"), result.err());
    assertTrue(result.err().contains("3 seconds"), result.err());
    assertTrue(result.err().contains("baseUrl"), result.err());
  }

  @Test
  void missingFileAndBadFlagsExitOneWithAMessage() {
    Run missing = run("", "-f", "no-such-file.yaml");
    assertEquals(1, missing.code());
    assertTrue(
        missing.err().contains("cannot read no-such-file.yaml: no such file"), missing.err());

    Run noFile = run("");
    assertEquals(1, noFile.code());
    assertTrue(noFile.err().contains("-f FILE"), noFile.err());

    Run badUid = run("", "-f", "-", "--sidecar-uid", "0");
    assertEquals(1, badUid.code());
    assertTrue(badUid.err().contains("--sidecar-uid: \"0\" is invalid"), badUid.err());
  }

  @Test
  void invalidYamlNamesTheDocument() {
    Run result = run("kind: ConfigMap\n---\nkind: [unclosed\n", "-f", "-");
    assertEquals(1, result.code());
    assertTrue(result.err().contains("document 2 is not valid YAML"), result.err());
  }
}
