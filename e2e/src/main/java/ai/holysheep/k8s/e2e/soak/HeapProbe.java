package ai.holysheep.k8s.e2e.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM: {@code jcmd PID GC.run} (a full collection), then {@code jcmd PID
 * GC.heap_info}, summing the {@code used} of the young and old generations. The forced collection
 * is what makes the figure comparable from sample to sample (the heap after GC is the live set, not
 * wherever allocation happened to be); it costs the target one full-GC pause per sample.
 */
public final class HeapProbe {
  /** Bound on one jcmd call. */
  static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Serial (JDK 17: {@code def new generation}/{@code tenured generation}; JDK 25: {@code
   * DefNew}/{@code Tenured}), Parallel and G1 print their generations or heap as {@code … used NNNK
   * …}.
   */
  private static final Pattern GENERATION =
      Pattern.compile(
          "^\\s*(def new generation|tenured generation|DefNew|Tenured|PSYoungGen|ParOldGen"
              + "|garbage-first heap)\\s.*?used (\\d+)K");

  private HeapProbe() {}

  /** KiB of heap in use right after a full GC. */
  public static long usedAfterGcKib(Path jcmd, long pid) throws IOException, InterruptedException {
    jcmd(jcmd, pid, "GC.run");
    return parseUsedKib(jcmd(jcmd, pid, "GC.heap_info"));
  }

  static long parseUsedKib(String heapInfo) throws IOException {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = GENERATION.matcher(line);
      if (m.find()) {
        used += Long.parseLong(m.group(2));
        found = true;
      }
    }
    if (!found) {
      throw new IOException("no heap figures in GC.heap_info:\n" + heapInfo);
    }
    return used;
  }

  private static String jcmd(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("jcmd-", ".txt");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("jcmd " + command + " did not finish within " + JCMD_TIMEOUT);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException("jcmd " + command + " exited " + process.exitValue() + ": " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
