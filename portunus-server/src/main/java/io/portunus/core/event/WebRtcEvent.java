package io.portunus.core.event;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * Type 16, the WebRTC state of a handle's PeerConnection (events.md §4.4): the media core
 * builds these records; subtypes as Janus numbers them.
 */
public sealed interface WebRtcEvent extends Event {

    @Override
    default EventType type() {
        return EventType.WEBRTC;
    }

    /** Subtype 1: an ICE component state change (libnice's names: gathering, connecting, ...). */
    record IceState(Origin origin, String state, int streamId, int componentId) implements WebRtcEvent {
        @Override
        public int subtype() {
            return EventType.WEBRTC_ICE;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("ice", state);
            writeStream(g, streamId, componentId);
            g.writeEndObject();
        }
    }

    /** Subtype 2: a local candidate, without the {@code candidate:} prefix. */
    record LocalCandidate(Origin origin, String candidate, int streamId, int componentId) implements WebRtcEvent {
        @Override
        public int subtype() {
            return EventType.WEBRTC_LCAND;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("local-candidate", candidate);
            writeStream(g, streamId, componentId);
            g.writeEndObject();
        }
    }

    /** Subtype 3: a remote candidate as received. */
    record RemoteCandidate(Origin origin, String candidate, int streamId, int componentId) implements WebRtcEvent {
        @Override
        public int subtype() {
            return EventType.WEBRTC_RCAND;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("remote-candidate", candidate);
            writeStream(g, streamId, componentId);
            g.writeEndObject();
        }
    }

    /** One end of a selected pair; {@code family} is 4 or 6. */
    record Candidate(String address, int port, String type, String transport, int family) {
        void write(JsonGenerator g, String name) throws IOException {
            g.writeObjectFieldStart(name);
            g.writeStringField("address", address);
            g.writeNumberField("port", port);
            g.writeStringField("type", type);
            g.writeStringField("transport", transport);
            g.writeNumberField("family", family);
            g.writeEndObject();
        }

        String brief() {
            return address + ":" + port + " [" + type + "," + transport + "]";
        }
    }

    /** Subtype 4: the selected pair changed. */
    record SelectedPair(Origin origin, Candidate local, Candidate remote, int streamId, int componentId)
            implements WebRtcEvent {
        @Override
        public int subtype() {
            return EventType.WEBRTC_PAIR;
        }

        /** {@code "l:lp [ltype,udp] <-> r:rp [rtype,udp]"}, Janus's text for the pair. */
        public String pairText() {
            return local.brief() + " <-> " + remote.brief();
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("selected-pair", pairText());
            g.writeObjectFieldStart("candidates");
            local.write(g, "local");
            remote.write(g, "remote");
            g.writeEndObject();
            writeStream(g, streamId, componentId);
            g.writeEndObject();
        }
    }

    /** Subtype 5: DTLS {@code created}, {@code trying}, {@code connected} or {@code failed}. */
    record DtlsState(Origin origin, String state, int streamId, int componentId, int retransmissions)
            implements WebRtcEvent {
        @Override
        public int subtype() {
            return EventType.WEBRTC_DTLS;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("dtls", state);
            writeStream(g, streamId, componentId);
            g.writeNumberField("retransmissions", retransmissions);
            g.writeEndObject();
        }
    }

    /** Subtype 6: {@code webrtcup}, or {@code hangup} with an optional reason. */
    record Connection(Origin origin, String connection, String reason) implements WebRtcEvent {
        public static Connection up(Origin origin) {
            return new Connection(origin, "webrtcup", null);
        }

        public static Connection hangup(Origin origin, String reason) {
            return new Connection(origin, "hangup", reason);
        }

        @Override
        public int subtype() {
            return EventType.WEBRTC_STATE;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("connection", connection);
            if (reason != null) {
                g.writeStringField("reason", reason);
            }
            g.writeEndObject();
        }
    }

    private static void writeStream(JsonGenerator g, int streamId, int componentId) throws IOException {
        g.writeNumberField("stream_id", streamId);
        g.writeNumberField("component_id", componentId);
    }
}
