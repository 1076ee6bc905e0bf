package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonBytes;
import ai.holysheep.k8s.sidecar.json.JsonScanner;
import ai.holysheep.k8s.sidecar.metrics.Usage;
import ai.holysheep.k8s.sidecar.route.UsageSource;
import ai.holysheep.k8s.sidecar.stream.SseEvent;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a stream's usage from its events. The last usage seen counts (a provider repeating the
 * cumulative usage on every chunk is counted once). When the sidecar asked for usage the app did
 * not ask for, the usage-only chunk is dropped and each chunk's {@code "usage":null} removed, so
 * the app receives the bytes it would have received.
 */
final class StreamUsage {
  private static final byte[] USAGE = JsonBytes.quoted("usage");

  private final UsageSource source;
  private final boolean strip;
  private Usage last;

  /**
   * @param strip the sidecar added {@code include_usage} to the request
   */
  StreamUsage(UsageSource source, boolean strip) {
    this.source = source;
    this.strip = strip;
  }

  /** Notes the event's usage; returns the bytes to forward, or null to drop the event. */
  Buffer onEvent(SseEvent event) {
    if (source == UsageSource.NONE
        || !event.hasData()
        || JsonBytes.indexOf(event.raw(), USAGE, event.dataStart(), event.dataEnd()) < 0) {
      return event.raw();
    }
    JsonScanner scanner = AnswerScan.streamEvent(source);
    scanner.feed(event.raw(), event.dataStart(), event.dataEnd());
    Usage usage = AnswerScan.usage(scanner);
    if (usage != null) {
      last = usage;
    }
    if (!strip || source.streamParent() != null || !scanner.found(AnswerScan.USAGE)) {
      return event.raw();
    }
    if (usage != null) {
      return AnswerScan.emptyChoices(scanner) ? null : event.raw();
    }
    return scanner.isNull(AnswerScan.USAGE) ? withoutUsage(event, scanner) : event.raw();
  }

  /** The event without its {@code "usage": null} member (and the comma that joined it). */
  private static Buffer withoutUsage(SseEvent event, JsonScanner scanner) {
    int base = event.dataStart();
    int separator = (int) scanner.separatorBefore(AnswerScan.USAGE);
    Buffer raw = event.raw();
    int from;
    int to;
    if (separator >= 0 && raw.getByte(base + separator) == ',') {
      from = base + separator;
      to = base + (int) scanner.valueEnd(AnswerScan.USAGE);
    } else if (scanner.commaAfter(AnswerScan.USAGE) >= 0) {
      from = base + (int) scanner.keyStart(AnswerScan.USAGE);
      to = base + (int) scanner.commaAfter(AnswerScan.USAGE) + 1;
      while (to < event.dataEnd() && (raw.getByte(to) == ' ' || raw.getByte(to) == '\t')) {
        to++;
      }
    } else {
      from = base + (int) scanner.keyStart(AnswerScan.USAGE);
      to = base + (int) scanner.valueEnd(AnswerScan.USAGE);
    }
    Buffer out = Buffer.buffer(raw.length() - (to - from));
    out.appendBuffer(raw, 0, from);
    out.appendBuffer(raw, to, raw.length() - to);
    return out;
  }

  Usage last() {
    return last;
  }
}
