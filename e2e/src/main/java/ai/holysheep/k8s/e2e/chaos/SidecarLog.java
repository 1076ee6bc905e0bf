package ai.holysheep.k8s.e2e.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sidecar wrote to its log during a run: its breaker transitions (exact times, even when
 * the machine is so busy that {@code /status} polls are seconds apart) and its SEVERE lines, which
 * an operator would be paged for and which a fault the sidecar handles must not produce.
 */
final class SidecarLog {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  private static final Pattern TRANSITION =
      Pattern.compile(
          "^(\\S+) INFO \\S+: upstream (\\S+): circuit breaker State transition from (\\w+) to (\\w+)$");
  private static final Pattern SEVERE = Pattern.compile("^(\\S+) SEVERE (.*)$");

  final List<BreakerSampler.Transition> transitions = new ArrayList<>();

  /** Distinct SEVERE messages (time stripped) and how often each appeared. */
  final Map<String, Integer> severe = new LinkedHashMap<>();

  static SidecarLog read(Path file) throws IOException {
    SidecarLog log = new SidecarLog();
    if (!Files.exists(file)) {
      return log;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher t = TRANSITION.matcher(line);
      if (t.matches()) {
        long at = OffsetDateTime.parse(t.group(1), TIME).toInstant().toEpochMilli();
        String to = state(t.group(4));
        log.transitions.add(
            new BreakerSampler.Transition(
                t.group(2), at, state(t.group(3)), to, to.equals("open") ? at : 0));
        continue;
      }
      Matcher s = SEVERE.matcher(line);
      if (s.matches()) {
        log.severe.merge(s.group(2), 1, Integer::sum);
      }
    }
    return log;
  }

  private static String state(String resilience4jState) {
    return resilience4jState.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
