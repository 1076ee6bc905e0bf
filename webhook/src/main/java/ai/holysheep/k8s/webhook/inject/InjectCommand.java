package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.ConfigParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline {@code inject} CLI, like {@code istioctl kube-inject}: injects Pods and the pod
 * templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs in a
 * multi-document YAML stream and prints the result; other documents pass through as written.
 * Nothing is printed when any object is denied, so a pipe into {@code kubectl apply} never applies
 * half a file.
 */
public final class InjectCommand {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private InjectCommand() {}

  /** Returns the process exit code: 0 on success, 1 on any error (reported on {@code err}). */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    try {
      InjectCommandOptions options = InjectCommandOptions.parse(args);
      String input = read(options.file(), in);
      ConfigSource configs =
          ConfigSource.of(chartDefault(options.configFile()), HolySheepConfigs.in(input, options));
      String gatewayCa =
          options.gatewayCaFile() == null ? null : read(options.gatewayCaFile(), null);
      Injector injector =
          Injector.create(
              InjectorOptions.defaults()
                  .withImage(options.image())
                  .withRunAsUser(options.runAsUser())
                  .withRouting(options.routing(gatewayCa)));
      List<String> documents = new ArrayList<>();
      boolean denied = false;
      int index = 0;
      for (String document : Yaml.split(input)) {
        index++;
        String result = injectDocument(document, index, options, configs, injector, err);
        if (result == null) {
          denied = true;
        } else if (!result.isBlank()) {
          documents.add(result.endsWith("\n") ? result : result + "\n");
        }
      }
      if (denied) {
        return 1;
      }
      out.print(String.join("---\n", documents));
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("inject: " + e.getMessage());
      err.println(InjectCommandOptions.USAGE);
      return 1;
    } catch (UserError e) {
      err.println("inject: " + e.getMessage());
      return 1;
    }
  }

  /** The output text of one document, "" for an empty one, null when it was denied. */
  private static String injectDocument(
      String document,
      int index,
      InjectCommandOptions options,
      ConfigSource configs,
      Injector injector,
      PrintStream err) {
    JsonNode object;
    try {
      object = Yaml.read(document);
    } catch (JsonProcessingException e) {
      throw new UserError("document " + index + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (object == null || object.isMissingNode() || object.isNull()) {
      return "";
    }
    List<JsonNode> objects = new ArrayList<>();
    if ("List".equals(object.path("kind").asText()) && object.path("items").isArray()) {
      object.path("items").forEach(objects::add);
    } else {
      objects.add(object);
    }
    boolean changed = false;
    boolean denied = false;
    for (JsonNode item : objects) {
      Outcome outcome = injectObject(item, label(item, index), options, configs, injector, err);
      changed |= outcome == Outcome.INJECTED;
      denied |= outcome == Outcome.DENIED;
    }
    if (denied) {
      return null;
    }
    return changed ? Yaml.write(object) : document.strip();
  }

  private enum Outcome {
    INJECTED,
    UNCHANGED,
    DENIED
  }

  /** Injects the pod (template) of {@code object} in place. */
  private static Outcome injectObject(
      JsonNode object,
      String label,
      InjectCommandOptions options,
      ConfigSource configs,
      Injector injector,
      PrintStream err) {
    ObjectNode template = PodTemplates.find(object);
    if (template == null) {
      return Outcome.UNCHANGED;
    }
    Pod pod;
    try {
      pod = SERIALIZATION.convertValue(template, Pod.class);
    } catch (IllegalArgumentException e) {
      throw new UserError(label + " has no valid pod template: " + e.getMessage());
    }
    String namespace =
        options.namespace() != null
            ? options.namespace()
            : object.path("metadata").path("namespace").asText(EnsureInjector.FALLBACK_NAMESPACE);
    InjectionContext context =
        new InjectionContext(Scope.OFFLINE, namespace, false, configs, options.nodes());
    InjectionResult result = injector.inject(pod, context);
    if (result instanceof InjectionResult.Injected injected) {
      injected.warnings().forEach(w -> err.println("inject: " + label + ": warning: " + w));
      JsonNode podTree = PodPatch.toTree(injected.pod());
      template.set("metadata", podTree.get("metadata"));
      template.set("spec", podTree.get("spec"));
      return Outcome.INJECTED;
    }
    if (result instanceof InjectionResult.Skipped skipped) {
      err.println("inject: " + label + ": left unchanged: " + skipped.reason());
      return Outcome.UNCHANGED;
    }
    err.println("inject: " + label + ": denied: " + ((InjectionResult.Denied) result).message());
    return Outcome.DENIED;
  }

  private static String label(JsonNode object, int index) {
    String name = object.path("metadata").path("name").asText("");
    return object.path("kind").asText() + " " + (name.isEmpty() ? "#" + index : name);
  }

  private static JsonNode chartDefault(String configFile) {
    if (configFile == null) {
      return ConfigParser.readTree("{}");
    }
    try {
      JsonNode tree = ConfigParser.readTree(read(configFile, null));
      if ("HolySheepConfig".equals(tree.path("kind").asText())) {
        tree = tree.path("spec");
      }
      ConfigParser.parse(tree);
      return tree;
    } catch (ConfigException e) {
      throw new UserError(
          "--config " + configFile + " is invalid:\n  " + String.join("\n  ", e.errors()));
    }
  }

  private static String read(String file, InputStream in) {
    try {
      if ("-".equals(file)) {
        if (in == null) {
          throw new UserError("--config - is not supported; give a file");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserError("cannot read " + file + ": no such file");
    } catch (IOException | UncheckedIOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** A problem with the command's input: reported on stderr, exit code 1. */
  private static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message);
    }
  }
}
