package ai.holysheep.k8s.webhook.inject;

/** Pod annotations of the opt-in contract (DESIGN "Opt-in contract"). */
final class Annotations {
  static final String PREFIX = "holysheep.ai/";
  static final String INJECT = PREFIX + "inject";
  static final String CONFIG = PREFIX + "config";
  static final String TIMEOUT = PREFIX + "timeout";
  static final String MAX_RETRIES = PREFIX + "max-retries";
  static final String CPU = PREFIX + "cpu";
  static final String MEMORY = PREFIX + "memory";
  static final String NATIVE_SIDECAR = PREFIX + "native-sidecar";
  static final String INJECT_ENV = PREFIX + "inject-env";
  static final String PROXY_PORT = PREFIX + "proxy-port";
  static final String ADMIN_PORT = PREFIX + "admin-port";
  static final String UPSTREAM = PREFIX + "upstream";
  static final String STATUS = PREFIX + "status";

  static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";
  static final String MIRROR = "kubernetes.io/config.mirror";

  private Annotations() {}
}
