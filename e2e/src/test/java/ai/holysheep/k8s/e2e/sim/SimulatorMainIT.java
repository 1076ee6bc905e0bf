package ai.holysheep.k8s.e2e.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shaded jar as a process: the ready line others parse, and the exit code on bad flags. */
class SimulatorMainIT {
  private static final Path JAR = Path.of("target", "holysheep-simulator.jar");

  /** A cold JVM on a busy 2-core machine. */
  private static final long START_SECONDS = 30;

  private static final Pattern READY =
      Pattern.compile("holysheep-simulator cli listening on (http://127\\.0\\.0\\.1:\\d+/v1)");

  @Test
  void printsTheReadyLineAndServes() throws Exception {
    assertTrue(Files.exists(JAR), JAR + " is built in the package phase");
    Process process =
        new ProcessBuilder("java", "-jar", JAR.toString(), "--name", "cli", "--stream-events", "2")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(() -> readLine(out)).get(START_SECONDS, TimeUnit.SECONDS);
      Matcher ready = READY.matcher(line == null ? "" : line);
      assertTrue(ready.matches(), "ready line: " + line);
      String answer = SimHttp.post(ready.group(1) + "/chat/completions", "{}").body();
      assertTrue(answer.contains("Simulated answer from cli. token-1"), answer);
    } finally {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void exitsWithTwoAndNamesTheFlagOnBadArguments() throws Exception {
    Process process =
        new ProcessBuilder("java", "-jar", JAR.toString(), "--stream-events", "none")
            .redirectErrorStream(true)
            .start();
    assertTrue(process.waitFor(START_SECONDS, TimeUnit.SECONDS), "exits on its own");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("--stream-events: \"none\" is not a whole number"), output);
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
