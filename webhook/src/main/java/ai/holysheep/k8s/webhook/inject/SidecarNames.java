package ai.holysheep.k8s.webhook.inject;

import java.util.Set;

/** Names of everything injection owns in a pod, so a later pass can find and replace it. */
final class SidecarNames {
  static final String CONTAINER = "holysheep-proxy";
  static final String SECRETS_VOLUME = "holysheep-secrets";
  static final String TMP_VOLUME = "holysheep-tmp";
  static final String ADMIN_PORT_NAME = "holysheep-admin";
  static final Set<String> VOLUMES = Set.of(SECRETS_VOLUME, TMP_VOLUME);

  static final int DEFAULT_PROXY_PORT = 15080;
  static final int DEFAULT_ADMIN_PORT = 15081;
  static final int MIN_PORT = 1024;
  static final int MAX_PORT = 65535;

  static final String ENV_OPENAI_BASE_URL = "OPENAI_BASE_URL";
  static final String ENV_HOLYSHEEP_BASE_URL = "HOLYSHEEP_BASE_URL";
  static final String ENV_OPENAI_API_KEY = "OPENAI_API_KEY";

  /** SDKs refuse to start without a key; the sidecar replaces whatever the app sends. */
  static final String API_KEY_PLACEHOLDER = "injected-by-holysheep-sidecar-replaces-this";

  /** Init containers that set up pod networking and must run before the proxy. */
  static final Set<String> NETWORK_SETUP_INIT_CONTAINERS =
      Set.of("istio-init", "istio-validation", "linkerd-init", "linkerd-network-validator");

  /** Other meshes' proxies: not apps, so they get no env and are never the default container. */
  static final Set<String> MESH_PROXY_CONTAINERS = Set.of("istio-proxy", "linkerd-proxy");

  private SidecarNames() {}

  static String baseUrl(int proxyPort) {
    return "http://127.0.0.1:" + proxyPort + "/v1";
  }
}
