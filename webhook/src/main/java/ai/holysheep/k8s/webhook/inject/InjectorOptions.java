package ai.holysheep.k8s.webhook.inject;

import java.util.Objects;

/**
 * How the injector builds the sidecar: the same for every pod it sees.
 *
 * @param image sidecar image reference
 * @param runAsUser uid of the sidecar, or null to leave it to the platform (OpenShift assigns one)
 * @param resources default requests/limits of the proxy container
 * @param templateVersion version of the injection template, written to {@code holysheep.ai/status}
 * @param routing default upstream, gateway and cluster default config
 */
public record InjectorOptions(
    String image,
    Long runAsUser,
    ProxyResources resources,
    String templateVersion,
    UpstreamRouting routing) {
  public static final String DEFAULT_IMAGE = "ghcr.io/holysheep-ai/holysheep-sidecar:0.1.0";
  public static final Long DEFAULT_RUN_AS_USER = 65532L;

  /** Bump whenever the generated sidecar changes shape, so older injections show up as stale. */
  public static final String TEMPLATE_VERSION = "1";

  public InjectorOptions {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(templateVersion, "templateVersion");
    Objects.requireNonNull(routing, "routing");
    if (image.isBlank()) {
      throw new IllegalArgumentException("sidecar image must not be blank");
    }
    if (runAsUser != null && runAsUser <= 0) {
      throw new IllegalArgumentException(
          "sidecar uid " + runAsUser + " is invalid; expected a positive non-root uid or none");
    }
  }

  public static InjectorOptions defaults() {
    return new InjectorOptions(
        DEFAULT_IMAGE,
        DEFAULT_RUN_AS_USER,
        ProxyResources.defaults(),
        TEMPLATE_VERSION,
        UpstreamRouting.direct());
  }

  public InjectorOptions withImage(String newImage) {
    return new InjectorOptions(newImage, runAsUser, resources, templateVersion, routing);
  }

  public InjectorOptions withRunAsUser(Long newRunAsUser) {
    return new InjectorOptions(image, newRunAsUser, resources, templateVersion, routing);
  }

  public InjectorOptions withResources(ProxyResources newResources) {
    return new InjectorOptions(image, runAsUser, newResources, templateVersion, routing);
  }

  public InjectorOptions withTemplateVersion(String newTemplateVersion) {
    return new InjectorOptions(image, runAsUser, resources, newTemplateVersion, routing);
  }

  public InjectorOptions withRouting(UpstreamRouting newRouting) {
    return new InjectorOptions(image, runAsUser, resources, templateVersion, newRouting);
  }
}
