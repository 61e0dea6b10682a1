package io.portunus.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import io.portunus.core.event.Event;
import io.portunus.core.event.MediaEvent;
import io.portunus.core.event.MediaStats.Rates;
import io.portunus.core.event.MediaStats.Rtp;
import io.portunus.core.event.MediaStats;
import io.portunus.core.event.Origin;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.event.TransportIds;
import io.portunus.core.event.WebRtcEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.portunus.events.JanusExamples.first;
import static io.portunus.events.JanusExamples.kind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event kind, built as a record with the values of an event recorded from Janus 1.1.2,
 * must serialise to exactly that event: same keys, same order, same values.
 */
class EventSerializerTest {

    /** Serialises {@code event} with the example's emitter and timestamp and compares the text. */
    private static void assertWritesAsJanus(Event event, JsonNode janus) {
        SerializedEvent s = EventSerializer.serialize(event, janus.get("emitter").asText(),
                janus.get("timestamp").asLong(), -1);
        assertThat(s.text()).isEqualTo(janus.toString());
        assertThat(s.type()).isEqualTo(janus.get("type").asInt());
    }

    private static Origin origin(JsonNode janus) {
        return new Origin(janus.path("session_id").asLong(0), janus.path("handle_id").asLong(0),
                janus.path("opaque_id").asText(null));
    }

    @Test
    void sessionEvents() {
        JsonNode created = first(kind(1, "name", "created"));
        JsonNode t = created.at("/event/transport");
        assertWritesAsJanus(Event.SessionEvent.created(created.get("session_id").asLong(), t.get("transport").asText(),
                t.get("id").asText()), created);
        JsonNode destroyed = first(kind(1, "name", "destroyed"));
        assertWritesAsJanus(Event.SessionEvent.destroyed(destroyed.get("session_id").asLong()), destroyed);
        JsonNode timeout = first(kind(1, "name", "timeout"));
        assertWritesAsJanus(Event.SessionEvent.timeout(timeout.get("session_id").asLong()), timeout);
    }

    @Test
    void handleEventsRepeatTheOpaqueIdInTheBody() {
        JsonNode attached = first(kind(2, "name", "attached"));
        assertWritesAsJanus(new Event.HandleEvent(origin(attached), "attached", "janus.plugin.echotest", null), attached);
        JsonNode detached = first(kind(2, "name", "detached"));
        assertWritesAsJanus(new Event.HandleEvent(origin(detached), "detached", "janus.plugin.videoroom", null), detached);
    }

    @Test
    void handleEventWithTokenCarriesIt() {
        SerializedEvent s = EventSerializer.serialize(new Event.HandleEvent(Origin.handle(1, 2, null), "attached",
                "janus.plugin.echotest", "tok"), "x", 5, -1);
        assertThat(s.text()).endsWith("\"event\":{\"name\":\"attached\",\"plugin\":\"janus.plugin.echotest\",\"token\":\"tok\"}}");
    }

    @Test
    void externalJsepPluginTransportAndCoreEvents() {
        JsonNode external = first(kind(4, 0));
        assertWritesAsJanus(new Event.ExternalEvent("anchor.custom", external.at("/event/data")), external);
        for (String owner : List.of("local", "remote")) {
            JsonNode jsep = first(kind(8, "owner", owner));
            assertWritesAsJanus(new Event.JsepEvent(origin(jsep), owner, jsep.at("/event/jsep/type").asText(),
                    jsep.at("/event/jsep/sdp").asText()), jsep);
        }
        JsonNode plugin = first(kind(64, 0));
        assertWritesAsJanus(new Event.PluginEvent(origin(plugin), "janus.plugin.echotest", plugin.at("/event/data")), plugin);
        JsonNode noHandle = first(e -> e.path("type").asInt() == 64 && !e.has("session_id"));
        assertWritesAsJanus(new Event.PluginEvent(Origin.NONE, "janus.plugin.videoroom", noHandle.at("/event/data")), noHandle);
        for (String transport : List.of("janus.transport.http", "janus.transport.websockets")) {
            JsonNode te = first(kind(128, "transport", transport));
            assertWritesAsJanus(new Event.TransportEvent(transport, te.at("/event/id").asText(), te.at("/event/data")), te);
        }
        JsonNode started = first(kind(256, 1));
        assertWritesAsJanus(new Event.CoreStarted(started.at("/event/info")), started);
    }

    @Test
    void coreShutdownAndUpdate() {
        assertThat(EventSerializer.serialize(new Event.CoreShutdown(15), "J", 7, -1).text())
                .isEqualTo("{\"emitter\":\"J\",\"type\":256,\"subtype\":2,\"timestamp\":7,\"event\":{\"status\":\"shutdown\",\"signum\":15}}");
        assertThat(EventSerializer.serialize(new Event.CoreUpdate(3, 4, 0, 1), "J", 7, -1).text())
                .isEqualTo("{\"emitter\":\"J\",\"type\":256,\"subtype\":1,\"timestamp\":7,\"event\":{\"status\":\"update\","
                        + "\"info\":{\"sessions\":3,\"handles\":4,\"peerconnections\":0,\"stats-period\":1}}}");
    }

