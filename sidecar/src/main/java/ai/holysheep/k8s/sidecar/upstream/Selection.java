package ai.holysheep.k8s.sidecar.upstream;

import java.time.Duration;

/**
 * The next upstream to try. {@code permitted} means a breaker permission was taken and must be
 * settled; {@code panic} means every breaker was open and this one opened first; {@code delay} is
 * how long to wait out its {@code Retry-After} first.
 */
public record Selection(Upstream upstream, boolean permitted, boolean panic, Duration delay) {

  /** Why nothing could be selected. */
  public enum None {
    NO_KEY,
    EXHAUSTED
  }
}
