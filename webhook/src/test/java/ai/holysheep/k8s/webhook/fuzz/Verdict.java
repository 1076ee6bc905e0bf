package ai.holysheep.k8s.webhook.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * What the webhook's answer to one case was, and whether it is acceptable: never a 5xx or a hang;
 * every error a JSON {@code {"error": …}}; every 200 a well-formed AdmissionReview echoing the uid,
 * whose patch (if any) touches only what injection owns, applies cleanly to the review as sent, and
 * gives an object the fabric8 model reads as a Pod with the sidecar in it.
 */
record Verdict(String outcome, String problem) {
  static final Set<String> OWNED =
      Set.of("/metadata/annotations", "/spec/containers", "/spec/initContainers", "/spec/volumes");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization MODEL = new KubernetesSerialization();

  boolean failed() {
    return problem != null;
  }

  static Verdict hang(String detail) {
    return new Verdict("hang", "no answer: " + detail);
  }

  static Verdict of(FuzzCase sent, int status, String body) {
    if (status >= 500) {
      return new Verdict("5xx", "HTTP " + status + ": " + abbreviate(body));
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (Exception e) {
      return new Verdict("malformed", "HTTP " + status + " body is not JSON: " + abbreviate(body));
    }
    if (status != 200) {
      return answer.path("error").isTextual() && !answer.path("error").asText().isBlank()
          ? new Verdict(String.valueOf(status), null)
          : new Verdict("malformed", "HTTP " + status + " without an error message: " + body);
    }
    List<String> problems = new ArrayList<>();
    JsonNode response = answer.path("response");
    if (!"admission.k8s.io/v1".equals(answer.path("apiVersion").asText())
        || !"AdmissionReview".equals(answer.path("kind").asText())
        || !response.path("allowed").isBoolean()) {
      problems.add("not an AdmissionReview v1 with response.allowed");
    }
    JsonNode uid = sent.sent() == null ? null : sent.sent().path("request").path("uid");
    if (uid != null && uid.isTextual() && !uid.asText().equals(response.path("uid").asText())) {
      problems.add("uid " + response.path("uid") + " does not echo " + uid);
    }
    String outcome = response.path("allowed").asBoolean() ? "allowed" : "denied";
    if (response.has("patch")) {
      outcome = "injected";
      checkPatch(sent, response, problems);
    } else if (!response.path("allowed").asBoolean()
        && response.path("status").path("message").asText().isBlank()) {
      problems.add("a denial without a message");
    }
    return new Verdict(outcome, problems.isEmpty() ? null : String.join("; ", problems));
  }

  private static void checkPatch(FuzzCase sent, JsonNode response, List<String> problems) {
    if (!"JSONPatch".equals(response.path("patchType").asText())) {
      problems.add("patchType " + response.path("patchType"));
      return;
    }
    try {
      JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
      for (JsonNode op : patch) {
        String path = op.path("path").asText();
        if (OWNED.stream().noneMatch(path::startsWith) && !path.equals("/metadata")) {
          problems.add("patch op outside what injection owns: " + op.path("op") + " " + path);
        }
      }
      JsonNode patched = JsonPatch.apply(patch, sent.sent().path("request").path("object"));
      Pod pod = MODEL.convertValue(patched, Pod.class);
      List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
      all.addAll(pod.getSpec().getInitContainers());
      if (all.stream().noneMatch(c -> "holysheep-proxy".equals(c.getName()))) {
        problems.add("patched pod has no holysheep-proxy container");
      }
    } catch (Exception | StackOverflowError e) {
      problems.add("patch does not apply or is not a Pod: " + abbreviate(String.valueOf(e)));
    }
  }

  private static String abbreviate(String text) {
    return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
