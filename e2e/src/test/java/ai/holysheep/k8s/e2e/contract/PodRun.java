package ai.holysheep.k8s.e2e.contract;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One injected pod brought to life on loopback: the key files where its projected volume puts them,
 * and the real sidecar jar started with exactly its {@code holysheep-proxy} env (plus {@code
 * HOLYSHEEP_SECRETS_DIR} pointing at those files, and the given listen flags).
 */
final class PodRun implements AutoCloseable {
  static final String SECRETS_VOLUME = "holysheep-secrets";
  static final Pattern SIDECAR_READY =
      Pattern.compile(
          "^holysheep-sidecar ready proxy=127\\.0\\.0\\.1:(\\d+)(?:,\\S+)?"
              + " admin=127\\.0\\.0\\.1:(\\d+) config=(\\S+)$");

  final InjectedPod pod;
  final Map<String, String> sidecarEnv;
  final Path secretsDir;
  final List<Path> keyFiles;
  final JarProcess sidecar;
  final int proxyPort;
  final int adminPort;
  final String configHash;

  private PodRun(
      InjectedPod pod,
      Map<String, String> sidecarEnv,
      Path secretsDir,
      List<Path> keyFiles,
      JarProcess sidecar,
      Matcher ready) {
    this.pod = pod;
    this.sidecarEnv = sidecarEnv;
    this.secretsDir = secretsDir;
    this.keyFiles = keyFiles;
    this.sidecar = sidecar;
    this.proxyPort = Integer.parseInt(ready.group(1));
    this.adminPort = Integer.parseInt(ready.group(2));
    this.configHash = ready.group(3);
  }

  /**
   * @param secrets the namespace's Secrets: name -> key -> value
   * @param listenFlags sidecar flags standing in for the pod's network namespace (loopback only)
   */
  static PodRun start(
      InjectedPod pod,
      Path secretsDir,
      Map<String, Map<String, String>> secrets,
      Path sidecarJar,
      List<String> listenFlags)
      throws Exception {
    List<Path> keyFiles = pod.projectSecrets(SECRETS_VOLUME, secretsDir, secrets);
    Map<String, String> env = pod.env(InjectedPod.PROXY);
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.put("HOLYSHEEP_SECRETS_DIR", secretsDir.toString());
    JarProcess sidecar =
        JarProcess.start("sidecar", sidecarJar, listenFlags, processEnv, SIDECAR_READY);
    try {
      return new PodRun(pod, env, secretsDir, keyFiles, sidecar, sidecar.awaitReady());
    } catch (Exception | AssertionError e) {
      sidecar.close();
      throw e;
    }
  }

  String adminUrl(String path) {
    return "http://127.0.0.1:" + adminPort + path;
  }

  @Override
  public void close() throws Exception {
    sidecar.close();
  }
}
