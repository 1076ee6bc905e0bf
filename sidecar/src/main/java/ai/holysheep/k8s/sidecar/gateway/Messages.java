package ai.holysheep.k8s.sidecar.gateway;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sentences callers read in a 401/403/503. Each says what was wrong and what to do; none quotes
 * the token (audiences and namespaces are not secret).
 */
final class Messages {
  private static final int MAX_AUDIENCES_SHOWN = 5;
  private static final int MAX_AUDIENCE_CHARS = 100;

  private Messages() {}

  static String noToken(String audience) {
    return "no token: the HolySheep gateway needs a Kubernetes ServiceAccount token with audience "
        + audience
        + " as \"Authorization: Bearer TOKEN\" (pods injected with holysheep.ai/upstream: gateway"
        + " send it; others mount a projected serviceAccountToken volume with that audience)";
  }

  static String notBearer() {
    return "no token: the Authorization header must be \"Bearer TOKEN\" with a Kubernetes"
        + " ServiceAccount token";
  }

  static String notAJwt() {
    return "invalid token: not a Kubernetes ServiceAccount token (a JWT); the gateway holds the"
        + " API key itself, send a projected ServiceAccount token instead";
  }

  static String notAuthenticated() {
    return "invalid token: the Kubernetes API server did not authenticate it (TokenReview); it may"
        + " belong to a deleted pod or ServiceAccount, or to another cluster";
  }

  static String expired(Instant at) {
    return "expired token: it expired at "
        + at
        + "; projected tokens are renewed by the kubelet, so read the token file again for every"
        + " request";
  }

  static String wrongAudience(List<String> audiences, String audience) {
    String shown =
        audiences.stream()
            .limit(MAX_AUDIENCES_SHOWN)
            .map(a -> a.length() > MAX_AUDIENCE_CHARS ? a.substring(0, MAX_AUDIENCE_CHARS) : a)
            .collect(Collectors.joining(", "));
    return "wrong audience: the token is for ["
        + shown
        + "]; the gateway accepts only tokens with audience "
        + audience
        + " (a projected serviceAccountToken volume with audience: "
        + audience
        + ")";
  }

  static String unconfirmedAudience(String audience) {
    return "wrong audience: the Kubernetes API server did not confirm audience "
        + audience
        + " for this token";
  }

  static String notServiceAccount() {
    return "not a ServiceAccount token: the gateway grants access by namespace, so only"
        + " ServiceAccount tokens are accepted";
  }

  static String namespaceNotAllowed(String namespace, AccessOptions access) {
    String how =
        access.checksLabel()
            ? "label the namespace " + access.labelText() + " or add it to the gateway's list"
            : "add it to the gateway's list of allowed namespaces";
    return "namespace \"" + namespace + "\" may not use the HolySheep gateway: " + how;
  }

  static String cannotVerifyToken(String why) {
    return "cannot verify the token right now: " + why;
  }

  static String cannotReadNamespace(String namespace, String why) {
    return "cannot check whether namespace \"" + namespace + "\" may call right now: " + why;
  }
}
