package ai.holysheep.k8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

final class ConfigAssertions {
  private ConfigAssertions() {}

  static List<String> errorsOf(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigParser.parse(yaml)).errors();
  }

  static void assertOnlyError(String yaml, String expected) {
    assertEquals(List.of(expected), errorsOf(yaml));
  }
}
