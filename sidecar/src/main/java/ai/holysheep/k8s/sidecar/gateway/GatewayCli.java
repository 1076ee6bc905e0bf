package ai.holysheep.k8s.sidecar.gateway;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.Durations;
import ai.holysheep.k8s.sidecar.FlagPairs;
import ai.holysheep.k8s.sidecar.ListenAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of {@code java -jar holysheep-sidecar.jar gateway …}. The gateway's own flags are read
 * here; the rest ({@code --config}, {@code --admin-listen}) are the sidecar's and passed on.
 */
public final class GatewayCli {
  public static final List<ListenAddress> DEFAULT_LISTEN =
      List.of(new ListenAddress("0.0.0.0", 8443));

  static final String USAGE =
      "gateway flags: --listen HOST:PORT[,HOST:PORT] (default 0.0.0.0:8443), --tls-cert FILE,"
          + " --tls-key FILE, --audience NAME, --allow-namespaces NS[,NS], --namespace-label"
          + " KEY=VALUE|none, --review-ttl DURATION, --kube-api URL, --kube-token-file FILE,"
          + " --kube-ca-file FILE; and the sidecar's --config FILE, --admin-listen HOST:PORT";

  private static final Set<String> SIDECAR_FLAGS = Set.of("--config", "--admin-listen");

  /** What the gateway runs with, plus the sidecar flags it does not read itself. */
  public record Command(List<ListenAddress> listen, GatewayOptions options, String[] sidecarArgs) {}

  private GatewayCli() {}

  /**
   * Parses the flags after {@code gateway}.
   *
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  public static Command parse(String[] args, Map<String, String> env) {
    List<ListenAddress> listen = DEFAULT_LISTEN;
    GatewayTlsOptions tls = GatewayTlsOptions.defaults();
    ReviewOptions review = ReviewOptions.defaults();
    Set<String> namespaces = new LinkedHashSet<>();
    String label = AccessOptions.DEFAULT_LABEL;
    URI kubeApi = null;
    Path kubeToken = null;
    Path kubeCa = null;
    List<String> rest = new ArrayList<>();
    for (Map.Entry<String, String> pair : FlagPairs.parse(args, "; " + USAGE)) {
      String flag = pair.getKey();
      String value = pair.getValue();
      switch (flag) {
        case "--listen" -> listen = ListenAddress.parseList(flag, value);
        case "--tls-cert" ->
            tls = new GatewayTlsOptions(Path.of(value), tls.keyFile(), tls.reloadInterval());
        case "--tls-key" ->
            tls = new GatewayTlsOptions(tls.certFile(), Path.of(value), tls.reloadInterval());
        case "--audience" -> review = review.withAudience(value);
        case "--allow-namespaces" -> namespaces.addAll(list(value));
        case "--namespace-label" -> label = value;
        case "--review-ttl" -> review = review.withTtl(duration(flag, value));
        case "--kube-api" -> kubeApi = uri(flag, value);
        case "--kube-token-file" -> kubeToken = Path.of(value);
        case "--kube-ca-file" -> kubeCa = Path.of(value);
        default -> {
          if (!SIDECAR_FLAGS.contains(flag)) {
            throw new IllegalArgumentException(flag + ": unknown flag; " + USAGE);
          }
          rest.add(flag);
          rest.add(value);
        }
      }
    }
    KubeApiOptions api =
        kubeApi == null ? KubeApiOptions.inCluster(env) : KubeApiOptions.of(kubeApi);
    if (kubeToken != null || kubeCa != null) {
      api =
          api.withCredentials(
              kubeToken != null ? kubeToken : api.tokenFile(),
              kubeCa != null ? kubeCa : api.caFile());
    }
    GatewayOptions options =
        GatewayOptions.of(api)
            .withTls(tls)
            .withReview(review)
            .withAccess(AccessOptions.of(namespaces, label));
    return new Command(listen, options, rest.toArray(String[]::new));
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static Duration duration(String flag, String value) {
    try {
      return Durations.parse(flag, value);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.errors().get(0), e);
    }
  }

  private static URI uri(String flag, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null
          || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
        throw new IllegalArgumentException("no host");
      }
      return uri;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          flag + ": \"" + value + "\" is not a URL; e.g. https://10.96.0.1:443", e);
    }
  }
}
