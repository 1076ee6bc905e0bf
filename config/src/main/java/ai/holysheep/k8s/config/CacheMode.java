package ai.holysheep.k8s.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the stale-if-error cache stores answers; written in lower case in the spec. */
public enum CacheMode {
  OFF,
  MEMORY,
  REDIS;

  /** The spelling in the spec: {@code off}, {@code memory}, {@code redis}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode spelled exactly {@code jsonName} (case-sensitive), if any. */
  public static Optional<CacheMode> fromJsonName(String jsonName) {
    return Arrays.stream(values()).filter(m -> m.jsonName().equals(jsonName)).findFirst();
  }
}
