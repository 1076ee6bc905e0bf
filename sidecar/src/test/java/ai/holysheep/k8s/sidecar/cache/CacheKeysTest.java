package ai.holysheep.k8s.sidecar.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class CacheKeysTest {
  private static final CacheableRequest CHAT =
      new CacheableRequest("/v1/chat/completions", HttpMethod.POST, "ab12");

  @Test
  void keyHoldsNamespaceUpstreamRouteAndHash() {
    assertEquals(
        "holysheep:v1:team-a:primary:/v1/chat/completions:ab12",
        new CacheKeys("team-a").key(CHAT, "primary"));
  }

  @Test
  void namespacesAndUpstreamsNeverShareAKey() {
    assertNotEquals(
        new CacheKeys("team-a").key(CHAT, "primary"), new CacheKeys("team-b").key(CHAT, "primary"));
    assertNotEquals(
        new CacheKeys("team-a").key(CHAT, "primary"),
        new CacheKeys("team-a").key(CHAT, "fallback"));
  }

  @Test
  void anUnsetNamespaceIsTheDefaultNamespace() {
    assertEquals(new CacheKeys("default").key(CHAT, "p"), new CacheKeys(null).key(CHAT, "p"));
    assertEquals(new CacheKeys("default").key(CHAT, "p"), new CacheKeys(" ").key(CHAT, "p"));
  }

  @Test
  void aRequestScopedToATenantUsesItsNamespaceInsteadOfThePods() {
    CacheKeys gateway = new CacheKeys("holysheep-system");
    assertEquals(
        "holysheep:v1:team-a:primary:/v1/chat/completions:ab12",
        gateway.key(CHAT.scopedTo("team-a"), "primary"));
    assertEquals(
        new CacheKeys("team-a").key(CHAT, "primary"),
        gateway.key(CHAT.scopedTo("team-a"), "primary"),
        "a namespace's sidecars and its calls through the gateway share entries in one Redis");
    assertNotEquals(
        gateway.key(CHAT.scopedTo("team-a"), "primary"),
        gateway.key(CHAT.scopedTo("team-b"), "primary"));
  }
}
