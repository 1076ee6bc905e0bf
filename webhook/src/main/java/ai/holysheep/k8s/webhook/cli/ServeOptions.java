package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.config.Durations;
import ai.holysheep.k8s.webhook.admission.AdmissionServerOptions;
import ai.holysheep.k8s.webhook.inject.ProxyResources;
import ai.holysheep.k8s.webhook.kube.SelfSignedOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Flags of {@code serve}; see the module README for the table. */
public record ServeOptions(
    String host,
    int port,
    CertMode certMode,
    Path tlsCert,
    Path tlsKey,
    Path tlsCa,
    Path configFile,
    boolean configFileExplicit,
    String namespace,
    String serviceName,
    String webhookConfigName,
    String tlsSecret,
    String sidecarImage,
    Long sidecarUid,
    String nativeSidecar,
    Duration drainDelay,
    Duration reloadInterval,
    boolean noKube,
    List<String> extraDnsNames,
    List<String> extraIps,
    ProxyResources sidecarResources) {
  public static final Path DEFAULT_TLS_DIR = Path.of("/etc/holysheep/tls");

  /** File name of the CA bundle next to the serving pair (files mode: fills caBundle). */
  public static final String CA_FILE_NAME = "ca.crt";

  public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/holysheep/config/config.yaml");
  public static final String DEFAULT_NAMESPACE = "holysheep-system";
  public static final long DEFAULT_SIDECAR_UID = 65532L;
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);

  /** How often PEM files (or the self-mode Secret) are checked for a new certificate. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  static final String USAGE =
      "usage: holysheep-webhook serve [--port 8443] [--host 0.0.0.0]"
          + " [--cert-mode self|certManager|files] [--tls-dir DIR | --tls-cert F --tls-key F]"
          + " [--tls-ca F] [--config FILE] [--namespace NS] [--service-name NAME] [--webhook-config-name NAME]"
          + " [--tls-secret NAME] [--sidecar-image IMAGE] [--sidecar-uid UID|none]"
          + " [--sidecar-cpu-request Q] [--sidecar-memory-request Q] [--sidecar-cpu-limit Q]"
          + " [--sidecar-memory-limit Q]"
          + " [--native-sidecar auto|true|false] [--drain-delay 5s] [--reload-interval 10s]"
          + " [--extra-dns NAME]... [--extra-ip IP]... [--no-kube]";

  /** Throws IllegalArgumentException naming the flag, the value and what is allowed. */
  public static ServeOptions parse(String[] args, Map<String, String> env) {
    Builder b = new Builder();
    b.namespace = env.getOrDefault("POD_NAMESPACE", DEFAULT_NAMESPACE);
    Path tlsDir = DEFAULT_TLS_DIR;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--no-kube")) {
        b.noKube = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + ": missing value\n" + USAGE);
      }
      String v = args[++i];
      switch (flag) {
        case "--port" -> b.port = port(v);
        case "--host" -> b.host = v;
        case "--cert-mode" -> b.certMode = CertMode.parse(v);
        case "--tls-dir" -> tlsDir = Path.of(v);
        case "--tls-cert" -> b.tlsCert = Path.of(v);
        case "--tls-key" -> b.tlsKey = Path.of(v);
        case "--tls-ca" -> b.tlsCa = Path.of(v);
        case "--config" -> {
          b.configFile = Path.of(v);
          b.configExplicit = true;
        }
        case "--namespace" -> b.namespace = v;
        case "--service-name" -> b.serviceName = v;
        case "--webhook-config-name" -> b.webhookConfigName = v;
        case "--tls-secret" -> b.tlsSecret = v;
        case "--sidecar-image" -> b.sidecarImage = v;
        case "--sidecar-uid" -> b.sidecarUid = uid(v);
        case "--sidecar-cpu-request" ->
            b.resources = resource(flag, v, b.resources::withCpuRequest);
        case "--sidecar-memory-request" ->
            b.resources = resource(flag, v, b.resources::withMemoryRequest);
        case "--sidecar-cpu-limit" -> b.resources = resource(flag, v, b.resources::withCpuLimit);
        case "--sidecar-memory-limit" ->
            b.resources = resource(flag, v, b.resources::withMemoryLimit);
        case "--native-sidecar" -> b.nativeSidecar = nativeMode(v);
        case "--drain-delay" -> b.drainDelay = Durations.parse("--drain-delay", v);
        case "--reload-interval" -> b.reloadInterval = positive("--reload-interval", v);
        case "--extra-dns" -> b.extraDns = append(b.extraDns, v);
        case "--extra-ip" -> b.extraIps = append(b.extraIps, v);
        default -> throw new IllegalArgumentException(flag + ": unknown flag\n" + USAGE);
      }
    }
    if ((b.tlsCert == null) != (b.tlsKey == null)) {
      throw new IllegalArgumentException(
          "--tls-cert and --tls-key go together; give both or neither");
    }
    if (b.tlsCert == null) {
      b.tlsCert = tlsDir.resolve("tls.crt");
      b.tlsKey = tlsDir.resolve("tls.key");
    }
    if (b.tlsCa == null) {
      b.tlsCa = b.tlsCert.resolveSibling(CA_FILE_NAME);
    }
    if (b.certMode == CertMode.SELF && b.noKube) {
      throw new IllegalArgumentException(
          "--cert-mode self needs the API server (it keeps the CA in a Secret); with --no-kube use"
              + " --cert-mode files");
    }
    return b.build();
  }

  private static int port(String v) {
    try {
      int port = Integer.parseInt(v);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--port: \"" + v + "\" is not a port; expected 0-65535");
  }

  private static Long uid(String v) {
    if (v.equals("none")) {
      return null;
    }
    try {
      long uid = Long.parseLong(v);
      if (uid > 0) {
        return uid;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--sidecar-uid: \"" + v + "\" is invalid; expected a positive non-root uid or none");
  }

  private static ProxyResources resource(
      String flag, String v, java.util.function.Function<String, ProxyResources> with) {
    try {
      return with.apply(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + ": \"" + v + "\" is not a Kubernetes quantity; expected e.g. 50m, 1, 64Mi, 256Mi");
    }
  }

  private static String nativeMode(String v) {
    if (v.equals("auto") || v.equals("true") || v.equals("false")) {
      return v;
    }
    throw new IllegalArgumentException(
        "--native-sidecar: \"" + v + "\" is invalid; expected auto, true or false");
  }

  private static Duration positive(String flag, String v) {
    Duration d = Durations.parse(flag, v);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(flag + ": \"" + v + "\" must be positive");
    }
    return d;
  }

  private static List<String> append(List<String> list, String v) {
    var copy = new java.util.ArrayList<>(list);
    copy.add(v);
    return copy;
  }

  public AdmissionServerOptions serverOptions() {
    return new AdmissionServerOptions(host, port, AdmissionServerOptions.DEFAULT_MAX_BODY_BYTES);
  }

  public SelfSignedOptions selfSignedOptions() {
    return SelfSignedOptions.defaults(namespace)
        .withNames(serviceName, tlsSecret, webhookConfigName)
        .withExtraNames(extraDnsNames, extraIps);
  }

  private static final class Builder {
    String host = AdmissionServerOptions.DEFAULT_HOST;
    int port = AdmissionServerOptions.DEFAULT_PORT;
    CertMode certMode = CertMode.SELF;
    Path tlsCert;
    Path tlsKey;
    Path tlsCa;
    Path configFile = DEFAULT_CONFIG_FILE;
    boolean configExplicit;
    String namespace;
    String serviceName = SelfSignedOptions.DEFAULT_SERVICE_NAME;
    String webhookConfigName = SelfSignedOptions.DEFAULT_WEBHOOK_CONFIG_NAME;
    String tlsSecret = SelfSignedOptions.DEFAULT_SECRET_NAME;
    String sidecarImage;
    Long sidecarUid = DEFAULT_SIDECAR_UID;
    String nativeSidecar = "auto";
    Duration drainDelay = DEFAULT_DRAIN_DELAY;
    Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
    boolean noKube;
    List<String> extraDns = List.of();
    List<String> extraIps = List.of();
    ProxyResources resources = ProxyResources.defaults();

    ServeOptions build() {
      return new ServeOptions(
          host,
          port,
          certMode,
          tlsCert,
          tlsKey,
          tlsCa,
          configFile,
          configExplicit,
          namespace,
          serviceName,
          webhookConfigName,
          tlsSecret,
          sidecarImage,
          sidecarUid,
          nativeSidecar,
          drainDelay,
          reloadInterval,
          noKube,
          extraDns,
          extraIps,
          resources);
    }
  }
}
