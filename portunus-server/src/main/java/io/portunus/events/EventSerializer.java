package io.portunus.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.portunus.core.Json;
import io.portunus.core.event.Event;
import io.portunus.core.event.Origin;
import io.portunus.core.event.SerializedEvent;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an event with Janus's header, keys in Janus's order (events.md §3): emitter, type,
 * subtype (if > 0), timestamp (µs), session_id, handle_id, opaque_id (each if set), then
 * {@code event}. A pure function: the caller brings the time and the sequence number.
 */
public final class EventSerializer {

    private EventSerializer() {
    }

    /** {@code seq} < 0 leaves the (Portunus-only) {@code seq} key out, so the shape is Janus's. */
    public static SerializedEvent serialize(Event event, String emitter, long timestampMicros, long seq) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512);
             JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("emitter", emitter);
            g.writeNumberField("type", event.type().bit());
            if (event.subtype() > 0) {
                g.writeNumberField("subtype", event.subtype());
            }
            g.writeNumberField("timestamp", timestampMicros);
            Origin origin = event.origin();
            if (origin.sessionId() > 0) {
                g.writeNumberField("session_id", origin.sessionId());
            }
            if (origin.handleId() > 0) {
                g.writeNumberField("handle_id", origin.handleId());
            }
            if (origin.opaqueId() != null) {
                g.writeStringField("opaque_id", origin.opaqueId());
            }
            if (seq >= 0) {
                g.writeNumberField("seq", seq);
            }
            g.writeFieldName("event");
            event.writeBody(g);
            g.writeEndObject();
            g.flush();
            return new SerializedEvent(out.toByteArray(), event.type().bit(), timestampMicros, seq);
        } catch (IOException e) {
            // Writing to memory cannot fail for I/O reasons; a bug in a body writer would land here.
            throw new UncheckedIOException(e);
        }
    }
}
