package ai.holysheep.k8s.e2e.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the sidecar under test is started: as its image runs it, in a pod with the chart's default
 * resources. The image's JVM flags come from its argument file ({@code
 * sidecar/image/holysheep-sidecar.args}, next to the jar's module) and run on the image's JDK 25
 * ({@code JAVA25_HOME}, as {@code make bench} and {@code make image-root} use it), without the AOT
 * cache (a start-up aid that needs the image build) and with the chart's default limits applied as
 * the container would: {@code -XX:MaxRAM=256m} (so {@code MaxRAMPercentage} sizes the heap as under
 * a 256Mi limit) and one processor (the 1 CPU limit: one event loop). Without JDK 25 the build's
 * JVM runs with the flags it understands.
 *
 * @param description what ran, for the report
 */
public record SidecarJvm(String java, List<String> flags, String description) {
  /** The chart's default memory limit (sidecar.resources.limits.memory, 256Mi). */
  public static final String MEMORY_LIMIT = "256m";

  /** The chart's default CPU limit (1) as the JVM sees it. */
  public static final int PROCESSORS = 1;

  /** The image's JDK, where the Makefile looks for it. */
  public static final String DEFAULT_JAVA25_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";

  /** The same flags for JDK 17: the heap the 256Mi limit gives, no JDK-25-only options. */
  static final List<String> JDK17_FLAGS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx154m");

  public static SidecarJvm forJar(Path sidecarJar) throws IOException {
    Path args =
        sidecarJar
            .toAbsolutePath()
            .getParent()
            .getParent()
            .resolve("image")
            .resolve("holysheep-sidecar.args");
    String home = System.getenv().getOrDefault("JAVA25_HOME", DEFAULT_JAVA25_HOME);
    Path java25 = Path.of(home, "bin", "java");
    List<String> limits =
        List.of("-XX:MaxRAM=" + MEMORY_LIMIT, "-XX:ActiveProcessorCount=" + PROCESSORS);
    if (Files.isRegularFile(args) && Files.isExecutable(java25)) {
      List<String> flags = new ArrayList<>(imageFlags(Files.readAllLines(args)));
      flags.addAll(limits);
      return new SidecarJvm(java25.toString(), flags, "JDK 25 with the image's flags " + flags);
    }
    List<String> flags = new ArrayList<>(JDK17_FLAGS);
    flags.add("-XX:ActiveProcessorCount=" + PROCESSORS);
    return new SidecarJvm(
        ChildJvm.javaBinary(), flags, "the build's JVM (no JDK 25 found) with " + flags);
  }

  /** The argument file's JVM options: no comments, no AOT cache, nothing from {@code -jar} on. */
  static List<String> imageFlags(List<String> lines) {
    List<String> flags = new ArrayList<>();
    for (String line : lines) {
      String arg = line.strip();
      if (arg.equals("-jar")) {
        break;
      }
      if (!arg.isEmpty() && !arg.startsWith("#") && !arg.startsWith("-XX:AOTCache")) {
        flags.add(arg);
      }
    }
    return flags;
  }

  /** The {@code jcmd} of the JDK that runs the sidecar (another JDK's cannot attach to it). */
  public Path jcmd() {
    return Path.of(java).resolveSibling("jcmd");
  }
}
