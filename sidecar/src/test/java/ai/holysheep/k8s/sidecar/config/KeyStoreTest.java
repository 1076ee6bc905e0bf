package ai.holysheep.k8s.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.SecretKeyRef;
import ai.holysheep.k8s.config.UpstreamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {
  private static final UpstreamSpec PRIMARY =
      new UpstreamSpec(
          "primary",
          "https://api.holysheep.ai/v1",
          new SecretKeyRef("holysheep-credentials", "api-key"),
          "HOLYSHEEP_API_KEY",
          false,
          null);
  private static final UpstreamSpec FALLBACK =
      new UpstreamSpec(
          "secondary",
          "https://b.example/v1",
          new SecretKeyRef("other", "key"),
          "HOLYSHEEP_API_KEY_1",
          false,
          null);

  @TempDir Path secrets;

  private Path write(String secret, String key, String value) throws Exception {
    Path file = secrets.resolve(secret).resolve(key);
    Files.createDirectories(file.getParent());
    Files.writeString(file, value);
    return file;
  }

  @Test
  void readsTheMountedFileTrimmed() throws Exception {
    write("holysheep-credentials", "api-key", "sk-file-1\n");
    ApiKey key = KeyStore.create(secrets, Map.of()).key(PRIMARY);
    assertEquals("Bearer sk-file-1", key.authorizationHeader());
    assertEquals(KeySource.FILE, key.source());
  }

  @Test
  void aRewrittenFileIsUsedOnTheNextLookup() throws Exception {
    Path file = write("holysheep-credentials", "api-key", "sk-old-1");
    KeyStore store = KeyStore.create(secrets, Map.of());
    assertEquals("Bearer sk-old-1", store.key(PRIMARY).authorizationHeader());
    Files.writeString(file, "sk-new-2");
    assertEquals("Bearer sk-new-2", store.key(PRIMARY).authorizationHeader());
  }

  @Test
  void aSymlinkSwapLikeKubernetesIsSeen() throws Exception {
    Path v1 = write("..v1", "api-key", "sk-one");
    Path v2 = write("..v2", "api-key", "sk-two");
    Path dir = secrets.resolve("holysheep-credentials");
    Files.createDirectories(dir);
    Path link = dir.resolve("api-key");
    Files.createSymbolicLink(link, v1);
    KeyStore store = KeyStore.create(secrets, Map.of());
    assertEquals("Bearer sk-one", store.key(PRIMARY).authorizationHeader());
    Files.delete(link);
    Files.createSymbolicLink(link, v2);
    assertEquals("Bearer sk-two", store.key(PRIMARY).authorizationHeader());
  }

  @Test
  void fallsBackToTheUpstreamsOwnEnvVariable() {
    KeyStore store =
        KeyStore.create(
            secrets, Map.of("HOLYSHEEP_API_KEY", "sk-env-primary", "HOLYSHEEP_API_KEY_1", "sk-fb"));
    assertEquals("Bearer sk-env-primary", store.key(PRIMARY).authorizationHeader());
    assertEquals(KeySource.ENV, store.key(PRIMARY).source());
    assertEquals("Bearer sk-fb", store.key(FALLBACK).authorizationHeader());
  }

  @Test
  void aFallbackNeverBorrowsThePrimarysKey() throws Exception {
    write("holysheep-credentials", "api-key", "sk-primary");
    KeyStore store = KeyStore.create(secrets, Map.of("HOLYSHEEP_API_KEY", "sk-primary-env"));
    assertNull(store.key(FALLBACK));
  }

  @Test
  void anEmptyFileMeansNoKey() throws Exception {
    write("holysheep-credentials", "api-key", "  \n");
    assertNull(KeyStore.create(secrets, Map.of()).key(PRIMARY));
  }

  @Test
  void keysNeverShowInToStringAndLocationNamesSecretAndEnv() throws Exception {
    write("holysheep-credentials", "api-key", "sk-very-secret");
    ApiKey key = KeyStore.create(secrets, Map.of()).key(PRIMARY);
    assertFalse(key.toString().contains("sk-very-secret"));
    String where = KeyStore.describeExpectedLocation(PRIMARY);
    assertTrue(where.contains("holysheep-credentials") && where.contains("api-key"), where);
    assertTrue(where.contains("HOLYSHEEP_API_KEY"), where);
  }

  private UpstreamSpec keyFileUpstream(Path file) {
    return new UpstreamSpec(
        "gateway",
        "https://holysheep-gateway.holysheep-system.svc/v1",
        null,
        "HOLYSHEEP_API_KEY",
        false,
        null,
        file.toString(),
        null,
        null);
  }

  @Test
  void anApiKeyFileIsReadFromItsOwnPathAndReReadWhenRotated() throws Exception {
    Path token = Files.createDirectories(secrets.resolve("token-dir")).resolve("token");
    Files.writeString(token, "eyJ.first.token\n");
    UpstreamSpec gateway = keyFileUpstream(token);
    KeyStore store = KeyStore.create(secrets.resolve("unused"), Map.of());
    assertEquals("Bearer eyJ.first.token", store.key(gateway).authorizationHeader());
    assertEquals(KeySource.FILE, store.key(gateway).source());
    // The kubelet rewrites a projected token (about every hour) by swapping a symlink; a
    // different size is enough for the stamp to change without waiting for a coarse mtime tick.
    Files.writeString(token, "eyJ.second.rotated.token");
    assertEquals("Bearer eyJ.second.rotated.token", store.key(gateway).authorizationHeader());
  }

  @Test
  void aMissingApiKeyFileFallsBackToTheEnvAndIsDescribedByPath() {
    UpstreamSpec gateway = keyFileUpstream(secrets.resolve("absent/token"));
    assertNull(KeyStore.create(secrets, Map.of()).key(gateway));
    assertEquals(
        "Bearer sk-env",
        KeyStore.create(secrets, Map.of("HOLYSHEEP_API_KEY", "sk-env"))
            .key(gateway)
            .authorizationHeader());
    String where = KeyStore.describeExpectedLocation(gateway);
    assertEquals(
        "file \"" + secrets.resolve("absent/token") + "\" (or env HOLYSHEEP_API_KEY)", where);
  }
}
