package ai.holysheep.k8s.e2e.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real sidecar JVM ({@code java -jar holysheep-sidecar.jar}) on ephemeral loopback ports, with
 * its whole output captured so tests can check what it logged.
 */
public final class SidecarProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile(
          "^holysheep-sidecar ready proxy=(\\S+?):(\\d+)\\S* admin=(\\S+):(\\d+) config=\\S+$");
  private static final long START_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<int[]> ports = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit;

  /** Completes when the reader has seen the end of the output (the process closed it). */
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

  private SidecarProcess(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("HOLYSHEEP_"));
    builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
    builder.environment().putAll(env);
    process = builder.start();
    exit = process.onExit().thenApply(Process::exitValue);
    Thread reader = new Thread(this::readOutput, "sidecar-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** JVM flags of the tests' sidecars: fast start, the pod's collector, a small heap. */
  static final List<String> TEST_JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m");

  /** Starts a sidecar and waits for its ready line. */
  static SidecarProcess start(Map<String, String> env) throws Exception {
    return start(env, TEST_JVM_FLAGS);
  }

  /** Starts a sidecar with these JVM flags and waits for its ready line. */
  public static SidecarProcess start(Map<String, String> env, List<String> jvmFlags)
      throws Exception {
    SidecarProcess sidecar = launch(env, jvmFlags);
    sidecar.ports.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return sidecar;
  }

  /** Starts a sidecar that is expected to refuse its config; returns once it exited. */
  static SidecarProcess startExpectingExit(Map<String, String> env) throws Exception {
    SidecarProcess sidecar = launch(env, TEST_JVM_FLAGS);
    sidecar.exit.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    // The process can exit before the reader thread has appended its last lines (the error the
    // caller asserts on): output() is complete only once the reader reached the end.
    sidecar.outputEnded.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return sidecar;
  }

  private static SidecarProcess launch(Map<String, String> env, List<String> jvmFlags)
      throws IOException {
    Path jar = jar();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            "-jar", jar.toString(), "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"));
    return new SidecarProcess(command, env);
  }

  static Path jar() {
    Path jar =
        Path.of(
            System.getProperty(
                "holysheep.sidecar.jar",
                Path.of("..", "sidecar", "target", "holysheep-sidecar.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "sidecar jar not found at " + jar.toAbsolutePath() + "; build the sidecar module first");
    }
    return jar;
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  public int proxyPort() {
    return ports.join()[0];
  }

  public int adminPort() {
    return ports.join()[1];
  }

  String proxyUrl() {
    return "http://127.0.0.1:" + proxyPort();
  }

  String adminUrl() {
    return "http://127.0.0.1:" + adminPort();
  }

  int exitCode() {
    return exit.join();
  }

  public String output() {
    return output.toString();
  }

  @Override
  public void close() throws Exception {
    process.destroyForcibly();
    process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private void readOutput() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.append(line).append('\n');
        Matcher ready = READY.matcher(line.strip());
        if (ready.matches()) {
          ports.complete(
              new int[] {Integer.parseInt(ready.group(2)), Integer.parseInt(ready.group(4))});
        }
      }
    } catch (IOException e) {
      ports.completeExceptionally(e);
    } finally {
      outputEnded.complete(null);
    }
    ports.completeExceptionally(new IllegalStateException("sidecar exited:\n" + output));
  }
}
