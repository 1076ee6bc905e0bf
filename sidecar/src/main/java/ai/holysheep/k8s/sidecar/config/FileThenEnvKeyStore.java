package ai.holysheep.k8s.sidecar.config;

import ai.holysheep.k8s.config.UpstreamSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the key file's attributes on every use (one {@code stat}, no read) and re-reads it only
 * when modification time, size or file identity changed. Kubernetes updates projected volumes by
 * swapping a symlink, which changes the file identity.
 */
final class FileThenEnvKeyStore implements KeyStore {
  private static final System.Logger LOG = System.getLogger(FileThenEnvKeyStore.class.getName());

  private final Path secretsDir;
  private final Map<String, String> env;
  private final Map<Path, CachedFile> files = new ConcurrentHashMap<>();
  private final Map<String, ApiKey> envKeys = new ConcurrentHashMap<>();
  private final Map<Path, Long> missing = new ConcurrentHashMap<>();

  /**
   * A missing file is looked for again after this long: a failed lookup costs an exception, too
   * much for every request when keys come from env. An existing file is still checked every time.
   */
  static final Duration MISSING_RECHECK = Duration.ofMillis(250);

  FileThenEnvKeyStore(Path secretsDir, Map<String, String> env) {
    this.secretsDir = secretsDir;
    this.env = env;
  }

  @Override
  public ApiKey key(UpstreamSpec upstream) {
    ApiKey fromFile = fromFile(keyFile(upstream));
    if (fromFile != null) {
      return fromFile;
    }
    String value = env.get(upstream.keyEnvVar());
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    ApiKey cached = envKeys.get(upstream.keyEnvVar());
    if (cached == null) {
      cached = new ApiKey(trimmed, KeySource.ENV);
      envKeys.put(upstream.keyEnvVar(), cached);
    }
    return cached;
  }

  /** The upstream's {@code apiKeyFile}, else its Secret's file under the secrets directory. */
  private Path keyFile(UpstreamSpec upstream) {
    return upstream.apiKeyFile() != null
        ? Path.of(upstream.apiKeyFile())
        : secretsDir.resolve(upstream.apiKeySecretRef().mountPath());
  }

  private ApiKey fromFile(Path path) {
    Long missingSince = missing.get(path);
    if (missingSince != null && System.nanoTime() - missingSince < MISSING_RECHECK.toNanos()) {
      return null;
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
      missing.remove(path);
    } catch (NoSuchFileException e) {
      files.remove(path);
      missing.put(path, System.nanoTime());
      return null;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot stat key file {0}: {1}", path, e.toString());
      return null;
    }
    CachedFile cached = files.get(path);
    Stamp stamp =
        new Stamp(
            attributes.lastModifiedTime().toInstant(), attributes.size(), attributes.fileKey());
    if (cached != null && cached.stamp.equals(stamp)) {
      return cached.key;
    }
    ApiKey key = read(path);
    files.put(path, new CachedFile(stamp, key));
    if (cached != null) {
      LOG.log(System.Logger.Level.INFO, "key file {0} changed; using the new key", path);
    }
    return key;
  }

  private static ApiKey read(Path path) {
    try {
      String value = Files.readString(path, StandardCharsets.UTF_8).strip();
      return value.isEmpty() ? null : new ApiKey(value, KeySource.FILE);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read key file {0}: {1}", path, e.toString());
      return null;
    }
  }

  private record Stamp(Instant modified, long size, Object fileKey) {}

  private record CachedFile(Stamp stamp, ApiKey key) {}
}
