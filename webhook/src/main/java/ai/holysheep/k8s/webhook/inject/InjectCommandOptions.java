package ai.holysheep.k8s.webhook.inject;

import java.util.Map;

/**
 * Flags of the offline {@code inject} command.
 *
 * @param file input path, or {@code -} for stdin
 * @param configFile chart-default config (a spec, or a whole HolySheepConfig object), or null
 * @param nativeMode {@code --native-sidecar}; offline {@code auto} assumes 1.29+ kubelets
 * @param namespace namespace for objects that name none, or null
 * @param upstream {@code --upstream}: the default upstream, as the chart's {@code sidecar.upstream}
 * @param gatewayUrl / gatewayCaFile / gatewayAudience the gateway, as the chart passes it
 * @param clusterNamespace the injector's namespace, whose HolySheepConfig is the cluster default
 * @param clusterConfigName {@code config.clusterConfigName}, or null
 */
record InjectCommandOptions(
    String file,
    String configFile,
    NativeMode nativeMode,
    String image,
    Long runAsUser,
    String namespace,
    Upstream upstream,
    String gatewayUrl,
    String gatewayCaFile,
    String gatewayAudience,
    String clusterNamespace,
    String clusterConfigName) {
  static final String DEFAULT_CLUSTER_NAMESPACE = "holysheep-system";
  static final String USAGE =
      "usage: inject -f FILE|- [--config FILE] [--native-sidecar auto|true|false]"
          + " [--sidecar-image IMAGE] [--sidecar-uid UID|none] [--namespace NS]"
          + " [--upstream direct|gateway] [--gateway-url URL --gateway-ca FILE]"
          + " [--gateway-audience AUD] [--cluster-namespace NS] [--cluster-config-name NAME]"
          + " (HolySheepConfig objects in the input are used as the cluster's)";

  /** Throws {@link IllegalArgumentException} with a message naming the bad flag and value. */
  static InjectCommandOptions parse(String[] args) {
    Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String name =
          switch (flag) {
            case "-f", "--filename", "--file" -> "-f";
            case "--config",
                "--native-sidecar",
                "--sidecar-image",
                "--sidecar-uid",
                "--namespace",
                "--upstream",
                "--gateway-url",
                "--gateway-ca",
                "--gateway-audience",
                "--cluster-namespace",
                "--cluster-config-name" ->
                flag;
            default -> throw new IllegalArgumentException("unknown argument \"" + flag + "\"");
          };
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      values.put(name, args[++i]);
    }
    String file = values.get("-f");
    if (file == null) {
      throw new IllegalArgumentException("-f FILE (or -f - for stdin) is required");
    }
    String nativeText = values.getOrDefault("--native-sidecar", "auto");
    NativeMode nativeMode = NativeMode.parse(nativeText);
    if (nativeMode == null) {
      throw new IllegalArgumentException(
          "--native-sidecar: \"" + nativeText + "\" is invalid; expected auto, true or false");
    }
    String image = values.getOrDefault("--sidecar-image", InjectorOptions.DEFAULT_IMAGE);
    String upstreamText = values.getOrDefault("--upstream", "direct");
    Upstream upstream = Upstream.parse(upstreamText);
    if (upstream == null) {
      throw new IllegalArgumentException(
          "--upstream: \"" + upstreamText + "\" is invalid; expected direct or gateway");
    }
    if ((values.get("--gateway-url") == null) != (values.get("--gateway-ca") == null)) {
      throw new IllegalArgumentException(
          "--gateway-url and --gateway-ca go together (the gateway's Service URL and the PEM of"
              + " its CA)");
    }
    if (upstream == Upstream.GATEWAY && values.get("--gateway-url") == null) {
      throw new IllegalArgumentException(
          "--upstream gateway needs --gateway-url URL and --gateway-ca FILE");
    }
    return new InjectCommandOptions(
        file,
        values.get("--config"),
        nativeMode,
        image,
        uid(values.get("--sidecar-uid")),
        values.get("--namespace"),
        upstream,
        values.get("--gateway-url"),
        values.get("--gateway-ca"),
        values.getOrDefault("--gateway-audience", GatewayUpstream.DEFAULT_AUDIENCE),
        values.getOrDefault("--cluster-namespace", DEFAULT_CLUSTER_NAMESPACE),
        values.get("--cluster-config-name"));
  }

  /** The routing the chart would give the webhook; {@code caPem} is the read --gateway-ca. */
  UpstreamRouting routing(String caPem) {
    GatewayUpstream gateway =
        gatewayUrl == null ? null : new GatewayUpstream(gatewayUrl, () -> caPem, gatewayAudience);
    return new UpstreamRouting(
        upstream, gateway, new ClusterConfig(clusterNamespace, clusterConfigName));
  }

  private static Long uid(String text) {
    if (text == null) {
      return InjectorOptions.DEFAULT_RUN_AS_USER;
    }
    if ("none".equals(text)) {
      return null;
    }
    try {
      long uid = Long.parseLong(text);
      if (uid > 0) {
        return uid;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--sidecar-uid: \"" + text + "\" is invalid; expected a positive uid or none");
  }

  /** Offline there are no nodes to ask: {@code auto} assumes 1.29+ kubelets, {@code false} not. */
  NodeVersions nodes() {
    return NodeVersions.fixed(
        nativeMode == NativeMode.FALSE ? NativeSupport.NOT_ALL_NATIVE : NativeSupport.ALL_NATIVE);
  }
}
