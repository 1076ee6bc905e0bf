package ai.holysheep.k8s.sidecar;

import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.sidecar.upstream.UpstreamPoolOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Everything a {@link Sidecar} needs; immutable, change it with the {@code with…} methods. */
public final class SidecarOptions {
  public static final int DEFAULT_PROXY_PORT = 15080;
  public static final int DEFAULT_ADMIN_PORT = 15081;
  public static final List<ListenAddress> DEFAULT_LISTEN =
      List.of(
          new ListenAddress("127.0.0.1", DEFAULT_PROXY_PORT),
          new ListenAddress("::1", DEFAULT_PROXY_PORT));
  public static final ListenAddress DEFAULT_ADMIN_LISTEN =
      new ListenAddress("0.0.0.0", DEFAULT_ADMIN_PORT);
  public static final Path DEFAULT_SECRETS_DIR = Path.of("/var/run/holysheep/secrets");

  /** Bytes of request bodies buffered for replay, summed over the whole pod. */
  public static final long DEFAULT_BUFFER_BUDGET_BYTES = 48L * 1024 * 1024;

  /** A body up to this many bytes is buffered so that it can be replayed on another upstream. */
  public static final long DEFAULT_MAX_REPLAY_BODY_BYTES = 10L * 1024 * 1024;

  /**
   * A JSON answer up to this many bytes is held before it reaches the app (so a 2xx error object
   * can still fail over and the stale cache can keep it); a longer one is relayed as it arrives.
   * Held answers also count against the pod buffer budget.
   */
  public static final long DEFAULT_MAX_BUFFERED_ANSWER_BYTES = 4L * 1024 * 1024;

  /** How long in-flight requests may take to finish once the listeners stop accepting. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

  private final HolySheepConfig config;
  private final List<ListenAddress> listen;
  private final ListenAddress adminListen;
  private final Map<String, String> env;
  private final Path secretsDir;
  private final Clock clock;
  private final long bufferBudgetBytes;
  private final long maxReplayBodyBytes;
  private final int serverInstances;
  private final UpstreamPoolOptions upstreamPool;
  private final PrometheusMeterRegistry registry;
  // Set only on a fresh copy before it is returned (withFront), so effectively immutable; not a
  // constructor parameter, to keep this hook out of every other with-method.
  private ProxyFront front = ProxyFront.none();

  private SidecarOptions(
      HolySheepConfig config,
      List<ListenAddress> listen,
      ListenAddress adminListen,
      Map<String, String> env,
      Path secretsDir,
      Clock clock,
      long bufferBudgetBytes,
      long maxReplayBodyBytes,
      int serverInstances,
      UpstreamPoolOptions upstreamPool,
      PrometheusMeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.listen = List.copyOf(listen);
    this.adminListen = Objects.requireNonNull(adminListen, "adminListen");
    this.env = Map.copyOf(env);
    this.secretsDir = Objects.requireNonNull(secretsDir, "secretsDir");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.bufferBudgetBytes = bufferBudgetBytes;
    this.maxReplayBodyBytes = maxReplayBodyBytes;
    this.serverInstances = Math.max(1, serverInstances);
    this.upstreamPool = Objects.requireNonNull(upstreamPool, "upstreamPool");
    this.registry = registry;
  }

  /** Production defaults: loopback listeners, admin on all addresses, keys from the process env. */
  public static SidecarOptions of(HolySheepConfig config) {
    Map<String, String> env = System.getenv();
    String dir = env.get("HOLYSHEEP_SECRETS_DIR");
    return new SidecarOptions(
        config,
        DEFAULT_LISTEN,
        DEFAULT_ADMIN_LISTEN,
        env,
        dir == null || dir.isBlank() ? DEFAULT_SECRETS_DIR : Path.of(dir),
        Clock.systemUTC(),
        DEFAULT_BUFFER_BUDGET_BYTES,
        DEFAULT_MAX_REPLAY_BODY_BYTES,
        1,
        UpstreamPoolOptions.defaults(),
        null);
  }

