package ai.holysheep.k8s.sidecar.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The gateway's serving certificate: PEM files (a mounted {@code kubernetes.io/tls} Secret, as the
 * webhook's cert modes write it), read again every {@code reloadInterval}.
 */
public record GatewayTlsOptions(Path certFile, Path keyFile, Duration reloadInterval) {
  public static final Path DEFAULT_DIR = Path.of("/etc/holysheep/gateway-tls");
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  public GatewayTlsOptions {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    ReviewOptions.requirePositive("reloadInterval", reloadInterval);
  }

  public static GatewayTlsOptions defaults() {
    return new GatewayTlsOptions(
        DEFAULT_DIR.resolve("tls.crt"), DEFAULT_DIR.resolve("tls.key"), DEFAULT_RELOAD_INTERVAL);
  }
}
