package ai.holysheep.k8s.webhook.admission;

import ai.holysheep.k8s.webhook.inject.ConfigSource;
import ai.holysheep.k8s.webhook.inject.InjectionContext;
import ai.holysheep.k8s.webhook.inject.InjectionResult;
import ai.holysheep.k8s.webhook.inject.Injector;
import ai.holysheep.k8s.webhook.inject.NodeVersions;
import ai.holysheep.k8s.webhook.inject.PodPatch;
import ai.holysheep.k8s.webhook.inject.Scope;
import ai.holysheep.k8s.webhook.metrics.AdmissionOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One admission, without HTTP: decode, inject, diff, answer. Denials are {@code allowed: false}
 * with HTTP-style code 403 and reason Forbidden, which kubectl prints as {@code Error from server
 * (Forbidden): admission webhook "…" denied the request: <message>}.
 */
public final class AdmissionService {
  static final int DENIED_CODE = 403;
  static final String DENIED_REASON = "Forbidden";
  static final String SIDECAR_NAME = "holysheep-proxy";
  private static final String CREATE = "CREATE";

  /** A dry-run review of a small pod (no Events), used to warm up before the first real one. */
  static final String WARM_UP_REVIEW =
      "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
          + "\"uid\":\"warm-up\",\"namespace\":\"default\",\"operation\":\"CREATE\","
          + "\"dryRun\":true,\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
          + "\"metadata\":{\"generateName\":\"warm-up-\"},\"spec\":{\"containers\":"
          + "[{\"name\":\"app\",\"image\":\"example/app:1\"}]}}}}";

  private final Injector injector;
  private final ConfigSource configs;
  private final NodeVersions nodes;
  private final WarningEvents events;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final AdmissionDecoder decoder = new AdmissionDecoder(serialization);

  public AdmissionService(
      Injector injector, ConfigSource configs, NodeVersions nodes, WarningEvents events) {
    this.injector = injector;
    this.configs = configs;
    this.nodes = nodes;
    this.events = events;
  }

  /**
   * Runs one dry-run review of a sample pod, so class loading and JIT warm-up happen before the
   * first real admission (which has the API server's 5 s timeout), not during it.
   */
  public void warmUp() {
    try {
      review(Scope.NAMESPACE, WARM_UP_REVIEW.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      System.getLogger(AdmissionService.class.getName())
          .log(System.Logger.Level.WARNING, "warm-up admission failed: " + e.getMessage());
    }
  }

  /** Throws {@link BadAdmissionRequest} for a body that is not a review of a Pod. */
  AdmissionReply review(Scope scope, byte[] body) {
    AdmissionDecoder.Decoded request = decoder.decode(body);
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder().withUid(request.uid()).withAllowed(true);
    if (!CREATE.equals(request.operation())) {
      return reply(response.build(), new AdmissionOutcome(AdmissionOutcome.SKIPPED, "not-create"));
    }
    Pod pod = request.pod();
    InjectionContext context =
        new InjectionContext(scope, request.namespace(), request.dryRun(), configs, nodes);
    // the decoded pod is this admission's own: no copy
    InjectionResult result = injector.injectOwned(pod, context);
    if (result instanceof InjectionResult.Injected injected) {
      JsonNode patch = PodPatch.diff(request.object(), injected.pod(), injector::knownTree);
      if (!patch.isEmpty()) {
        response
            .withPatchType("JSONPatch")
            .withPatch(
                Base64.getEncoder()
                    .encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
      }
      warn(response, request, injected.warnings());
      return reply(response.build(), AdmissionOutcome.injected(isNative(injected.pod())));
    }
    if (result instanceof InjectionResult.Skipped skipped) {
      warn(response, request, skipped.warnings());
      return reply(response.build(), AdmissionOutcome.skipped(skipped.reason()));
    }
    InjectionResult.Denied denied = (InjectionResult.Denied) result;
    response
        .withAllowed(false)
        .withStatus(
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(DENIED_CODE)
                .withReason(DENIED_REASON)
                .withMessage(denied.message())
                .build());
    return reply(response.build(), AdmissionOutcome.denied());
  }

  private void warn(
      AdmissionResponseBuilder response, AdmissionDecoder.Decoded request, List<String> warnings) {
    if (warnings.isEmpty()) {
      return;
    }
    response.withWarnings(warnings);
    if (!request.dryRun()) {
      events.publish(request.namespace(), request.pod(), warnings);
    }
  }

  private static boolean isNative(Pod injected) {
    var init = injected.getSpec().getInitContainers();
    return init != null && init.stream().anyMatch(c -> SIDECAR_NAME.equals(c.getName()));
  }

  private AdmissionReply reply(AdmissionResponse response, AdmissionOutcome outcome) {
    AdmissionReview review =
        new AdmissionReviewBuilder()
            .withApiVersion(AdmissionDecoder.API_VERSION)
            .withKind(AdmissionDecoder.KIND)
            .withResponse(response)
            .build();
    return new AdmissionReply(serialization.asJson(review), outcome);
  }
}
