package ai.holysheep.k8s.config;

import java.util.Objects;

/** A key inside a Kubernetes Secret in the pod's namespace. */
public record SecretKeyRef(String name, String key) {
  /**
   * Where the sidecar finds the projected secrets unless {@code HOLYSHEEP_SECRETS_DIR} says
   * otherwise.
   */
  public static final String SECRETS_DIR = "/var/run/holysheep/secrets";

  public SecretKeyRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }

  /** The file of this key relative to {@link #SECRETS_DIR}: {@code <name>/<key>}. */
  public String mountPath() {
    return name + "/" + key;
  }
}
