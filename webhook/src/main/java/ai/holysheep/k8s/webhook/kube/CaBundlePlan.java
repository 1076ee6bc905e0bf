package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.certs.Pem;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one replica writes into its MutatingWebhookConfiguration, as a pure function of what it
 * reads there, what it needs and the time. {@code caBundle} is kept as a <em>set</em>: every
 * replica claims the CAs it serves from (annotation {@code ca-claims.holysheep.ai/<replica>:
 * "<expires> <fingerprint>,…"}, renewed at half its lifetime), adds the ones missing, and removes
 * only CAs that no live claim holds or that have expired. Two replicas that read different {@code
 * ca.crt} files (the kubelet refreshes a Secret on each node at its own moment) therefore converge
 * on the union instead of overwriting each other, and a CA leaves the bundle only once nobody
 * serves from it (its replicas updated, or dead for a claim lifetime).
 */
final class CaBundlePlan {
  static final String CLAIM_PREFIX = "ca-claims.holysheep.ai/";

  /** Characters of the hex SHA-256 kept as a fingerprint in a claim. */
  static final int FINGERPRINT_CHARS = 16;

  private CaBundlePlan() {}

  /** One replica's claim on the CAs it serves from, until {@code expires}. */
  record Claim(Instant expires, Set<String> fingerprints) {
    static Optional<Claim> parse(String value) {
      if (value == null) {
        return Optional.empty();
      }
      String[] parts = value.trim().split(" ", 2);
      try {
        Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[0]));
        Set<String> fps = new LinkedHashSet<>();
        if (parts.length > 1 && !parts[1].isBlank()) {
          fps.addAll(List.of(parts[1].trim().split(",")));
        }
        return Optional.of(new Claim(expires, fps));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    String write() {
      return expires.getEpochSecond() + " " + String.join(",", fingerprints);
    }
  }

  /**
   * What one look at the configuration found: the JSON Patch to apply (empty when the configuration
   * already holds this replica's claim and a bundle that is the union of the live claims), and the
   * set of CA fingerprints every entry holds now (null when the entries differ).
   */
  record Result(Optional<ArrayNode> patch, Set<String> bundle, Set<String> written) {}

  /**
   * The plan for {@code config}.
   *
   * @param neededPem the bundle this replica serves from, as read (written verbatim when the result
   *     is exactly this set, so a bundle patched by hand from the same file is never rewritten)
   */
  static Result plan(
      MutatingWebhookConfiguration config,
      String replica,
      String neededPem,
      Instant now,
      Duration claimTtl) {
    List<X509Certificate> needed = Pem.decodeCertificates(neededPem);
    Set<String> neededFps = fingerprints(needed);
    Map<String, String> annotations =
        config.getMetadata().getAnnotations() == null
            ? Map.of()
            : config.getMetadata().getAnnotations();
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    Set<String> kept = new LinkedHashSet<>(neededFps);
    Optional<Claim> mine = Claim.parse(annotations.get(CLAIM_PREFIX + replica));
    boolean renew =
        mine.isEmpty()
            || !mine.get().fingerprints().equals(neededFps)
            || Duration.between(now, mine.get().expires()).compareTo(claimTtl.dividedBy(2)) <= 0;
    if (renew) {
      String claim = new Claim(now.plus(claimTtl), neededFps).write();
      if (annotations.isEmpty()) {
        // an object without annotations serializes none: add the map, not a key inside it
        ops.addObject()
            .put("op", "add")
            .put("path", "/metadata/annotations")
            .putObject("value")
            .put(CLAIM_PREFIX + replica, claim);
      } else {
        ops.addObject()
            .put("op", "add")
            .put("path", "/metadata/annotations/" + escape(CLAIM_PREFIX + replica))
            .put("value", claim);
      }
    }
    annotations.forEach(
        (key, value) -> {
          if (!key.startsWith(CLAIM_PREFIX) || key.equals(CLAIM_PREFIX + replica)) {
            return;
          }
          Optional<Claim> claim = Claim.parse(value);
          if (claim.isPresent() && claim.get().expires().isAfter(now)) {
            kept.addAll(claim.get().fingerprints());
          } else {
            ops.addObject().put("op", "remove").put("path", "/metadata/annotations/" + escape(key));
          }
        });
    List<MutatingWebhook> webhooks =
        config.getWebhooks() == null ? List.of() : config.getWebhooks();
    Map<String, X509Certificate> pool = new LinkedHashMap<>();
    List<Set<String>> present = new ArrayList<>();
    for (MutatingWebhook webhook : webhooks) {
      List<X509Certificate> certs = decode(webhook);
      certs.forEach(c -> pool.putIfAbsent(fingerprint(c), c));
      present.add(fingerprints(certs));
    }
    needed.forEach(c -> pool.putIfAbsent(fingerprint(c), c));
    List<X509Certificate> desired =
        pool.entrySet().stream()
            .filter(e -> kept.contains(e.getKey()))
            .filter(e -> e.getValue().getNotAfter().toInstant().isAfter(now))
            .map(Map.Entry::getValue)
            .toList();
    Set<String> desiredFps = fingerprints(desired);
    if (!desired.isEmpty()) {
      String pem = desiredFps.equals(neededFps) ? neededPem : Pem.encodeCertificates(desired);
      String base64 = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < webhooks.size(); i++) {
        if (present.get(i).equals(desiredFps)) {
          continue;
        }
        MutatingWebhook webhook = webhooks.get(i);
        String entry = "/webhooks/" + i;
        ops.addObject()
            .put("op", "test")
            .put("path", entry + "/name")
            .put("value", webhook.getName());
        if (webhook.getClientConfig() == null) {
          ops.addObject()
              .put("op", "add")
              .put("path", entry + "/clientConfig")
              .putObject("value")
              .put("caBundle", base64);
        } else {
          ops.addObject()
              .put("op", "add")
              .put("path", entry + "/clientConfig/caBundle")
              .put("value", base64);
        }
      }
    }
    Set<String> common = present.isEmpty() ? Set.of() : present.get(0);
    Set<String> bundle = present.stream().allMatch(common::equals) ? common : null;
    if (ops.isEmpty()) {
      return new Result(Optional.empty(), bundle, desiredFps);
    }
    // the whole plan was made from this version: a concurrent writer makes the patch fail
    ops.insertObject(0)
        .put("op", "test")
        .put("path", "/metadata/resourceVersion")
        .put("value", config.getMetadata().getResourceVersion());
    return new Result(Optional.of(ops), bundle, desiredFps);
  }

  private static List<X509Certificate> decode(MutatingWebhook webhook) {
    String base64 =
        webhook.getClientConfig() == null ? null : webhook.getClientConfig().getCaBundle();
    if (base64 == null || base64.isBlank()) {
      return List.of();
    }
    try {
      return Pem.decodeCertificates(
          new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.US_ASCII));
    } catch (RuntimeException unreadable) {
      return List.of();
    }
  }

  static Set<String> fingerprints(List<X509Certificate> certs) {
    Set<String> fps = new LinkedHashSet<>();
    certs.forEach(c -> fps.add(fingerprint(c)));
    return fps;
  }

  static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_CHARS);
    } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }

  /** JSON Pointer escaping of an annotation key ({@code /} in the key becomes {@code ~1}). */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
