package ai.holysheep.k8s.e2e.contract;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet gives it: literal values with {@code $(VAR)} references
 * to earlier variables expanded ({@code $$} escapes), and the downward API fields {@code
 * metadata.namespace} / {@code metadata.name} filled in. Any other source (Secrets, ConfigMaps,
 * other fields) fails the test: the contract does not expect one, so a new one must be looked at.
 */
final class KubeletEnv {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  private KubeletEnv() {}

  static Map<String, String> of(Container container, String namespace, String podName) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
      throw new AssertionError(
          container.getName() + ": unexpected envFrom " + container.getEnvFrom());
    }
    if (container.getEnv() == null) {
      return env;
    }
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), value(container.getName(), var, env, namespace, podName));
    }
    return env;
  }

  private static String value(
      String container, EnvVar var, Map<String, String> earlier, String namespace, String podName) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return expand(var.getValue() == null ? "" : var.getValue(), earlier);
    }
    if (from.getFieldRef() != null) {
      String path = from.getFieldRef().getFieldPath();
      return switch (path) {
        case "metadata.namespace" -> namespace;
        case "metadata.name" -> podName;
        default ->
            throw new AssertionError(
                container
                    + ": env "
                    + var.getName()
                    + " uses field "
                    + path
                    + ", not in the contract");
      };
    }
    throw new AssertionError(
        container + ": env " + var.getName() + " has a source outside the contract: " + from);
  }

  private static String expand(String value, Map<String, String> earlier) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "$";
      } else {
        replacement = earlier.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
