package ai.holysheep.k8s.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One load run's answers as {@code hey -o csv} writes them (response-time in seconds first, status
 * code and offset since the run's start last). Percentiles are nearest-rank: the value below which
 * at least p of the answers lie, never an interpolation between two answers.
 */
final class LatencySamples {
  private final double[] offsetsSeconds;
  private final double[] latenciesMs;
  private final int failed;

  private LatencySamples(double[] offsetsSeconds, double[] latenciesMs, int failed) {
    this.offsetsSeconds = offsetsSeconds;
    this.latenciesMs = latenciesMs;
    this.failed = failed;
  }

  static LatencySamples read(Path csv) throws IOException {
    return Files.exists(csv) ? parse(Files.readAllLines(csv)) : parse(List.of());
  }

  /** Non-200 answers and errors are counted as failed, never as latencies. */
  static LatencySamples parse(List<String> lines) {
    double[] offsets = new double[lines.size()];
    double[] latencies = new double[lines.size()];
    int n = 0;
    int failed = 0;
    for (String line : lines) {
      String[] f = line.split(",");
      if (f.length < 8 || !Character.isDigit(f[0].charAt(0))) {
        continue;
      }
      if (!f[6].trim().equals("200")) {
        failed++;
        continue;
      }
      latencies[n] = Double.parseDouble(f[0]) * 1000;
      offsets[n] = Double.parseDouble(f[7]);
      n++;
    }
    return new LatencySamples(Arrays.copyOf(offsets, n), Arrays.copyOf(latencies, n), failed);
  }

  int count() {
    return latenciesMs.length;
  }

  int failed() {
    return failed;
  }

  /** The answers whose request started in [fromSeconds, toSeconds) of the run. */
  LatencySamples window(double fromSeconds, double toSeconds) {
    double[] offsets = new double[count()];
    double[] latencies = new double[count()];
    int n = 0;
    for (int i = 0; i < count(); i++) {
      if (offsetsSeconds[i] >= fromSeconds && offsetsSeconds[i] < toSeconds) {
        offsets[n] = offsetsSeconds[i];
        latencies[n] = latenciesMs[i];
        n++;
      }
    }
    return new LatencySamples(Arrays.copyOf(offsets, n), Arrays.copyOf(latencies, n), 0);
  }

  /** Nearest-rank percentile in milliseconds (p in (0, 100]); NaN without answers. */
  double percentileMs(double p) {
    if (count() == 0) {
      return Double.NaN;
    }
    double[] sorted = latenciesMs.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
