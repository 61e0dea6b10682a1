package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VideoRoom's data channels without media: which m-line of a publisher's answer is its data,
 * how a subscription lists and offers its one data m-line, and where a publisher's messages go
 * (attached, not paused subscribers; on a channel labelled with the publisher's id, as Janus 1.1.2).
 */
class VideoRoomDataTest {

    /** One message the plugin handed the core for a subscriber. */
    record Sent(PluginHandle to, String label, String text, boolean binary) {
    }

    private static final class Core implements PluginContext {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public ConfigGroup config() {
            return new ConfigGroup();
        }

        @Override
        public boolean pushEvent(PluginHandle handle, String transaction, ObjectNode data, ObjectNode jsep) {
            return true;
        }

        @Override
        public void relayData(PluginHandle handle, String label, byte[] data, boolean binary) {
            sent.add(new Sent(handle, label, new String(data, StandardCharsets.UTF_8), binary));
        }

        @Override
        public void closePc(PluginHandle handle) {
        }

        @Override
        public void endSession(PluginHandle handle) {
        }

        @Override
        public boolean eventsEnabled() {
            return false;
        }

        @Override
        public void notifyEvent(PluginHandle handle, ObjectNode event) {
        }
    }

    private static final class Handle implements PluginHandle {
        private final long id;

        Handle(long id) {
            this.id = id;
        }

        public long sessionId() {
            return 1;
        }

        public long handleId() {
            return id;
        }

        public String opaqueId() {
            return null;
        }

        public String token() {
            return null;
        }

        public Object pluginState() {
            return null;
        }

        public void pluginState(Object s) {
        }

        public boolean isAlive() {
            return true;
        }
    }

    private static final String ANSWER = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0 1\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 10.0.0.1\r\na=recvonly\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 10.0.0.1\r\na=recvonly\r\na=mid:1\r\n"
            + "a=sctp-port:5000\r\n";

    private static Participant publisher(Room room, long id) {
        return new Participant(VideoRoomId.of(id), 1, new Handle(id), room, "p" + id);
    }

    @Test
    void thePublishersDataIsTheAnswersAcceptedApplicationLine() throws Exception {
        Participant p = publisher(new Room(VideoRoomId.of(1234)), 77);
        PublishedData data = Publishing.data(p, Sdp.parse(ANSWER));
        assertThat(data).isNotNull();
        assertThat(data.mindex).isEqualTo(1);
        assertThat(data.mid).isEqualTo("1");
        assertThat(data.describe().toString()).isEqualTo("{\"type\":\"data\",\"mindex\":1,\"mid\":\"1\"}");
        assertThat(data.label()).isEqualTo("77");

        Sdp rejected = Sdp.parse(ANSWER.replace("m=application 9", "m=application 0"));
        assertThat(Publishing.data(p, rejected)).isNull();
        Sdp none = Sdp.parse(ANSWER.substring(0, ANSWER.indexOf("m=application")));
        assertThat(Publishing.data(p, none)).isNull();
    }

    @Test
    void messagesGoToAttachedSubscribersOnly() {
        Room room = new Room(VideoRoomId.of(1234));
        Participant pub = publisher(room, 77);
        pub.publishing = true;
        PublishedData data = new PublishedData(pub, 2, "2");
        pub.data = data;
        Core core = new Core();
        Handle h1 = new Handle(101);
        Handle h2 = new Handle(102);
        Subscription s1 = subscription(room, h1, data);
        Subscription s2 = subscription(room, h2, data);

        data.relay(core, bytes("before anyone is up"), false);
        assertThat(core.sent).as("no subscriber's PeerConnection is up yet").isEmpty();

        s1.attach();
        s2.attach();
        data.relay(core, bytes("hello"), false);
        data.relay(core, bytes("\u0001\u0002"), true);
        assertThat(core.sent).containsExactly(new Sent(h1, "77", "hello", false), new Sent(h2, "77", "hello", false),
                new Sent(h1, "77", "\u0001\u0002", true), new Sent(h2, "77", "\u0001\u0002", true));

        core.sent.clear();
        s1.paused(true);
        data.relay(core, bytes("while one pauses"), false);
        assertThat(core.sent).containsExactly(new Sent(h2, "77", "while one pauses", false));
        s1.paused(false);
        s2.detach();
        core.sent.clear();
        data.relay(core, bytes("after"), false);
        assertThat(core.sent).containsExactly(new Sent(h1, "77", "after", false));

        // Unpublished: its messages go nowhere, and its subscribers' data m-line says inactive.
        pub.unpublish();
        core.sent.clear();
        data.relay(core, bytes("gone"), false);
        assertThat(core.sent).isEmpty();
        assertThat(s1.data().describe().path("active").asBoolean()).isFalse();
    }

    @Test
    void theDataMLineIsListedInItsPlaceWithItsSourcesAsJanusDoes() {
        Room room = new Room(VideoRoomId.of(1234));
        Participant pub = publisher(room, 77);
        pub.publishing = true;
        PublishedData data = new PublishedData(pub, 2, "2");
        pub.data = data;
        Handle h = new Handle(101);
        Subscription sub = subscription(room, h, data);
        ArrayNode streams = Json.NODES.arrayNode();
        sub.describeStreams(streams);
        assertThat(streams.toString()).isEqualTo("[{\"type\":\"data\",\"active\":true,\"mindex\":0,\"mid\":\"0\","
                + "\"ready\":false,\"send\":true,\"sources\":1,\"source_ids\":[77]}]");
        assertThat(sub.mLines()).isEqualTo(1);

        // A second publisher's data joins the same m-line (a subscribe naming its feed).
        Participant other = publisher(room, 78);
        other.publishing = true;
        other.data = new PublishedData(other, 0, "0");
        sub.addDataSources(List.of(other.data, data));
        assertThat(sub.data().describe().path("sources").asInt()).isEqualTo(2);
        sub.attach();
        assertThat(sub.data().describe().path("ready").asBoolean()).isTrue();
        assertThat(other.data.subscribers()).hasSize(1);
    }

    private static Subscription subscription(Room room, Handle h, PublishedData source) {
        DataLeg leg = new DataLeg(h, "0", 0);
        leg.addSource(source);
        return new Subscription(room, 5, List.of(), leg);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
