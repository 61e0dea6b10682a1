package io.portunus.eventhandlers.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@code session_id} or {@code handle_id} from an event's serialised header without
 * parsing the event. The core writes the header first ({@code emitter}, {@code type}, ...,
 * {@code session_id}, {@code handle_id}, {@code opaque_id}, then {@code "event":}); strings in
 * it are JSON-escaped, so the byte pattern {@code "session_id":} cannot appear inside one, and
 * the scan stops at {@code "event":} so that ids inside the body are never taken.
 */
final class EventKeys {
    private static final byte[] SESSION = "\"session_id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HANDLE = "\"handle_id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "\"event\":".getBytes(StandardCharsets.US_ASCII);

    private EventKeys() {
    }

    /** The decimal session id as the key's bytes, or null for an event of no session (core, transports). */
    static byte[] sessionId(byte[] json) {
        return idAfter(json, SESSION);
    }

    static byte[] handleId(byte[] json) {
        return idAfter(json, HANDLE);
    }

    private static byte[] idAfter(byte[] json, byte[] field) {
        for (int i = 0; i < json.length; i++) {
            if (json[i] != '"') {
                continue;
            }
            if (startsAt(json, i, BODY)) {
                return null;
            }
            if (startsAt(json, i, field)) {
                int from = i + field.length;
                int to = from;
                while (to < json.length && json[to] >= '0' && json[to] <= '9') {
                    to++;
                }
                return to > from ? Arrays.copyOfRange(json, from, to) : null;
            }
            // Skip the rest of this string so that a value's content is never matched.
            i++;
            while (i < json.length && json[i] != '"') {
                if (json[i] == '\\') {
                    i++;
                }
                i++;
            }
        }
        return null;
    }

    private static boolean startsAt(byte[] json, int at, byte[] pattern) {
        if (at + pattern.length > json.length) {
            return false;
        }
        for (int k = 0; k < pattern.length; k++) {
            if (json[at + k] != pattern[k]) {
                return false;
            }
        }
        return true;
    }
}
