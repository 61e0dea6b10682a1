package io.portunus.eventhandlers.gelf;

import io.portunus.core.event.EventType;
import io.portunus.core.event.SerializedEvent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Wraps an event in a GELF 1.1 message as Janus's gelfevh does (event-handlers.md §6):
 * {@code timestamp} in seconds with µs, {@code host} = emitter, {@code level} = the event
 * type, {@code short_message} = the type's verbose name, {@code full_message} = the whole
 * event object. The event's shared bytes are copied in, not serialised again.
 */
final class GelfMessage {

    private GelfMessage() {
    }

    static byte[] wrap(SerializedEvent event, String emitter) {
        EventType type = EventType.ofBit(event.type());
        long ts = event.timestampMicros();
        StringBuilder head = new StringBuilder(160);
        head.append("{\"timestamp\":").append(ts / 1_000_000).append('.')
                .append(String.format("%06d", ts % 1_000_000))
                .append(",\"host\":");
        quote(head, emitter);
        head.append(",\"version\":\"1.1\",\"level\":").append(event.type())
                .append(",\"short_message\":");
        quote(head, type == null ? "Unknown" : type.verboseName());
        head.append(",\"full_message\":");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(start.length + event.json().length + 1);
        out.writeBytes(start);
        out.writeBytes(event.json());
        out.write('}');
        return out.toByteArray();
    }

    /** A JSON string literal (the emitter is configuration, so it may hold quotes). */
    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
