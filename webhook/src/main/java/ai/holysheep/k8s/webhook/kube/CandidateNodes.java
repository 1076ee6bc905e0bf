package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The nodes the scheduler may put a pod on, as far as the native-sidecar decision needs:
 * schedulable (not cordoned) nodes that match the pod's {@code nodeSelector} and its required node
 * affinity ({@code requiredDuringSchedulingIgnoredDuringExecution}: terms ORed, expressions within
 * a term ANDed, operators In, NotIn, Exists, DoesNotExist, Gt, Lt; {@code matchFields} on {@code
 * metadata.name}). A DaemonSet pod pinned to one node pool is then decided by that pool alone.
 * Taints and preferred affinity are not considered (a taint narrows nothing for the tolerant pods
 * that matter most here, DaemonSets).
 */
final class CandidateNodes {
  private CandidateNodes() {}

  static List<Node> of(Pod pod, Collection<Node> nodes) {
    PodSpec spec = pod.getSpec();
    Map<String, String> selector = spec == null ? null : spec.getNodeSelector();
    NodeSelector required = requiredAffinity(spec);
    return nodes.stream()
        .filter(
            node ->
                node.getSpec() == null || !Boolean.TRUE.equals(node.getSpec().getUnschedulable()))
        .filter(node -> matchesSelector(labels(node), selector))
        .filter(node -> required == null || matchesAny(node, required.getNodeSelectorTerms()))
        .toList();
  }

  private static NodeSelector requiredAffinity(PodSpec spec) {
    if (spec == null
        || spec.getAffinity() == null
        || spec.getAffinity().getNodeAffinity() == null) {
      return null;
    }
    return spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
  }

  private static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static boolean matchesSelector(Map<String, String> labels, Map<String, String> selector) {
    return selector == null
        || selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Terms are ORed; an empty term matches nothing (as in the scheduler). */
  private static boolean matchesAny(Node node, List<NodeSelectorTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return true;
    }
    for (NodeSelectorTerm term : terms) {
      List<NodeSelectorRequirement> expressions = nonNull(term.getMatchExpressions());
      List<NodeSelectorRequirement> fields = nonNull(term.getMatchFields());
      if (expressions.isEmpty() && fields.isEmpty()) {
        continue;
      }
      Map<String, String> labels = labels(node);
      Map<String, String> nameField = Map.of("metadata.name", node.getMetadata().getName());
      if (expressions.stream().allMatch(r -> matches(r, labels))
          && fields.stream().allMatch(r -> matches(r, nameField))) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(NodeSelectorRequirement requirement, Map<String, String> values) {
    String value = values.get(requirement.getKey());
    List<String> wanted = nonNull(requirement.getValues());
    String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
    return switch (operator) {
      case "In" -> value != null && wanted.contains(value);
      case "NotIn" -> value == null || !wanted.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compare(value, wanted) > 0;
      case "Lt" -> compare(value, wanted) < 0;
      default -> false;
    };
  }

  /** Sign of value - wanted[0] as integers; 0 (no match for Gt and Lt) when either is not one. */
  private static int compare(String value, List<String> wanted) {
    if (value == null || wanted.size() != 1) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(value), Long.parseLong(wanted.get(0)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
