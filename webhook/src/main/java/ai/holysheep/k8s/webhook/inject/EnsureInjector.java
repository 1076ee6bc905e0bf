package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.HolySheepConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Strip what an earlier pass added, then add it again (DESIGN "What injection does"). */
final class EnsureInjector implements Injector {
  static final String FALLBACK_NAMESPACE = "default";

  private final InjectorOptions options;
  private final BuiltSidecars sidecars = new BuiltSidecars();

  EnsureInjector(InjectorOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public InjectionResult inject(Pod original, InjectionContext context) {
    Objects.requireNonNull(original, "pod");
    return injectOwned(new PodBuilder(original).build(), context);
  }

  @Override
  public JsonNode knownTree(Object part) {
    return sidecars.treeOf(part);
  }

  @Override
  public InjectionResult injectOwned(Pod owned, InjectionContext context) {
    Objects.requireNonNull(owned, "pod");
    Objects.requireNonNull(context, "context");
    Pod pod = editable(owned);
    try {
      InjectionResult.Skipped skipped = Eligibility.check(pod, context.scope());
      if (skipped != null) {
        return skipped;
      }
      PodOverrides overrides = OverrideParser.parse(pod.getMetadata().getAnnotations());
      String namespace = namespace(pod, context);
      List<String> warnings = new ArrayList<>();
      UpstreamRouting routing = options.routing();
      GatewayUpstream gateway = routing.gatewayFor(overrides);
      HolySheepConfig config =
          ConfigResolver.resolve(
              context.configs(),
              namespace,
              overrides,
              routing.cluster(),
              gateway == null ? null : gateway.configOverlay(),
              warnings);
      PreviousInjection.strip(pod);
      checkPortsFree(pod.getSpec(), overrides);
      boolean nativeSidecar =
          SidecarMode.decide(pod, overrides.nativeMode(), context.nodes().forPod(pod), warnings);
      SidecarSettings settings =
          new SidecarSettings(
              options,
              config,
              nativeSidecar,
              overrides,
              ProxyResourcesResolver.resolve(options.resources(), overrides),
              gateway);
      add(pod, settings);
      return new InjectionResult.Injected(pod, warnings);
    } catch (InvalidPodException e) {
      return new InjectionResult.Denied(e.getMessage());
    }
  }

  private void add(Pod pod, SidecarSettings settings) {
    PodSpec spec = pod.getSpec();
    BuiltSidecars.Built built = sidecars.get(settings);
    if (settings.nativeSidecar()) {
      spec.getInitContainers().add(nativePosition(spec.getInitContainers()), built.container());
    } else {
      spec.getContainers().add(0, built.container());
    }
    spec.getVolumes().addAll(built.volumes());
    List<Container> apps =
        spec.getContainers().stream()
            .filter(c -> !SidecarNames.CONTAINER.equals(c.getName()))
            .filter(c -> !SidecarNames.MESH_PROXY_CONTAINERS.contains(c.getName()))
            .toList();
    Map<String, List<String>> envAdded =
        settings.overrides().injectEnv()
            ? AppEnv.add(apps, settings.overrides().proxyPort())
            : Map.of();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    boolean defaultContainerSet = false;
    if (!annotations.containsKey(Annotations.DEFAULT_CONTAINER) && !apps.isEmpty()) {
      annotations.put(Annotations.DEFAULT_CONTAINER, apps.get(0).getName());
      defaultContainerSet = true;
    }
    InjectionStatus status =
        new InjectionStatus(
            settings.options().templateVersion(),
            built.inputsHash(),
            built.configHash(),
            settings.nativeSidecar() ? SidecarMode.NATIVE : SidecarMode.LEGACY,
            envAdded,
            defaultContainerSet);
    annotations.put(Annotations.STATUS, status.write());
  }

  /** Sidecars built so far (the rest came from the cache); for tests. */
  long sidecarBuilds() {
    return sidecars.builds();
  }

  /** After the last known network-setup init container (their iptables rules come first). */
  static int nativePosition(List<Container> initContainers) {
    int position = 0;
    for (int i = 0; i < initContainers.size(); i++) {
      if (SidecarNames.NETWORK_SETUP_INIT_CONTAINERS.contains(initContainers.get(i).getName())) {
        position = i + 1;
      }
    }
    return position;
  }

  private static void checkPortsFree(PodSpec spec, PodOverrides overrides) {
    List<Container> all = new ArrayList<>(spec.getInitContainers());
    all.addAll(spec.getContainers());
    for (Container container : all) {
      for (ContainerPort port : container.getPorts()) {
        Integer number = port.getContainerPort();
        if (number == null) {
          continue;
        }
        String annotation =
            number == overrides.proxyPort()
                ? Annotations.PROXY_PORT
                : number == overrides.adminPort() ? Annotations.ADMIN_PORT : null;
        if (annotation != null) {
          throw new InvalidPodException(
              "container \""
                  + container.getName()
                  + "\" declares containerPort "
                  + number
                  + ", which the HolySheep sidecar needs ("
                  + annotation
                  + ": \""
                  + number
                  + "\"); expected "
                  + annotation
                  + " set to a free port from 1024 to 65535");
        }
      }
    }
  }

  private static String namespace(Pod pod, InjectionContext context) {
    if (context.namespace() != null && !context.namespace().isBlank()) {
      return context.namespace();
    }
    String own = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    return own != null && !own.isBlank() ? own : FALLBACK_NAMESPACE;
  }

  /** The pod with the maps and lists injection edits present and mutable (shallow copies). */
  private static Pod editable(Pod pod) {
    if (pod.getMetadata() == null) {
      pod.setMetadata(new ObjectMeta());
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    pod.getMetadata()
        .setAnnotations(
            annotations == null ? new LinkedHashMap<>() : new LinkedHashMap<>(annotations));
    if (pod.getSpec() == null) {
      pod.setSpec(new PodSpec());
    }
    PodSpec spec = pod.getSpec();
    spec.setContainers(mutable(spec.getContainers()));
    spec.setInitContainers(mutable(spec.getInitContainers()));
    spec.setVolumes(mutable(spec.getVolumes()));
    for (Container c : spec.getContainers()) {
      c.setPorts(mutable(c.getPorts()));
      c.setEnv(mutable(c.getEnv()));
    }
    for (Container c : spec.getInitContainers()) {
      c.setPorts(mutable(c.getPorts()));
    }
    return pod;
  }

  private static <T> List<T> mutable(List<T> list) {
    return list == null ? new ArrayList<>() : new ArrayList<>(list);
  }
}
