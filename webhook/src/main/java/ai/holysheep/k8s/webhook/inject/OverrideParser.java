package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.Durations;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and validates the override annotations; every problem is reported, not just the first. */
final class OverrideParser {
  static final int MAX_RETRIES_LIMIT = 10;

  /** Below this the sidecar JVM cannot start reliably. */
  static final Quantity MIN_MEMORY = new Quantity("32Mi");

  static final Quantity MIN_CPU = new Quantity("10m");
  private static final Pattern QUANTITY =
      Pattern.compile("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final int MAX_NAME_LENGTH = 253;

  private final Map<String, String> annotations;
  private final List<String> errors = new ArrayList<>();

  private OverrideParser(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  /** The overrides, or an {@link InvalidPodException} listing every invalid annotation. */
  static PodOverrides parse(Map<String, String> annotations) {
    return new OverrideParser(annotations == null ? Map.of() : annotations).parse();
  }

  private PodOverrides parse() {
    ObjectNode overlay = JsonNodeFactory.instance.objectNode();
    String configName = configName();
    String timeout = annotations.get(Annotations.TIMEOUT);
    if (timeout != null) {
      try {
        Duration parsed = Durations.parse(Annotations.TIMEOUT, timeout.trim());
        if (parsed.isZero() || parsed.isNegative()) {
          invalid(Annotations.TIMEOUT, timeout, "a positive duration such as 250ms, 30s or 2m");
        } else {
          overlay.put("timeout", timeout.trim());
        }
      } catch (ConfigException e) {
        invalid(Annotations.TIMEOUT, timeout, "a duration with ms, s, m or h, e.g. 250ms, 30s, 2m");
      }
    }
    Integer maxRetries =
        integer(
            Annotations.MAX_RETRIES, 0, MAX_RETRIES_LIMIT, "an integer from 0 to 10, e.g. \"2\"");
    if (maxRetries != null) {
      overlay.put("maxRetries", maxRetries);
    }
    Quantity cpu =
        quantity(Annotations.CPU, MIN_CPU, "a CPU quantity of at least 10m, e.g. 250m or 1");
    Quantity memory =
        quantity(
            Annotations.MEMORY,
            MIN_MEMORY,
            "a memory quantity of at least 32Mi, e.g. 128Mi or 1Gi");
    NativeMode nativeMode = nativeMode();
    boolean injectEnv = bool(Annotations.INJECT_ENV, true);
    String portForm = "a port number from 1024 to 65535, e.g. \"%d\"";
    Integer proxyPort =
        integer(
            Annotations.PROXY_PORT,
            SidecarNames.MIN_PORT,
            SidecarNames.MAX_PORT,
            portForm.formatted(SidecarNames.DEFAULT_PROXY_PORT));
    Integer adminPort =
        integer(
            Annotations.ADMIN_PORT,
            SidecarNames.MIN_PORT,
            SidecarNames.MAX_PORT,
            portForm.formatted(SidecarNames.DEFAULT_ADMIN_PORT));
    int proxy = proxyPort == null ? SidecarNames.DEFAULT_PROXY_PORT : proxyPort;
    int admin = adminPort == null ? SidecarNames.DEFAULT_ADMIN_PORT : adminPort;
    if (proxy == admin && (proxyPort != null || adminPort != null)) {
      String key = proxyPort != null ? Annotations.PROXY_PORT : Annotations.ADMIN_PORT;
      invalid(
          key,
          String.valueOf(proxy),
          "a port different from the "
              + (proxyPort != null ? "admin" : "proxy")
              + " port "
              + proxy
              + " ("
              + Annotations.PROXY_PORT
              + " and "
              + Annotations.ADMIN_PORT
              + " must differ)");
    }
    Upstream upstream = upstream();
    if (!errors.isEmpty()) {
      throw new InvalidPodException(String.join("; ", errors));
    }
    return new PodOverrides(
        configName,
        overlay,
        cpu,
        memory,
        nativeMode,
        injectEnv,
        proxy,
        proxyPort != null,
        admin,
        adminPort != null,
        upstream);
  }

  private Upstream upstream() {
    String text = annotations.get(Annotations.UPSTREAM);
    if (text == null) {
      return null;
    }
    Upstream upstream = Upstream.parse(text);
    if (upstream == null) {
      invalid(Annotations.UPSTREAM, text, "\"gateway\" or \"direct\"");
    }
    return upstream;
  }

  private String configName() {
    String name = annotations.get(Annotations.CONFIG);
    if (name == null) {
      return null;
    }
    if (name.length() > MAX_NAME_LENGTH || !DNS_SUBDOMAIN.matcher(name).matches()) {
      invalid(
          Annotations.CONFIG,
          name,
          "the name of a HolySheepConfig in the pod's namespace (lowercase letters, digits, '-' and"
              + " '.')");
      return null;
    }
    return name;
  }

  private NativeMode nativeMode() {
    String text = annotations.get(Annotations.NATIVE_SIDECAR);
    if (text == null) {
      return NativeMode.AUTO;
    }
    NativeMode mode = NativeMode.parse(text);
    if (mode == null) {
      invalid(Annotations.NATIVE_SIDECAR, text, "\"true\", \"false\" or \"auto\"");
      return NativeMode.AUTO;
    }
    return mode;
  }

  private boolean bool(String key, boolean absent) {
    String text = annotations.get(key);
    if (text == null) {
      return absent;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        invalid(key, text, "\"true\" or \"false\"");
        yield absent;
      }
    };
  }

  private Integer integer(String key, int min, int max, String form) {
    String text = annotations.get(key);
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    invalid(key, text, form);
    return null;
  }

  private Quantity quantity(String key, Quantity minimum, String form) {
    String text = annotations.get(key);
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    if (QUANTITY.matcher(trimmed).matches()) {
      Quantity value = new Quantity(trimmed);
      BigDecimal amount = Quantity.getAmountInBytes(value);
      if (amount.compareTo(Quantity.getAmountInBytes(minimum)) >= 0) {
        return value;
      }
    }
    invalid(key, text, form);
    return null;
  }

  private void invalid(String key, String value, String expected) {
    errors.add(key + ": \"" + value + "\" is invalid; expected " + expected);
  }
}
