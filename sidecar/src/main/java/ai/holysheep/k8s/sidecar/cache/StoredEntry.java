package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/** What the cache keeps per key; the upstream name is part of the key. */
record StoredEntry(int status, String contentType, Buffer body, Instant storedAt) {}
