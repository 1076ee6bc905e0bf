package ai.holysheep.k8s.sidecar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HeaderRewriterTest {

  private static MultiMap incoming() {
    return HttpHeaders.headers()
        .add("Authorization", "Bearer sk-app-placeholder")
        .add("OpenAI-Organization", "org-1")
        .add("OpenAI-Project", "proj-1")
        .add("Content-Type", "application/json")
        .add("Connection", "keep-alive")
        .add("Accept-Encoding", "gzip")
        .add("X-Stainless-Lang", "js");
  }

  @Test
  void dropsAuthorizationOrganizationProjectAndHopByHop() {
    MultiMap out = HeaderRewriter.upstreamHeaders(incoming(), "rid", false);
    assertNull(out.get("authorization"));
    assertNull(out.get("openai-organization"));
    assertNull(out.get("openai-project"));
    assertNull(out.get("connection"));
    assertEquals("application/json", out.get("content-type"));
    assertEquals("js", out.get("x-stainless-lang"));
  }

  @Test
  void keepsTheAppsRequestId() {
    MultiMap in = incoming().add("X-Request-Id", "app-123");
    MultiMap out = HeaderRewriter.upstreamHeaders(in, "generated", false);
    assertEquals(1, out.getAll("x-request-id").size());
    assertEquals("app-123", out.get("x-request-id"));
  }

  @Test
  void addsARequestIdWhenMissing() {
    MultiMap out = HeaderRewriter.upstreamHeaders(incoming(), "generated", false);
    assertEquals("generated", out.get("x-request-id"));
  }

  @Test
  void streamsAskForIdentityEncoding() {
    assertEquals(
        "identity", HeaderRewriter.upstreamHeaders(incoming(), "r", true).get("accept-encoding"));
    assertNull(HeaderRewriter.upstreamHeaders(incoming(), "r", false).get("accept-encoding"));
  }

  @Test
  void generatedRequestIdsAreRandomHex() {
    String first = HeaderRewriter.newRequestId();
    assertTrue(first.matches("[0-9a-f]{32}"), first);
    assertFalse(first.equals(HeaderRewriter.newRequestId()));
  }

  @Test
  void responseCopyDropsHopByHopHeaders() {
    MultiMap upstream =
        HttpHeaders.headers()
            .add("Content-Type", "application/json")
            .add("Transfer-Encoding", "chunked")
            .add("Content-Length", "12")
            .add("x-request-id", "up-1");
    MultiMap out = HttpHeaders.headers();
    HeaderRewriter.copyResponseHeaders(upstream, out);
    assertEquals("application/json", out.get("content-type"));
    assertEquals("up-1", out.get("x-request-id"));
    assertNull(out.get("transfer-encoding"));
    assertNull(out.get("content-length"));
  }
}
