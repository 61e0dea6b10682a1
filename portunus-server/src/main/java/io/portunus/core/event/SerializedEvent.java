package io.portunus.core.event;

import java.nio.charset.StandardCharsets;

/**
 * An event written once, as compact JSON bytes that every handler shares (never modify
 * {@code json}), with the header fields handlers need without parsing it again.
 *
 * @param seq the per-emitter sequence number, or -1 when sequence numbers are off
 */
public record SerializedEvent(byte[] json, int type, long timestampMicros, long seq) {

    public String text() {
        return new String(json, StandardCharsets.UTF_8);
    }
}
