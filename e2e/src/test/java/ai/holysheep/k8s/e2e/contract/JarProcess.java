package ai.holysheep.k8s.e2e.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code java -jar} child process, its stdout and stderr captured apart, with a future for
 * the first stdout line matching its ready pattern. The child's environment is the test JVM's minus
 * every {@code HOLYSHEEP_*} and {@code OPENAI_*} variable, plus exactly the given env.
 */
final class JarProcess implements AutoCloseable {
  /** Bound on a JVM printing its ready line (the webhook warms up before it listens). */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How often {@link #awaitOutput} looks at the output. */
  static final Duration OUTPUT_POLL = Duration.ofMillis(20);

  /** Bound on a stopped process going away. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private static final List<String> FAST_START_JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

  private final String name;
  private final Process process;
  private final Pattern ready;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();
  private final CompletableFuture<Matcher> readyLine = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit;

  private JarProcess(String name, List<String> command, Map<String, String> env, Pattern ready)
      throws IOException {
    this.name = name;
    this.ready = ready;
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("HOLYSHEEP_"));
    builder.environment().keySet().removeIf(k -> k.startsWith("OPENAI_"));
    builder.environment().putAll(env);
    process = builder.start();
    exit = process.onExit().thenApply(Process::exitValue);
    reader(process.getInputStream(), stdout, true).start();
    reader(process.getErrorStream(), stderr, false).start();
  }

  /** Runs a command line as given (e.g. a container's exec hook with local paths substituted). */
  static JarProcess exec(String name, List<String> command, Map<String, String> env)
      throws IOException {
    return new JarProcess(name, command, env, null);
  }

  /** Starts {@code java [fast-start flags] -jar JAR ARGS…}; {@code ready} may be null. */
  static JarProcess start(
      String name, Path jar, List<String> args, Map<String, String> env, Pattern ready)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(FAST_START_JVM_FLAGS);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return new JarProcess(name, command, env, ready);
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The jar built by another module, e.g. {@code ../sidecar/target/holysheep-sidecar.jar}. */
  static Path jar(String property, String module, String file) {
    Path jar =
        Path.of(System.getProperty(property, Path.of("..", module, "target", file).toString()));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " not found; build the " + module + " module first (install)");
    }
    return jar.toAbsolutePath().normalize();
  }

  /** The ready line's match; fails with the process output when it exits first or times out. */
  Matcher awaitReady() throws Exception {
    try {
      return readyLine.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          name + " printed no ready line within " + START_TIMEOUT + "\n" + output());
    }
  }

  /**
   * Waits until stdout or stderr holds {@code text}; fails with the output after {@code timeout} or
   * when the process exits first.
   */
  void awaitOutput(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stdout.toString().contains(text) && !stderr.toString().contains(text)) {
      if (exit.isDone()) {
        throw new AssertionError(name + " exited before printing \"" + text + "\"\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            name + " printed no \"" + text + "\" within " + timeout + "\n" + output());
      }
      // a bounded pause that ends early when the process exits
      exit.copy().completeOnTimeout(-1, OUTPUT_POLL.toMillis(), TimeUnit.MILLISECONDS).join();
    }
  }

  /**
   * Sends SIGTERM (what the kubelet sends at the start of a pod's termination) and keeps reading
   * the output: {@code Process.destroy()} also closes this side's pipes, so whatever the process
   * logs while it shuts down would be lost.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  int awaitExit(Duration timeout) throws Exception {
    try {
      return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(name + " did not exit within " + timeout + "\n" + output());
    }
  }

  String stdout() {
    return stdout.toString();
  }

  String stderr() {
    return stderr.toString();
  }

  String output() {
    return "--- " + name + " stdout ---\n" + stdout + "--- " + name + " stderr ---\n" + stderr;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private Thread reader(InputStream stream, StringBuffer sink, boolean matchReady) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  sink.append(line).append('\n');
                  if (matchReady && ready != null) {
                    Matcher m = ready.matcher(line.strip());
                    if (m.matches()) {
                      readyLine.complete(m);
                    }
                  }
                }
              } catch (IOException e) {
                // the process went away; the exit future reports it
              }
              if (matchReady) {
                exit.whenComplete(
                    (code, error) ->
                        readyLine.completeExceptionally(
                            new AssertionError(
                                name
                                    + " exited ("
                                    + code
                                    + ") before its ready line\n"
                                    + output())));
              }
            },
            name + "-" + (matchReady ? "stdout" : "stderr"));
    thread.setDaemon(true);
    return thread;
  }
}
