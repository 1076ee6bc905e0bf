package ai.holysheep.k8s.webhook.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Turns an HTTP body into an {@code admission.k8s.io/v1} AdmissionReview about a Pod, or a {@link
 * BadAdmissionRequest} whose message names the field, what was found and what is expected.
 */
final class AdmissionDecoder {
  static final String API_VERSION = "admission.k8s.io/v1";
  static final String KIND = "AdmissionReview";

  /**
   * Deepest nesting accepted: a review of a pod is about 15 levels deep (node affinity is the
   * deepest part); far deeper input only costs stack and time.
   */
  static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
              .build());
  private static final int MAX_ECHO_CHARS = 60;

  private final KubernetesSerialization serialization;

  AdmissionDecoder(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /**
   * A decoded review about a Pod: the request fields the webhook reads, {@code object} as the
   * request brought it (what the patch is computed against) and {@code pod}, its typed copy (the
   * one conversion into the model per admission).
   */
  record Decoded(
      String uid, String operation, boolean dryRun, String namespace, JsonNode object, Pod pod) {}

  Decoded decode(byte[] body) {
    JsonNode tree = readTree(body);
    if (!tree.isObject()) {
      throw BadAdmissionRequest.badRequest(
          "body: expected a JSON object (an AdmissionReview), got " + tree.getNodeType());
    }
    String kind = text(tree.get("kind"));
    String apiVersion = text(tree.get("apiVersion"));
    if (!KIND.equals(kind) || !API_VERSION.equals(apiVersion)) {
      throw BadAdmissionRequest.badRequest(
          "kind/apiVersion: \""
              + echo(kind)
              + "\" \""
              + echo(apiVersion)
              + "\" is not supported; expected kind AdmissionReview, apiVersion "
              + API_VERSION);
    }
    JsonNode request = tree.get("request");
    if (request == null || !request.isObject()) {
      throw BadAdmissionRequest.badRequest(
          "request: missing; an AdmissionReview sent by the API server carries a request object");
    }
    String uid = text(request.get("uid"));
    if (uid.isEmpty()) {
      throw BadAdmissionRequest.badRequest(
          "request.uid: missing or not a string; the response must echo it");
    }
    JsonNode object = request.get("object");
    if (object == null || !object.isObject()) {
      throw BadAdmissionRequest.badRequest(
          "request.object: missing; expected the Pod being created");
    }
    String objectKind = text(object.get("kind"));
    if (!"Pod".equals(objectKind)) {
      throw BadAdmissionRequest.badRequest(
          "request.object.kind: \""
              + echo(objectKind)
              + "\" is not handled; this webhook only mutates Pods (kind Pod, apiVersion v1)");
    }
    JsonNode spec = object.get("spec");
    if (spec == null || !spec.isObject()) {
      throw BadAdmissionRequest.badRequest("request.object.spec: missing; a Pod needs a spec");
    }
    PodShape.check(object);
    JsonNode dryRun = request.get("dryRun");
    if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
      throw BadAdmissionRequest.badRequest(
          "request.dryRun: " + dryRun.getNodeType() + " is not a boolean");
    }
    Pod pod;
    try {
      pod = serialization.convertValue(object, Pod.class);
    } catch (IllegalArgumentException e) {
      throw BadAdmissionRequest.badRequest(
          "request.object: not a valid Pod: " + firstLine(e.getMessage()));
    }
    return new Decoded(
        uid,
        optionalText(request, "operation"),
        dryRun != null && dryRun.asBoolean(),
        optionalText(request, "namespace"),
        object,
        pod);
  }

  /** The text of a string node; "" for anything else (so a number never passes as a kind). */
  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : "";
  }

  private static String optionalText(JsonNode request, String field) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw BadAdmissionRequest.badRequest(
          "request." + field + ": " + node.getNodeType() + " is not a string");
    }
    return node.asText();
  }

  private static JsonNode readTree(byte[] body) {
    if (body == null || body.length == 0) {
      throw BadAdmissionRequest.badRequest("body: empty; expected an AdmissionReview JSON object");
    }
    try {
      JsonNode tree = JSON.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        throw BadAdmissionRequest.badRequest(
            "body: empty; expected an AdmissionReview JSON object");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw BadAdmissionRequest.badRequest(
          "body: not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
    } catch (java.io.IOException e) {
      throw BadAdmissionRequest.badRequest("body: unreadable (" + e.getMessage() + ")");
    }
  }

  static String echo(String value) {
    return value.length() > MAX_ECHO_CHARS ? value.substring(0, MAX_ECHO_CHARS) + "…" : value;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return echo(newline < 0 ? message : message.substring(0, newline));
  }
}
