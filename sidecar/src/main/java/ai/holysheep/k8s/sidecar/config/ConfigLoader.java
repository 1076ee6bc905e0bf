package ai.holysheep.k8s.sidecar.config;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the sidecar's config comes from: {@code --config FILE}, else env, else defaults. */
public final class ConfigLoader {
  public static final String CONFIG_ENV = "HOLYSHEEP_CONFIG";

  private ConfigLoader() {}

  /**
   * Loads and validates the config.
   *
   * @throws ConfigException with one message per bad field
   * @throws IllegalArgumentException when the file cannot be read
   */
  public static HolySheepConfig load(Path configFile, Map<String, String> env) {
    if (configFile != null) {
      String text;
      try {
        text = Files.readString(configFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--config: cannot read \"" + configFile + "\": " + e.getMessage(), e);
      }
      return ConfigParser.parse(text);
    }
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return ConfigParser.parse(fromEnv);
    }
    return HolySheepConfig.defaults();
  }
}
