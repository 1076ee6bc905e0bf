package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.admission.WarningEvents;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Creates a Warning Event on the pod's controller (else the pod) from a single background thread.
 * The queue is bounded and drops when full: an admission never waits for, or fails because of, an
 * Event.
 */
public final class KubeWarningEvents implements WarningEvents, AutoCloseable {
  public static final String REASON = "HolySheepInjectionWarning";
  public static final String COMPONENT = "holysheep-injector";

  /** Pending Events beyond this are dropped (and logged). */
  public static final int DEFAULT_QUEUE_CAPACITY = 256;

  static final int MAX_MESSAGE_CHARS = 1024;
  private static final System.Logger LOG = System.getLogger(KubeWarningEvents.class.getName());

  private final KubernetesClient client;
  private final Clock clock;
  private final ThreadPoolExecutor executor;

  public KubeWarningEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(DEFAULT_QUEUE_CAPACITY),
            runnable -> {
              Thread t = new Thread(runnable, "holysheep-events");
              t.setDaemon(true);
              return t;
            },
            (runnable, pool) -> LOG.log(Level.WARNING, "event queue full; warning event dropped"));
  }

  @Override
  public void publish(String namespace, Pod pod, List<String> warnings) {
    ObjectReference target = target(namespace, pod);
    if (target == null || warnings.isEmpty()) {
      return;
    }
    executor.execute(() -> create(namespace, target, String.join("; ", warnings)));
  }

  private void create(String namespace, ObjectReference target, String message) {
    String now = clock.instant().toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(target.getName() + "." + Long.toHexString(System.nanoTime()))
            .endMetadata()
            .withInvolvedObject(target)
            .withType("Warning")
            .withReason(REASON)
            .withMessage(
                message.length() > MAX_MESSAGE_CHARS
                    ? message.substring(0, MAX_MESSAGE_CHARS)
                    : message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "cannot create warning event on "
              + target.getKind()
              + " "
              + target.getName()
              + ": "
              + e.getMessage());
    }
  }

  /** The controller owner, else the first owner, else the pod itself when it has a name. */
  static ObjectReference target(String namespace, Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null && !owners.isEmpty()) {
      OwnerReference owner =
          owners.stream()
              .filter(o -> Boolean.TRUE.equals(o.getController()))
              .findFirst()
              .orElse(owners.get(0));
      return new ObjectReferenceBuilder()
          .withApiVersion(owner.getApiVersion())
          .withKind(owner.getKind())
          .withName(owner.getName())
          .withUid(owner.getUid())
          .withNamespace(namespace)
          .build();
    }
    String name = pod.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      return null;
    }
    return new ObjectReferenceBuilder()
        .withApiVersion("v1")
        .withKind("Pod")
        .withName(name)
        .withNamespace(namespace)
        .build();
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
