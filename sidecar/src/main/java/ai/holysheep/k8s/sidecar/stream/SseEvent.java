package ai.holysheep.k8s.sidecar.stream;

import io.vertx.core.buffer.Buffer;

/**
 * One complete server-sent event as raw bytes (including its terminating blank line), plus what the
 * commit gate needs to know about it.
 *
 * @param raw the bytes to forward unchanged
 * @param hasData at least one {@code data:} line (comments and keep-alives have none)
 * @param errorObject the data is an OpenAI error object {@code {"error": …}}
 * @param dataStart offset of the first data payload in {@code raw}, -1 without data
 * @param dataEnd end of that payload line
 */
public record SseEvent(
    Buffer raw, boolean hasData, boolean errorObject, int dataStart, int dataEnd) {}
