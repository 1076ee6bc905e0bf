package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code hash} of {@code holysheep.ai/status}: SHA-256 over every input that shapes the
 * sidecar.
 */
final class InputsHash {
  private static final int HEX_CHARS = 16;

  private InputsHash() {}

  static String of(SidecarSettings settings) {
    ObjectNode inputs = JsonNodeFactory.instance.objectNode();
    inputs.put("template", settings.options().templateVersion());
    inputs.put("image", settings.options().image());
    inputs.put("runAsUser", settings.options().runAsUser());
    inputs.put("native", settings.nativeSidecar());
    inputs.put("injectEnv", settings.overrides().injectEnv());
    inputs.put("proxyPort", settings.overrides().proxyPort());
    inputs.put("adminPort", settings.overrides().adminPort());
    inputs.put("resources", settings.resources().toString());
    inputs.put("config", settings.config().toCanonicalJson());
    if (settings.gateway() != null) {
      inputs.put("gatewayAudience", settings.gateway().audience());
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(inputs.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}
