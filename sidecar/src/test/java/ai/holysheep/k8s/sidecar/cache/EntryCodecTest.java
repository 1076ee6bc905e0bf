package ai.holysheep.k8s.sidecar.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
  private static final Instant STORED = Instant.parse("2026-01-01T10:00:00.123Z");

  @Test
  void roundTripsEveryField() {
    StoredEntry entry =
        new StoredEntry(203, "application/json; charset=utf-8", Buffer.buffer("{\"ü\":1}"), STORED);
    assertEquals(entry, EntryCodec.decode(EntryCodec.encode(entry)));
  }

  @Test
  void roundTripsAMissingContentTypeAndAnEmptyBody() {
    StoredEntry entry = new StoredEntry(200, null, Buffer.buffer(), STORED);
    assertEquals(entry, EntryCodec.decode(EntryCodec.encode(entry)));
  }

  @Test
  void rejectsValuesOfAnotherFormatOrTruncated() {
    Buffer encoded =
        EntryCodec.encode(new StoredEntry(200, "text/plain", Buffer.buffer("x"), STORED));
    assertNull(EntryCodec.decode(Buffer.buffer("plain string value")));
    assertNull(EntryCodec.decode(encoded.getBuffer(0, 15)));
    assertNull(EntryCodec.decode(encoded.copy().setByte(0, (byte) 9)));
    assertNull(EntryCodec.decode(null));
  }
}
