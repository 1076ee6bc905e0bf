package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.SecretKeyRef;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The cluster's gateway as injected sidecars use it: its Service URL, the CA that signs its
 * certificate (public; inlined into each sidecar's config as {@code caPem}, read again for every
 * pod so a renewed CA reaches new pods), and the audience of the projected token that is the
 * sidecar's key.
 */
public record GatewayUpstream(String baseUrl, Supplier<String> caPem, String audience) {
  public static final String DEFAULT_AUDIENCE = "holysheep-gateway";

  /**
   * Where the projected token appears: inside the sidecar's secrets volume, under a directory no
   * Secret can claim (Secret names cannot start with '.').
   */
  public static final String TOKEN_PATH = ".holysheep/gateway-token";

  public static final String TOKEN_FILE = SecretKeyRef.SECRETS_DIR + "/" + TOKEN_PATH;

  /** An hour; the kubelet renews the file at 80% of it, and the sidecar re-reads it on change. */
  public static final long TOKEN_EXPIRATION_SECONDS = 3600;

  public GatewayUpstream {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(caPem, "caPem");
    Objects.requireNonNull(audience, "audience");
  }

  /**
   * The config layer that points a sidecar at the gateway: the gateway as primary, the token as its
   * key file ({@code apiKeyFile} drops the Secret of the layers below), the gateway's CA, and no
   * fallbacks (the gateway fails over; a fallback here would need a key in the app's namespace).
   *
   * @throws InvalidPodException when the gateway's CA is not known yet
   */
  ObjectNode configOverlay() {
    String ca = caPem.get();
    if (ca == null || ca.isBlank()) {
      throw new InvalidPodException(
          Annotations.UPSTREAM
              + ": gateway, but the gateway's CA certificate is not available yet (its serving"
              + " certificate is being issued); retry shortly");
    }
    ObjectNode overlay = JsonNodeFactory.instance.objectNode();
    overlay.put("baseUrl", baseUrl);
    overlay.put("apiKeyFile", TOKEN_FILE);
    overlay.put("caPem", ca);
    overlay.putNull("caFile");
    overlay.putNull("allowInsecure");
    overlay.putNull("fallbacks");
    return overlay;
  }
}
