package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.config.Durations;
import ai.holysheep.k8s.config.Sizes;
import ai.holysheep.k8s.webhook.admission.AdmissionServerOptions;
import ai.holysheep.k8s.webhook.admission.LoopbackWarmUp;
import ai.holysheep.k8s.webhook.inject.ProxyResources;
import ai.holysheep.k8s.webhook.kube.ReplicaId;
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
    ProxyResources sidecarResources,
    String replicaId,
    Duration shutdownGrace,
    int maxConnections,
    long maxBufferedBytes,
    Duration bodyReadTimeout,
    Duration requestHeadTimeout,
    Duration idleTimeout,
    Duration lingerTime,
    long lingerBytes,
    int warmUpRounds,
    GatewayServeOptions gateway) {
  public static final Path DEFAULT_TLS_DIR = Path.of("/etc/holysheep/tls");

  /** File name of the CA bundle next to the serving pair (files mode: fills caBundle). */
  public static final String CA_FILE_NAME = "ca.crt";

  public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/holysheep/config/config.yaml");
  public static final String DEFAULT_NAMESPACE = "holysheep-system";
  public static final long DEFAULT_SIDECAR_UID = 65532L;
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);

  /** How often PEM files (or the self-mode Secret) are checked for a new certificate. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  /**
   * After the drain: how long admissions still in flight may take before their connections are cut.
   * Twice the API server's default webhook timeout; the chart's terminationGracePeriodSeconds
   * covers drain delay plus this.
   */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** Upper bound of {@code --warm-up-rounds}: more only delays readiness. */
  public static final int MAX_WARM_UP_ROUNDS = 100;

  static final String USAGE =
      "usage: holysheep-webhook serve [--port 8443] [--host 0.0.0.0]"
          + " [--cert-mode self|certManager|files] [--tls-dir DIR | --tls-cert F --tls-key F]"
          + " [--tls-ca F] [--config FILE] [--namespace NS] [--service-name NAME] [--webhook-config-name NAME]"
          + " [--tls-secret NAME] [--sidecar-image IMAGE] [--sidecar-uid UID|none]"
          + " [--sidecar-cpu-request Q] [--sidecar-memory-request Q] [--sidecar-cpu-limit Q]"
          + " [--sidecar-memory-limit Q]"
          + " [--native-sidecar auto|true|false] [--drain-delay 5s] [--reload-interval 10s]"
          + " [--extra-dns NAME]... [--extra-ip IP]... [--no-kube] [--replica-id NAME]"
          + " [--shutdown-grace 10s] [--max-connections 512] [--max-buffered-bytes 16Mi]"
          + " [--body-read-timeout 10s] [--request-head-timeout 10s] [--idle-timeout 120s]"
          + " [--linger-time 10s] [--linger-bytes 8Mi] [--warm-up-rounds 40]"
          + " [--default-upstream direct|gateway] [--gateway-url URL] [--gateway-service NAME]"
          + " [--gateway-tls-secret NAME] [--gateway-ca-file F] [--gateway-audience AUD]"
          + " [--cluster-config-name NAME]";

  /** Throws IllegalArgumentException naming the flag, the value and what is allowed. */
  public static ServeOptions parse(String[] args, Map<String, String> env) {
    Builder b = new Builder();
    b.namespace = env.getOrDefault("POD_NAMESPACE", DEFAULT_NAMESPACE);
    b.replicaId = ReplicaId.of(env);
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
        case "--replica-id" -> b.replicaId = v;
        case "--shutdown-grace" -> b.shutdownGrace = Durations.parse("--shutdown-grace", v);
        case "--max-connections" -> b.maxConnections = positiveInt("--max-connections", v);
        case "--max-buffered-bytes" -> b.maxBufferedBytes = positiveSize("--max-buffered-bytes", v);
        case "--body-read-timeout" -> b.bodyReadTimeout = positive("--body-read-timeout", v);
        case "--request-head-timeout" ->
            b.requestHeadTimeout = positive("--request-head-timeout", v);
        case "--idle-timeout" -> b.idleTimeout = positive("--idle-timeout", v);
        case "--linger-time" -> b.lingerTime = positive("--linger-time", v);
        case "--linger-bytes" -> b.lingerBytes = positiveSize("--linger-bytes", v);
        case "--warm-up-rounds" -> b.warmUpRounds = rounds(v);
        default -> {
          GatewayServeOptions gateway = b.gateway.with(flag, v);
          if (gateway == null) {
            throw new IllegalArgumentException(flag + ": unknown flag\n" + USAGE);
          }
          b.gateway = gateway;
        }
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
    b.gateway.check(b.certMode);
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

  private static int positiveInt(String flag, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        flag + ": \"" + v + "\" is invalid; expected a positive integer");
  }

  private static int rounds(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= MAX_WARM_UP_ROUNDS) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--warm-up-rounds: \"" + v + "\" is invalid; expected 0 (off) to " + MAX_WARM_UP_ROUNDS);
  }

  private static long positiveSize(String flag, String v) {
    long bytes = Sizes.parse(flag, v);
    if (bytes <= 0) {
      throw new IllegalArgumentException(flag + ": \"" + v + "\" must be positive");
    }
    return bytes;
  }

  private static List<String> append(List<String> list, String v) {
    var copy = new java.util.ArrayList<>(list);
    copy.add(v);
    return copy;
  }

  public AdmissionServerOptions serverOptions() {
    AdmissionServerOptions defaults = AdmissionServerOptions.defaults();
    return defaults
        .withListener(host, port)
        .withLimits(defaults.maxBodyBytes(), maxBufferedBytes, maxConnections)
        .withTimeouts(idleTimeout, requestHeadTimeout, bodyReadTimeout)
        .withLinger(lingerTime, lingerBytes);
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
    String replicaId;
    Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    int maxConnections = AdmissionServerOptions.DEFAULT_MAX_CONNECTIONS;
    long maxBufferedBytes = AdmissionServerOptions.DEFAULT_MAX_BUFFERED_BYTES;
    Duration bodyReadTimeout = AdmissionServerOptions.DEFAULT_BODY_READ_TIMEOUT;
    Duration requestHeadTimeout = AdmissionServerOptions.DEFAULT_REQUEST_HEAD_TIMEOUT;
    Duration idleTimeout = AdmissionServerOptions.DEFAULT_IDLE_TIMEOUT;
    Duration lingerTime = AdmissionServerOptions.DEFAULT_LINGER_TIME;
    long lingerBytes = AdmissionServerOptions.DEFAULT_LINGER_BYTES;
    int warmUpRounds = LoopbackWarmUp.DEFAULT_ROUNDS;
    GatewayServeOptions gateway = GatewayServeOptions.none();

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
          resources,
          replicaId,
          shutdownGrace,
          maxConnections,
          maxBufferedBytes,
          bodyReadTimeout,
          requestHeadTimeout,
          idleTimeout,
          lingerTime,
          lingerBytes,
          warmUpRounds,
          gateway);
    }
  }
}
