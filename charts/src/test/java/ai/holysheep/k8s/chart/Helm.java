package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real helm binary against the chart. A missing helm fails the test: it never skips. */
final class Helm {
  static final String RELEASE = "holysheep-injector";
  static final String NAMESPACE = "holysheep-system";
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  static final Path CHART = Path.of("holysheep-injector").toAbsolutePath();
  private static final Path BUNDLED_HELM = Path.of("../.tools/bin/helm");

  private Helm() {}

  record Result(int exitCode, String stdout, String stderr) {}

  /** {@code helm template} with the given extra arguments; fails the test unless it succeeds. */
  static Rendered template(String... extraArgs) {
    Result result = run(templateArgs(extraArgs));
    if (result.exitCode() != 0) {
      fail("helm template " + String.join(" ", extraArgs) + " failed:\n" + result.stderr());
    }
    return Rendered.parse(result.stdout());
  }

  /** {@code helm template} that is expected to fail; returns its result for the caller to check. */
  static Result templateExpectingFailure(String... extraArgs) {
    Result result = run(templateArgs(extraArgs));
    if (result.exitCode() == 0) {
      fail("helm template " + String.join(" ", extraArgs) + " succeeded but should have failed");
    }
    return result;
  }

  private static List<String> templateArgs(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, CHART.toString()));
    args.addAll(List.of("--namespace", NAMESPACE));
    args.addAll(List.of(extraArgs));
    return args;
  }

  static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("helm did not finish within " + COMMAND_TIMEOUT + ": " + command);
      }
      return new Result(
          process.exitValue(),
          out.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          err.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("could not run " + command + ": " + e, e);
    }
  }

  private static CompletableFuture<String> readAsync(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** System property helm.binary, else ../.tools/bin/helm (make tools), else helm on PATH. */
  static Path binary() {
    String configured = System.getProperty("helm.binary", "").trim();
    if (!configured.isEmpty()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        fail("helm.binary=" + configured + " is not an executable file; run `make tools`");
      }
      return path;
    }
    if (Files.isExecutable(BUNDLED_HELM)) {
      return BUNDLED_HELM.toAbsolutePath();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "helm");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "helm not found: pass -Dhelm.binary=PATH, or run `make tools` to install it into .tools/bin");
  }
}
