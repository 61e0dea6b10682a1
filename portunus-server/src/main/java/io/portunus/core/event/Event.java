package io.portunus.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * One event for the event handlers, as a typed record; {@link EventSerializer} adds the header
 * (emitter, timestamp, ...) and writes it once. Bodies follow events.md §4 key by key. WebRTC
 * and media events are in {@link WebRtcEvent} and {@link MediaEvent}.
 */
public sealed interface Event permits Event.SessionEvent, Event.HandleEvent, Event.ExternalEvent, Event.JsepEvent,
        Event.PluginEvent, Event.TransportEvent, Event.CoreEvent, WebRtcEvent, MediaEvent {

    EventType type();

    /** 0 when the type has no subtypes. */
    default int subtype() {
        return 0;
    }

    Origin origin();

    /** Writes the value of the {@code event} key. */
    void writeBody(JsonGenerator g) throws IOException;

    /** Type 1: {@code created} (with the transport), {@code destroyed}, {@code timeout}. */
    record SessionEvent(long sessionId, String name, String transport, String transportId) implements Event {
        public static SessionEvent created(long sessionId, String transport, String transportId) {
            return new SessionEvent(sessionId, "created", transport, transportId);
        }

        public static SessionEvent destroyed(long sessionId) {
            return new SessionEvent(sessionId, "destroyed", null, null);
        }

        public static SessionEvent timeout(long sessionId) {
            return new SessionEvent(sessionId, "timeout", null, null);
        }

        @Override
        public EventType type() {
            return EventType.SESSION;
        }

        @Override
        public Origin origin() {
            return Origin.session(sessionId);
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", name);
            if (transport != null) {
                g.writeObjectFieldStart("transport");
                g.writeStringField("transport", transport);
                g.writeStringField("id", transportId);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }

    /** Type 2: {@code attached} / {@code detached}; {@code opaque_id} repeated in the body, as Janus does. */
    record HandleEvent(Origin origin, String name, String plugin, String token) implements Event {
        @Override
        public EventType type() {
            return EventType.HANDLE;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeStringField("plugin", plugin);
            if (origin.opaqueId() != null) {
                g.writeStringField("opaque_id", origin.opaqueId());
            }
            if (token != null) {
                g.writeStringField("token", token);
            }
            g.writeEndObject();
        }
    }

    /** Type 4, from the Admin API's {@code custom_event}. */
    record ExternalEvent(String schema, JsonNode data) implements Event {
        @Override
        public EventType type() {
            return EventType.EXTERNAL;
        }

        @Override
        public Origin origin() {
            return Origin.NONE;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("schema", schema);
            g.writeFieldName("data");
            g.writeTree(data);
            g.writeEndObject();
        }
    }

    /** Type 8: an SDP received ({@code remote}, as the client sent it) or sent ({@code local}). */
    record JsepEvent(Origin origin, String owner, String sdpType, String sdp) implements Event {
        public static JsepEvent local(Origin origin, String sdpType, String sdp) {
            return new JsepEvent(origin, "local", sdpType, sdp);
        }

        public static JsepEvent remote(Origin origin, String sdpType, String sdp) {
            return new JsepEvent(origin, "remote", sdpType, sdp);
        }

        @Override
        public EventType type() {
            return EventType.JSEP;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("owner", owner);
            g.writeObjectFieldStart("jsep");
            g.writeStringField("type", sdpType);
            g.writeStringField("sdp", sdp);
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** Type 64: whatever a plugin reports; the origin is empty when the plugin named no handle. */
    record PluginEvent(Origin origin, String plugin, JsonNode data) implements Event {
        @Override
        public EventType type() {
            return EventType.PLUGIN;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("plugin", plugin);
            g.writeFieldName("data");
            g.writeTree(data);
            g.writeEndObject();
        }
    }

    /** Type 128: {@code id} is the transport instance's number, the same as in session {@code created}. */
    record TransportEvent(String transport, String instanceId, JsonNode data) implements Event {
        @Override
        public EventType type() {
            return EventType.TRANSPORT;
        }

        @Override
        public Origin origin() {
            return Origin.NONE;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("transport", transport);
            g.writeStringField("id", instanceId);
            g.writeFieldName("data");
            g.writeTree(data);
            g.writeEndObject();
        }
    }

    /** Type 256: start-up (with the server_info object), periodic update, shutdown. */
    sealed interface CoreEvent extends Event permits CoreStarted, CoreUpdate, CoreShutdown {
        @Override
        default EventType type() {
            return EventType.CORE;
        }

        @Override
        default Origin origin() {
            return Origin.NONE;
        }
    }

    record CoreStarted(JsonNode info) implements CoreEvent {
        @Override
        public int subtype() {
            return EventType.CORE_STARTUP;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("status", "started");
            g.writeFieldName("info");
            g.writeTree(info);
            g.writeEndObject();
        }
    }

    /** The 15 s status update of Janus 1.2+ (not in 1.1.2). */
    record CoreUpdate(int sessions, int handles, int peerConnections, int statsPeriod) implements CoreEvent {
        @Override
        public int subtype() {
            return EventType.CORE_STARTUP;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("status", "update");
            g.writeObjectFieldStart("info");
            g.writeNumberField("sessions", sessions);
            g.writeNumberField("handles", handles);
            g.writeNumberField("peerconnections", peerConnections);
            g.writeNumberField("stats-period", statsPeriod);
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** {@code signum} is the signal that stopped the server, 0 when none did. */
    record CoreShutdown(int signum) implements CoreEvent {
        @Override
        public int subtype() {
            return EventType.CORE_SHUTDOWN;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("status", "shutdown");
            g.writeNumberField("signum", signum);
            g.writeEndObject();
        }
    }
}
