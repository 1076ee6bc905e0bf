package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;
import java.util.List;

/** The {@code holysheep-proxy} container (DESIGN "What injection does"). */
final class SidecarTemplate {
  static final String SECRETS_MOUNT_PATH = SecretKeyRef.SECRETS_DIR;
  static final String TMP_MOUNT_PATH = "/tmp";
  static final String SIDECAR_JAR = "/app/holysheep-sidecar.jar";

  /** Bound of the legacy postStart wait; also what the startup probe allows. */
  static final String WAIT_TIMEOUT = "60s";

  /**
   * JVM flags of the legacy postStart wait, which runs in the sidecar's container beside the
   * starting sidecar and within its limits: C1 only and one compiler thread (it polls one URL), a
   * small heap, no perf-data file in the pod's {@code /tmp}. CPU and peak RSS until a 1 s wait
   * gives up: 0.70 s / 76 MiB with the JVM's defaults and the old HttpClient probe, 0.13-0.19 s /
   * 40 MiB with the socket probe and these flags (docs/BENCHMARKS.md, "The legacy wait hook").
   */
  static final List<String> WAIT_JVM_FLAGS =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:+UseSerialGC",
          "-Xmx16m",
          "-XX:-UsePerfData");

  static final int STARTUP_PERIOD_SECONDS = 1;

  /** With a 1 s period: about 60 s for the sidecar to become ready before kubelet restarts it. */
  static final int STARTUP_FAILURE_THRESHOLD = 60;

  static final int READINESS_PERIOD_SECONDS = 5;
  static final int LIVENESS_PERIOD_SECONDS = 10;
  static final int PROBE_TIMEOUT_SECONDS = 2;
  static final int PROBE_FAILURE_THRESHOLD = 3;

  private SidecarTemplate() {}

  static Container build(SidecarSettings settings) {
    PodOverrides overrides = settings.overrides();
    boolean secrets =
        SidecarVolumes.hasSources(SidecarVolumes.secrets(settings.config(), settings.gateway()));
    ContainerBuilder builder =
        new ContainerBuilder()
            .withName(SidecarNames.CONTAINER)
            .withImage(settings.options().image())
            .withImagePullPolicy("IfNotPresent")
            .withEnv(env(settings))
            .addNewPort()
            .withName(SidecarNames.ADMIN_PORT_NAME)
            .withContainerPort(overrides.adminPort())
            .withProtocol("TCP")
            .endPort()
            .withResources(settings.resources())
            .withSecurityContext(securityContext(settings.options().runAsUser()));
    if (secrets) {
      builder
          .addNewVolumeMount()
          .withName(SidecarNames.SECRETS_VOLUME)
          .withMountPath(SECRETS_MOUNT_PATH)
          .withReadOnly(true)
          .endVolumeMount();
    }
    builder
        .addNewVolumeMount()
        .withName(SidecarNames.TMP_VOLUME)
        .withMountPath(TMP_MOUNT_PATH)
        .endVolumeMount()
        .withStartupProbe(probe("/ready", STARTUP_PERIOD_SECONDS, STARTUP_FAILURE_THRESHOLD))
        .withReadinessProbe(probe("/ready", READINESS_PERIOD_SECONDS, PROBE_FAILURE_THRESHOLD))
        .withLivenessProbe(probe("/health", LIVENESS_PERIOD_SECONDS, PROBE_FAILURE_THRESHOLD))
        .withTerminationMessagePolicy("FallbackToLogsOnError");
    if (settings.nativeSidecar()) {
      builder.withRestartPolicy("Always");
    } else {
      builder
          .withNewLifecycle()
          .withNewPostStart()
          .withNewExec()
          .withCommand(waitCommand(overrides))
          .endExec()
          .endPostStart()
          .endLifecycle();
    }
    return builder.build();
  }

  private static List<EnvVar> env(SidecarSettings settings) {
    PodOverrides overrides = settings.overrides();
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("HOLYSHEEP_CONFIG", settings.config().toCanonicalJson(), null));
    env.add(fieldRef("HOLYSHEEP_POD_NAMESPACE", "metadata.namespace"));
    env.add(fieldRef("HOLYSHEEP_POD_NAME", "metadata.name"));
    if (overrides.proxyPortOverridden()) {
      env.add(new EnvVar("HOLYSHEEP_PROXY_PORT", String.valueOf(overrides.proxyPort()), null));
    }
    if (overrides.adminPortOverridden()) {
      env.add(new EnvVar("HOLYSHEEP_ADMIN_PORT", String.valueOf(overrides.adminPort()), null));
    }
    return env;
  }

  private static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static List<String> waitCommand(PodOverrides overrides) {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(WAIT_JVM_FLAGS);
    command.addAll(List.of("-jar", SIDECAR_JAR, "wait", "--timeout", WAIT_TIMEOUT));
    if (overrides.adminPortOverridden()) {
      command.add("--admin-url");
      command.add("http://127.0.0.1:" + overrides.adminPort());
    }
    return command;
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(SidecarNames.ADMIN_PORT_NAME))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /** Pod Security "restricted"; the uid is omitted when the platform assigns one (OpenShift). */
  private static SecurityContext securityContext(Long runAsUser) {
    SecurityContextBuilder builder =
        new SecurityContextBuilder()
            .withRunAsNonRoot(true)
            .withReadOnlyRootFilesystem(true)
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile();
    if (runAsUser != null) {
      builder.withRunAsUser(runAsUser).withRunAsGroup(runAsUser);
    }
    return builder.build();
  }
}
