package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import io.portunus.media.rtp.TalkingDetector;
import io.portunus.media.sdp.Codec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.portunus.plugins.videoroom.RoomRequestsTest.assertError;
import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publisher's own {@code audio_active_packets} and {@code audio_level_average} (issue #13):
 * over the real HTTP Janus API, {@code joined} repeats the ones set and the refusals carry Janus
 * 1.1.2's texts (replies recorded from it: a non-integer ignored at join, 430 for configure's
 * {@code audio_active_packets}); and the talking detection of its audio uses them over the
 * room's, from its join, and from a {@code configure} at once.
 */
class OwnAudioLevelsTest {
    static VideoRoomServer server;
    static VideoRoomClient client;
    static long room;

    @BeforeAll
    static void start() throws Exception {
        server = new VideoRoomServer(VideoRoomServer.CONFIG);
        client = server.client();
        room = 7901;
        assertThat(client.admin(request("create").put("room", room).put("admin_key", VideoRoomServer.ADMIN_KEY)
                .put("audiolevel_event", true).put("audio_active_packets", 80).put("audio_level_average", 30))
                .path("videoroom").asText()).isEqualTo("created");
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    private static JsonNode join(String extra) throws Exception {
        var body = request("join").put("ptype", "publisher").put("room", room);
        body.setAll((com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(extra));
        return client.async(client.attach(), body);
    }

    /** The keys of joined after the room's: what Janus 1.1.2 answered to the same joins. */
    private static String ownKeys(JsonNode joined) {
        var own = Json.object();
        for (String k : List.of("audio_active_packets", "audio_level_average")) {
            if (joined.has(k)) {
                own.set(k, joined.get(k));
            }
        }
        return own.toString();
    }

    @Test
    void joinedRepeatsTheValuesSetAndIgnoresNonIntegersAsJanus() throws Exception {
        assertThat(ownKeys(join("{}"))).isEqualTo("{}");
        assertThat(ownKeys(join("{\"audio_active_packets\":10}"))).isEqualTo("{\"audio_active_packets\":10}");
        assertThat(ownKeys(join("{\"audio_level_average\":50}"))).isEqualTo("{\"audio_level_average\":50}");
        assertThat(ownKeys(join("{\"audio_active_packets\":10,\"audio_level_average\":200}")))
                .isEqualTo("{\"audio_active_packets\":10,\"audio_level_average\":200}");
        JsonNode joined = join("{\"audio_active_packets\":10,\"audio_level_average\":50}");
        assertThat(joined.path("videoroom").asText()).isEqualTo("joined");
        assertThat(PublisherJoinTest.keys(joined)).containsExactly("videoroom", "room", "description", "id", "private_id",
                "publishers", "audio_active_packets", "audio_level_average");
        // As Janus 1.1.2: 0 (the room's), a string, a boolean or a fraction are not taken, and not repeated.
        for (String ignored : List.of("{\"audio_active_packets\":0}", "{\"audio_active_packets\":\"x\"}",
                "{\"audio_active_packets\":true}", "{\"audio_level_average\":1.5}")) {
            JsonNode r = join(ignored);
            assertThat(r.path("videoroom").asText()).as(ignored).isEqualTo("joined");
            assertThat(ownKeys(r)).as(ignored).isEqualTo("{}");
        }
    }

    @Test
    void negativeValuesAndConfiguresNonIntegerPacketsAreRefused() throws Exception {
        // Janus 1.1.2 takes a negative value at join; Portunus refuses it as configure does.
        assertError(join("{\"audio_active_packets\":-1}"), 430,
                "Invalid element type (audio_active_packets should be a positive integer)");
        assertError(join("{\"audio_level_average\":-3}"), 430,
                "Invalid element type (audio_level_average should be a positive integer)");
        long handle = client.attach();
        assertThat(client.async(handle, request("join").put("ptype", "publisher").put("room", room))
                .path("videoroom").asText()).isEqualTo("joined");
        // Janus 1.1.2's answers to the same configures.
        assertError(client.async(handle, request("configure").put("audio_active_packets", -7)), 430,
                "Invalid element type (audio_active_packets should be a positive integer)");
        assertError(client.async(handle, request("configure").put("audio_active_packets", 1.5)), 430,
                "Invalid element type (audio_active_packets should be a positive integer)");
        assertError(client.async(handle, request("configure").put("audio_active_packets", "x")), 430,
                "Invalid element type (audio_active_packets should be a positive integer)");
        for (var ok : List.of(request("configure").put("audio_active_packets", 7).put("audio_level_average", 11),
                request("configure").put("audio_active_packets", 0), request("configure").put("audio_level_average", "q"),
                request("configure").put("audio_level_average", 200))) {
            assertThat(client.async(handle, ok).toString()).as(ok.toString())
                    .isEqualTo("{\"videoroom\":\"event\",\"room\":" + room + ",\"configured\":\"ok\"}");
        }
        // The server still serves: the participants are listed.
        assertThat(client.sync(handle, request("listparticipants").put("room", room)).path("participants")).isNotEmpty();
    }

    /** The detection of a published audio stream: the publisher's own values over the room's, changed by configure at once. */
    @Test
    void theTalkingDetectionUsesThePublishersOwnValues() throws Exception {
        Room r = new Room(VideoRoomId.of(1));
        r.audioActivePackets = 100;
        r.audioLevelAverage = 25;
        Participant me = new Participant(VideoRoomId.of(2), 3, null, r, null);
        OwnAudioLevels.atJoin(Json.object().put("audio_active_packets", 10)).applyTo(me);
        assertThat(me.audioActivePackets()).isEqualTo(10);
        assertThat(me.audioLevelAverage()).as("the room's").isEqualTo(25);
        TalkingDetector detector = new TalkingDetector(1, me.audioActivePackets(), me.audioLevelAverage());
        me.streams = List.of(new PublishedStream(me, 0, "0", false, new Codec("opus", 48000, 2), 111, null, -1,
                List.of(), List.of(), 10, false, detector));
        assertThat(feed(detector, 20, 10)).as("10 loud packets: a window of its own").isEqualTo(TalkingDetector.STARTED);
        // configure: a threshold of 15 makes level 20 quiet, decided after 4 packets.
        OwnAudioLevels.atConfigure(Json.object().put("audio_active_packets", 4).put("audio_level_average", 15)).applyTo(me);
        assertThat(feed(detector, 20, 4)).isEqualTo(TalkingDetector.STOPPED);
        // 0: back to the room's 100 packets and 25.
        OwnAudioLevels.atConfigure(Json.object().put("audio_active_packets", 0).put("audio_level_average", 0)).applyTo(me);
        assertThat(feed(detector, 20, 99)).isEqualTo(TalkingDetector.NO_CHANGE);
        assertThat(feed(detector, 20, 1)).isEqualTo(TalkingDetector.STARTED);
        // Above 127 every average is below it, silence included (as Janus 1.1.2 decides).
        OwnAudioLevels.atConfigure(Json.object().put("audio_active_packets", 5).put("audio_level_average", 200)).applyTo(me);
        assertThat(feed(detector, 127, 10)).isEqualTo(TalkingDetector.NO_CHANGE);
        assertThat(detector.talking()).isTrue();
    }

    private static int feed(TalkingDetector d, int level, int packets) {
        int last = TalkingDetector.NO_CHANGE;
        for (int i = 0; i < packets; i++) {
            byte[] p = new byte[40];
            p[0] = (byte) 0x90;
            p[1] = 111;
            p[12] = (byte) 0xBE;
            p[13] = (byte) 0xDE;
            p[15] = 1;
            p[16] = (byte) (1 << 4);
            p[17] = (byte) (0x80 | level);
            int change = d.packet(p, 0, 40);
            if (change != TalkingDetector.NO_CHANGE) {
                last = change;
            }
        }
        return last;
    }
}
