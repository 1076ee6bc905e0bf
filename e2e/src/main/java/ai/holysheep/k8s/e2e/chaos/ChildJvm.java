package ai.holysheep.k8s.e2e.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code java -jar} child process: output appended to a log file, a future for its ready line,
 * and the two ways chaos ends it ({@link #kill()}: SIGKILL, nothing flushed; {@link #close()}:
 * SIGTERM, then SIGKILL after a bound). The environment is this JVM's minus every {@code
 * HOLYSHEEP_*}/{@code OPENAI_*} variable, plus {@code env}.
 */
public final class ChildJvm implements AutoCloseable {
  /** Bound on a JVM printing its ready line on a busy machine. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Bound on a process going away after SIGTERM before it is killed. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  /** Output lines kept in memory for error messages. */
  private static final int TAIL_LINES = 40;

  private final String name;
  private final Process process;
  private final Pattern ready;
  private final CompletableFuture<Matcher> readyLine = new CompletableFuture<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();

  private ChildJvm(
      String name, List<String> command, Map<String, String> env, Path log, Pattern ready)
      throws IOException {
    this.name = name;
    this.ready = ready;
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HOLYSHEEP_") || k.startsWith("OPENAI_"));
    builder.environment().putAll(env);
    process = builder.start();
    Thread reader = new Thread(() -> pump(log), name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java FLAGS -jar JAR ARGS} with this JVM's java. */
  public static ChildJvm start(
      String name,
      List<String> jvmFlags,
      Path jar,
      List<String> args,
      Map<String, String> env,
      Path log,
      Pattern ready)
      throws IOException {
    return start(name, javaBinary(), jvmFlags, jar, args, env, log, ready);
  }

  /** Starts {@code JAVA FLAGS -jar JAR ARGS}; {@link #awaitReady} waits for its ready line. */
  public static ChildJvm start(
      String name,
      String java,
      List<String> jvmFlags,
      Path jar,
      List<String> args,
      Map<String, String> env,
      Path log,
      Pattern ready)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return new ChildJvm(name, command, env, log, ready);
  }

  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The ready line's match; throws with the output's tail when it exits first or times out. */
  public Matcher awaitReady() throws IOException {
    try {
      return readyLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          name + " printed no ready line within " + START_TIMEOUT + "\n" + tail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(name + ": interrupted while starting", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: the process gets no chance to flush or close anything, as in an OOM kill. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  public synchronized String tail() {
    return "--- last output of " + name + " ---\n" + String.join("\n", tail);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  private void pump(Path log) {
    try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out =
            new PrintWriter(
                Files.newBufferedWriter(
                    log,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND),
                true)) {
      String line;
      while ((line = lines.readLine()) != null) {
        out.println(line);
        remember(line);
        Matcher m = ready.matcher(line.strip());
        if (m.matches()) {
          readyLine.complete(m);
        }
      }
    } catch (IOException e) {
      // the process went away; the ready future below reports it
    }
    process
        .onExit()
        .thenAccept(
            p ->
                readyLine.completeExceptionally(
                    new IOException(
                        name
                            + " exited ("
                            + p.exitValue()
                            + ") before its ready line\n"
                            + tail())));
  }

  private synchronized void remember(String line) {
    if (tail.size() == TAIL_LINES) {
      tail.removeFirst();
    }
    tail.addLast(line);
  }
}