    @Test
    void webrtcEvents() {
        JsonNode ice = first(kind(16, 1));
        assertWritesAsJanus(new WebRtcEvent.IceState(origin(ice), "gathering", 1, 1), ice);
        JsonNode lcand = first(kind(16, 2));
        assertWritesAsJanus(new WebRtcEvent.LocalCandidate(origin(lcand), lcand.at("/event/local-candidate").asText(), 1, 0), lcand);
        JsonNode rcand = first(kind(16, 3));
        assertWritesAsJanus(new WebRtcEvent.RemoteCandidate(origin(rcand), rcand.at("/event/remote-candidate").asText(), 1, 1), rcand);
        JsonNode pair = first(kind(16, 4));
        assertWritesAsJanus(new WebRtcEvent.SelectedPair(origin(pair),
                new WebRtcEvent.Candidate("10.77.0.1", 20131, "host", "udp", 4),
                new WebRtcEvent.Candidate("10.77.0.1", 38790, "host", "udp", 4), 1, 1), pair);
        JsonNode dtls = first(kind(16, 5));
        assertWritesAsJanus(new WebRtcEvent.DtlsState(origin(dtls), "trying", 1, 1, 0), dtls);
        JsonNode up = first(kind(16, 6));
        assertWritesAsJanus(WebRtcEvent.Connection.up(origin(up)), up);
        assertThat(EventSerializer.serialize(WebRtcEvent.Connection.hangup(Origin.handle(1, 2, null), "DTLS alert"), "J", 7, -1)
                .text()).endsWith("\"subtype\":6,\"timestamp\":7,\"session_id\":1,\"handle_id\":2,"
                + "\"event\":{\"connection\":\"hangup\",\"reason\":\"DTLS alert\"}}");
    }

    @Test
    void mediaEvents() {
        JsonNode state = first(kind(32, 1));
        assertWritesAsJanus(new MediaEvent.State(origin(state), "audio", "0", null, true, null), state);
        JsonNode stats = first(kind(32, 3));
        MediaStats audio = new MediaStats("0", 0, "audio", new Rtp("opus", 48000, 0, null, 0, 0, 0L, 0L, 100, 100, 0, 0),
                53, 53, 3742, 3530, new Rates(3483, 3283, 0, 0, 0), null);
        assertWritesAsJanus(new MediaEvent.Stats(origin(stats), audio), stats);
        String slow = EventSerializer.serialize(new MediaEvent.SlowLink(Origin.handle(1, 2, "o"), "1", "video", "uplink", 12),
                "J", 7, -1).text();
        assertThat(slow).isEqualTo("{\"emitter\":\"J\",\"type\":32,\"subtype\":2,\"timestamp\":7,\"session_id\":1,\"handle_id\":2,"
                + "\"opaque_id\":\"o\",\"event\":{\"mid\":\"1\",\"media\":\"video\",\"slow_link\":\"uplink\",\"lost_lastsec\":12}}");
    }

    @Test
    void combinedStatsAreAnArrayAndDataChannelsOnlyCount() throws Exception {
        MediaStats data = new MediaStats("2", 2, "data", null, 1, 2, 3, 4, null, null);
        MediaStats video = new MediaStats("1", 1, "video-sim1", new Rtp("vp8", 90000, null, null, 0, 0, 1L, 7L, 100, 100, 0, 0),
                48, 45, 47044, 43910, new Rates(0, 0, 0, 0, 0), 256000L);
        JsonNode e = Json.MAPPER.readTree(EventSerializer.serialize(new MediaEvent.CombinedStats(Origin.handle(1, 2, null),
                List.of(video, data)), "J", 7, -1).json());
        assertThat(e.get("event").isArray()).isTrue();
        assertThat(e.at("/event/0").has("rtt")).as("no rtt on a substream").isFalse();
        assertThat(e.at("/event/0/remb-bitrate").asLong()).isEqualTo(256000);
        assertThat(e.at("/event/1").toString()).isEqualTo("{\"mid\":\"2\",\"mindex\":2,\"media\":\"data\",\"packets-received\":1,"
                + "\"packets-sent\":2,\"bytes-received\":3,\"bytes-sent\":4}");
    }

    @Test
    void sequenceNumberIsOptInAndComesBeforeTheBody() {
        String s = EventSerializer.serialize(Event.SessionEvent.destroyed(9), "J", 7, 42).text();
        assertThat(s).isEqualTo("{\"emitter\":\"J\",\"type\":1,\"timestamp\":7,\"session_id\":9,\"seq\":42,"
                + "\"event\":{\"name\":\"destroyed\"}}");
    }

    @Test
    void transportIdsAreStablePerInstanceAndUnsignedDecimal() {
        Object a = new Object();
        assertThat(TransportIds.of(a)).isEqualTo(TransportIds.of(a)).matches("[0-9]+");
        assertThat(TransportIds.of(a)).isNotEqualTo(TransportIds.of(new Object()));
    }
}
