package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the fields an upstream has (baseUrl, caFile) and the fallbacks list. */
final class Upstreams {
  /** What every upstream has besides its URL: its key source and how it is trusted. */
  static final List<String> KEY_AND_TRUST_FIELDS =
      List.of("apiKeySecretRef", "apiKeyFile", "allowInsecure", "caFile", "caPem");

  static final List<String> FALLBACK_FIELDS = fallbackFields();
  static final int MAX_FALLBACKS = 10;
  static final int MAX_PATH_CHARS = 256;

  private static final Pattern PATH = Pattern.compile("/[-A-Za-z0-9._~!$&'()*+,;=:@%/]*");
  private static final String FALLBACK_KEY_WHY =
      "the Secret holding this fallback's API key (a fallback never inherits another upstream's key)";

  private Upstreams() {}

  private static List<String> fallbackFields() {
    List<String> fields = new ArrayList<>(List.of("name", "baseUrl"));
    fields.addAll(KEY_AND_TRUST_FIELDS);
    fields.add("models");
    return List.copyOf(fields);
  }

  static String baseUrl(ObjectReader upstream, String defaultValue, boolean allowInsecure) {
    String url = upstream.string("baseUrl", defaultValue);
    if (url == null) {
      if (!upstream.problems().has(upstream.path("baseUrl"))) {
        upstream.bad("baseUrl", "missing; required: " + UrlRules.UPSTREAM_FORM);
      }
      return null;
    }
    String problem = UrlRules.checkUpstream(url, allowInsecure);
    if (problem != null) {
      upstream.bad("baseUrl", problem);
      return defaultValue;
    }
    return UrlRules.normalizeUpstream(url);
  }

  /** An absolute path to a PEM bundle, or null when unset or empty. */
  static String caFile(ObjectReader upstream) {
    String caFile = upstream.string("caFile", null);
    if (caFile == null || caFile.isEmpty()) {
      return null;
    }
    if (!caFile.startsWith("/") || caFile.length() > 4096 || caFile.indexOf('\0') >= 0) {
      upstream.bad(
          "caFile",
          Problems.quote(caFile)
              + " is not an absolute path; allowed: a PEM file path starting with '/'");
      return null;
    }
    return caFile;
  }

  static boolean isPath(String path) {
    return path.length() <= MAX_PATH_CHARS && PATH.matcher(path).matches();
  }

  static List<FallbackSpec> fallbacks(ObjectReader spec) {
    JsonNode list = spec.value("fallbacks");
    if (list == null) {
      return List.of();
    }
    if (!list.isArray()) {
      spec.bad(
          "fallbacks",
          Problems.quote(list)
              + " is not a list; use a list of {"
              + String.join(", ", FALLBACK_FIELDS)
              + "}");
      return List.of();
    }
    if (list.size() > MAX_FALLBACKS) {
      spec.bad("fallbacks", "has " + list.size() + " entries; allowed: at most " + MAX_FALLBACKS);
      return List.of();
    }
    List<FallbackSpec> fallbacks = new ArrayList<>();
    Map<String, String> pathByName = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = spec.path("fallbacks") + "[" + i + "]";
      ObjectReader f = ObjectReader.of(list.get(i), path, spec.problems(), FALLBACK_FIELDS);
      if (!f.present()) {
        // A non-object already has its message; an explicit null gets one here.
        spec.problems()
            .add(
                path,
                "null is not an object; allowed fields: " + String.join(", ", FALLBACK_FIELDS));
        continue;
      }
      String name = name(f, pathByName);
      boolean allowInsecure = f.bool("allowInsecure", HolySheepConfig.DEFAULT_ALLOW_INSECURE);
      String baseUrl = baseUrl(f, null, allowInsecure);
      KeySources.KeySource key = KeySources.read(f, null, FALLBACK_KEY_WHY);
      String caFile = caFile(f);
      String caPem = InlineCa.read(f);
      Map<String, String> models = ModelMaps.read(f);
      if (name != null && baseUrl != null && key != null) {
        fallbacks.add(
            new FallbackSpec(
                name, baseUrl, key.secretRef(), allowInsecure, caFile, key.file(), caPem, models));
      }
    }
    return fallbacks;
  }

  private static String name(ObjectReader f, Map<String, String> pathByName) {
    String name = f.string("name", null);
    if (name == null) {
      if (!f.problems().has(f.path("name"))) {
        f.bad("name", "missing; required: a unique name (" + Names.LABEL_ALLOWED + ")");
      }
      return null;
    }
    if (!Names.isDnsLabel(name)) {
      f.bad("name", Problems.quote(name) + " is not a valid name; allowed: " + Names.LABEL_ALLOWED);
      return null;
    }
    if (name.equals(HolySheepConfig.PRIMARY_NAME)) {
      f.bad(
          "name",
          Problems.quote(name) + " is reserved for the primary upstream; allowed: any other name");
      return null;
    }
    String earlier = pathByName.putIfAbsent(name, f.path("name"));
    if (earlier != null) {
      f.bad(
          "name",
          Problems.quote(name) + " is already used by " + earlier + "; names must be unique");
      return null;
    }
    return name;
  }
}
