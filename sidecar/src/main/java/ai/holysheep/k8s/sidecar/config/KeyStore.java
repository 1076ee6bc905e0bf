package ai.holysheep.k8s.sidecar.config;

import ai.holysheep.k8s.config.UpstreamSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Upstream keys: the upstream's key file first, which is its {@code apiKeyFile} or else the mounted
 * Secret file {@code <secretsDir>/<secret>/<key>} (re-read when it changes, so a rotated key or a
 * kubelet-rotated ServiceAccount token is used by the next request), else the upstream's own env
 * variable. A fallback only ever sees its own file and variable.
 */
public interface KeyStore {

  static KeyStore create(Path secretsDir, Map<String, String> env) {
    return new FileThenEnvKeyStore(secretsDir, env);
  }

  /** The current key of the upstream, or {@code null} when it has none. */
  ApiKey key(UpstreamSpec upstream);

  /** Human-readable hint where the key is expected; never contains the key. */
  static String describeExpectedLocation(UpstreamSpec upstream) {
    if (upstream.apiKeyFile() != null) {
      return "file \"" + upstream.apiKeyFile() + "\" (or env " + upstream.keyEnvVar() + ")";
    }
    return "Secret \""
        + upstream.apiKeySecretRef().name()
        + "\" key \""
        + upstream.apiKeySecretRef().key()
        + "\" (or env "
        + upstream.keyEnvVar()
        + ")";
  }
}