  public SidecarOptions withConfig(HolySheepConfig value) {
    return copy(value, listen, adminListen, env, secretsDir, clock, bufferBudgetBytes, registry);
  }

  public SidecarOptions withListen(List<ListenAddress> value) {
    return copy(config, value, adminListen, env, secretsDir, clock, bufferBudgetBytes, registry);
  }

  public SidecarOptions withAdminListen(ListenAddress value) {
    return copy(config, listen, value, env, secretsDir, clock, bufferBudgetBytes, registry);
  }

  public SidecarOptions withEnv(Map<String, String> value) {
    return copy(config, listen, adminListen, value, secretsDir, clock, bufferBudgetBytes, registry);
  }

  public SidecarOptions withSecretsDir(Path value) {
    return copy(config, listen, adminListen, env, value, clock, bufferBudgetBytes, registry);
  }

  public SidecarOptions withClock(Clock value) {
    return copy(config, listen, adminListen, env, secretsDir, value, bufferBudgetBytes, registry);
  }

  public SidecarOptions withBufferBudgetBytes(long value) {
    return copy(config, listen, adminListen, env, secretsDir, clock, value, registry);
  }

  /** A registry to publish metrics into; by default each sidecar makes its own. */
  public SidecarOptions withRegistry(PrometheusMeterRegistry value) {
    return copy(config, listen, adminListen, env, secretsDir, clock, bufferBudgetBytes, value);
  }

  /** Listener instances per address (one per event loop spreads connections over cores). */
  public SidecarOptions withServerInstances(int value) {
    return withSizes(value, upstreamPool);
  }

  /** Connection pool bounds per upstream. */
  public SidecarOptions withUpstreamPool(UpstreamPoolOptions value) {
    return withSizes(serverInstances, value);
  }

  private SidecarOptions withSizes(int instances, UpstreamPoolOptions pool) {
    SidecarOptions copy =
        new SidecarOptions(
            config,
            listen,
            adminListen,
            env,
            secretsDir,
            clock,
            bufferBudgetBytes,
            maxReplayBodyBytes,
            instances,
            pool,
            registry);
    copy.front = front;
    return copy;
  }

  /**
   * What authenticates callers in front of the proxy: {@link ProxyFront#none()} for the sidecar,
   * the gateway's TLS front in gateway mode.
   */
  public SidecarOptions withFront(ProxyFront value) {
    SidecarOptions copy =
        copy(config, listen, adminListen, env, secretsDir, clock, bufferBudgetBytes, registry);
    copy.front = Objects.requireNonNull(value, "front");
    return copy;
  }

  private SidecarOptions copy(
      HolySheepConfig c,
      List<ListenAddress> l,
      ListenAddress a,
      Map<String, String> e,
      Path s,
      Clock k,
      long budget,
      PrometheusMeterRegistry r) {
    SidecarOptions copy =
        new SidecarOptions(
            c, l, a, e, s, k, budget, maxReplayBodyBytes, serverInstances, upstreamPool, r);
    copy.front = front;
    return copy;
  }

  public HolySheepConfig config() {
    return config;
  }

  public List<ListenAddress> listen() {
    return listen;
  }

  public ListenAddress adminListen() {
    return adminListen;
  }

  public Map<String, String> env() {
    return env;
  }

  public Path secretsDir() {
    return secretsDir;
  }

  public Clock clock() {
    return clock;
  }

  public long bufferBudgetBytes() {
    return bufferBudgetBytes;
  }

  public long maxReplayBodyBytes() {
    return maxReplayBodyBytes;
  }

  public long maxBufferedAnswerBytes() {
    return DEFAULT_MAX_BUFFERED_ANSWER_BYTES;
  }

  public int serverInstances() {
    return serverInstances;
  }

  public ProxyFront front() {
    return front;
  }

  public UpstreamPoolOptions upstreamPool() {
    return upstreamPool;
  }

  /** The registry to use: the one given, else a fresh one. */
  PrometheusMeterRegistry registryOrNew() {
    return registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
