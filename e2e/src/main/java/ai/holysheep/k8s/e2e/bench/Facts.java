package ai.holysheep.k8s.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@code key=value} lines run.sh writes to {@code raw/facts.txt}; a later line wins. Repeated
 * samples are numbered keys ({@code sidecar.start.pod.1.ready_ms}, {@code ….2.…}) summarised by
 * their median.
 */
final class Facts {
  private final Map<String, String> values;

  Facts(Map<String, String> values) {
    this.values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  static Facts read(Path file) throws IOException {
    return parse(Files.readAllLines(file));
  }

  static Facts parse(List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new Facts(values);
  }

  String text(String key) {
    return values.getOrDefault(key, "");
  }

  /** The number at {@code key}, or NaN when it is absent or not a number. */
  double number(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Median of {@code prefix.1.suffix}, {@code prefix.2.suffix}, …; NaN when there is none. */
  double median(String prefix, String suffix) {
    List<Double> samples = samples(prefix, suffix);
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(samples);
    int n = samples.size();
    return n % 2 == 1 ? samples.get(n / 2) : (samples.get(n / 2 - 1) + samples.get(n / 2)) / 2;
  }

  OptionalDouble max(String prefix, String suffix) {
    return samples(prefix, suffix).stream().mapToDouble(Double::doubleValue).max();
  }

  List<Double> samples(String prefix, String suffix) {
    List<Double> samples = new ArrayList<>();
    for (int i = 1; values.containsKey(prefix + "." + i + "." + suffix); i++) {
      double v = number(prefix + "." + i + "." + suffix);
      if (!Double.isNaN(v)) {
        samples.add(v);
      }
    }
    return samples;
  }

  Map<String, String> withPrefix(String prefix) {
    Map<String, String> matching = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            matching.put(k.substring(prefix.length()), v);
          }
        });
    return matching;
  }
}
