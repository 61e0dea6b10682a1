package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.portunus.plugins.videoroom.RoomRequestsTest.assertError;
import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the VideoRoom over the real HTTP Janus API and the Admin API (issue #13, must-show
 * 6): each refusal with the code and text Janus 1.1.2 answers it with (compared request by
 * request in {@code VIDEOROOM_COMPARE=videoroom-errors-compare.py e2e/scripts/videoroom-compare.sh}),
 * and after each one the server still serves: the room is listed and its participant is still in
 * it. What needs a publisher whose PeerConnection is up (publishers full, an unknown mid of a real
 * feed, a subscriber joining twice) is in e2e/media/videoroom-janode.test.mjs, with Chromium.
 */
class VideoRoomBadInputTest {
    static final long ROOM = 7801;
    static final long ALICE = 11;
    static VideoRoomServer server;
    static VideoRoomClient client;
    /** A publisher in {@link #ROOM} (joined, not publishing): the handle of "join twice" and more. */
    static long alice;
    static long observer;

    @BeforeAll
    static void start() throws Exception {
        server = new VideoRoomServer(VideoRoomServer.CONFIG);
        client = server.client();
        assertThat(client.admin(request("create").put("room", ROOM).put("admin_key", VideoRoomServer.ADMIN_KEY)
                .put("secret", "s").put("pin", "p").put("publishers", 1)).path("videoroom").asText()).isEqualTo("created");
        alice = client.attach();
        assertThat(client.async(alice, join("publisher").put("id", ALICE).put("display", "alice")).path("videoroom")
                .asText()).isEqualTo("joined");
        observer = client.attach();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    /** Where a request goes: a synchronous one over the Janus API or the Admin API, an asynchronous one on a handle. */
    enum On { JANUS, ADMIN, NEW_HANDLE, ALICE }

    /** One refusal: a plugin error ({@code videoroom: "event"}) or, for {@code core}, the core's {@code janus: "error"}. */
    record Case(String name, On on, ObjectNode body, ObjectNode jsep, boolean core, int code, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case plugin(String name, On on, ObjectNode body, int code, String text) {
        return new Case(name, on, body, null, false, code, text);
    }

    static Case jsep(String name, On on, ObjectNode body, String type, String sdp, int code, String text) {
        ObjectNode jsep = Json.object().put("type", type).put("sdp", sdp);
        return new Case(name, on, body, jsep, true, code, text);
    }

    static ObjectNode join(String ptype) {
        return request("join").put("ptype", ptype).put("room", ROOM).put("pin", "p");
    }

    static ObjectNode subscribe(ObjectNode... streams) {
        ObjectNode body = join("subscriber");
        List.of(streams).forEach(body.putArray("streams")::add);
        return body;
    }

    static ObjectNode stream(long feed) {
        return Json.object().put("feed", feed);
    }

    static final String SDP_HEAD = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    static final String SDP = SDP_HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
    static final String UNCONFIGURED = "Invalid request on unconfigured participant";

    static List<Case> cases() {
        String onAlice = "Already in as a publisher on this handle";
        return List.of(
                // Unknown room
                plugin("join, unknown room", On.NEW_HANDLE, join("publisher").put("room", 999), 426, "No such room (999)"),
                plugin("subscribe, unknown room", On.NEW_HANDLE, subscribe(stream(ALICE)).put("room", 999), 426,
                        "No such room (999)"),
                plugin("destroy, unknown room", On.JANUS, request("destroy").put("room", 999), 426, "No such room (999)"),
                plugin("listparticipants, unknown room", On.ADMIN, request("listparticipants").put("room", 999), 426,
                        "No such room (999)"),
                // Wrong or missing secret, pin, admin_key
                plugin("destroy, wrong secret", On.JANUS, request("destroy").put("room", ROOM).put("secret", "bad"), 433,
                        "Unauthorized (wrong secret)"),
                plugin("destroy, no secret", On.JANUS, request("destroy").put("room", ROOM), 429,
                        "Missing mandatory element (secret)"),
                plugin("edit, wrong secret", On.ADMIN, request("edit").put("room", ROOM).put("secret", "bad"), 433,
                        "Unauthorized (wrong secret)"),
                plugin("kick, wrong secret", On.JANUS, request("kick").put("room", ROOM).put("secret", "bad").put("id", ALICE),
                        433, "Unauthorized (wrong secret)"),
                plugin("join, wrong pin", On.NEW_HANDLE, join("publisher").put("pin", "bad"), 433, "Unauthorized (wrong pin)"),
                plugin("join, no pin", On.NEW_HANDLE, request("join").put("ptype", "publisher").put("room", ROOM), 429,
                        "Missing mandatory element (pin)"),
                plugin("subscribe, wrong pin", On.NEW_HANDLE, subscribe(stream(ALICE)).put("pin", "bad"), 433,
                        "Unauthorized (wrong pin)"),
                plugin("create, no admin_key", On.JANUS, request("create").put("room", 7802), 429,
                        "Missing mandatory element (admin_key)"),
                plugin("create, no admin_key, Admin API", On.ADMIN, request("create").put("room", 7802), 429,
                        "Missing mandatory element (admin_key)"),
                plugin("create, wrong admin_key", On.JANUS, request("create").put("room", 7802).put("admin_key", "bad"), 433,
                        "Unauthorized (wrong admin_key)"),
                plugin("create, room exists", On.ADMIN, request("create").put("room", ROOM)
                        .put("admin_key", VideoRoomServer.ADMIN_KEY), 427, "Room " + ROOM + " already exists"),
                // Unknown feed or user
                plugin("subscribe, unknown feed", On.NEW_HANDLE, subscribe(stream(5)), 428, "No such feed (5)"),
                plugin("subscribe, unknown feed and mid", On.NEW_HANDLE, subscribe(stream(5).put("mid", "0")), 428,
                        "No such feed (5)"),
                plugin("subscribe, unknown feed (legacy)", On.NEW_HANDLE, join("subscriber").put("feed", 5), 428,
                        "No such feed (5)"),
                plugin("subscribe, feed not publishing", On.NEW_HANDLE, subscribe(stream(ALICE)), 428,
                        "No such feed (" + ALICE + ")"),
                plugin("subscribe, stream without feed", On.NEW_HANDLE, subscribe(Json.object()), 429,
                        "Missing mandatory element (feed)"),
                plugin("subscribe, no streams", On.NEW_HANDLE, subscribe(), 429, "Missing mandatory element (feed)"),
                plugin("kick, unknown user", On.ADMIN, request("kick").put("room", ROOM).put("secret", "s").put("id", 5), 428,
                        "No such user 5 in room " + ROOM),
                // Join twice; requests before join, or of the other role
                plugin("join twice", On.ALICE, join("publisher"), 425, onAlice),
                plugin("join twice, as a subscriber", On.ALICE, join("subscriber").put("feed", ALICE), 425, onAlice),
                plugin("configure before join", On.NEW_HANDLE, request("configure").put("audio", true), 424, UNCONFIGURED),
                plugin("publish before join", On.NEW_HANDLE, request("publish"), 424, UNCONFIGURED),
                plugin("unpublish before join", On.NEW_HANDLE, request("unpublish"), 424, UNCONFIGURED),
                plugin("start before join", On.NEW_HANDLE, request("start"), 424, UNCONFIGURED),
                plugin("switch before join", On.NEW_HANDLE, request("switch"), 424, UNCONFIGURED),
                plugin("start on a publisher", On.ALICE, request("start"), 423, "Unknown request 'start'"),
                plugin("pause on a publisher", On.ALICE, request("pause"), 423, "Unknown request 'pause'"),
                plugin("switch on a publisher", On.ALICE, request("switch"), 423, "Unknown request 'switch'"),
                plugin("unpublish, not published", On.ALICE, request("unpublish"), 435, "Can't unpublish, not published"),
                // Bad SDP and answers without an offer: the core refuses them before the plugin sees them
                jsep("answer without an offer, publisher", On.ALICE, request("publish"), "answer", SDP, 469,
                        "Unexpected ANSWER (did we offer?)"),
                jsep("answer without an offer, new handle", On.NEW_HANDLE, request("start"), "answer", SDP, 469,
                        "Unexpected ANSWER (did we offer?)"),
                jsep("SDP of an unknown type", On.ALICE, request("publish"), "bogus", SDP, 464,
                        "JSEP error: unknown message type 'bogus'"),
                jsep("SDP that is not SDP", On.ALICE, request("publish"), "offer", "not an sdp", 465,
                        "Invalid SDP (doesn't start with v=)"),
                jsep("SDP with a broken line", On.ALICE, request("publish"), "offer", "v=0\r\nbroken", 465,
                        "Invalid line (2nd char is not '='): broken"),
                jsep("SDP with a bad m= line", On.ALICE, request("configure"), "offer", "v=0\r\nm=nonsense\r\n", 465,
                        "Invalid m= line: m=nonsense"),
                jsep("SDP with an m= line without formats", On.ALICE, request("publish"), "offer",
                        SDP_HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", 465,
                        "Invalid m= line (no payload types/formats): m=audio 9 UDP/TLS/RTP/SAVPF"),
                jsep("SDP without m= line", On.ALICE, request("publish"), "offer", SDP_HEAD, 465,
                        "Missing mandatory lines (o=, s= or m=)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithJanussCodeAndTextAndTheServerKeepsServing(Case c) throws Exception {
        long handle = switch (c.on()) {
            case ALICE -> alice;
            case NEW_HANDLE -> client.attach();
            default -> observer;
        };
        JsonNode reply = switch (c.on()) {
            case JANUS -> client.sync(handle, c.body());
            case ADMIN -> client.admin(c.body());
            default -> c.jsep() == null ? client.async(handle, c.body()) : client.asyncWithJsep(handle, c.body(), c.jsep());
        };
        if (c.core()) {
            assertThat(reply.path("janus").asText()).as(reply.toString()).isEqualTo("error");
            assertThat(reply.path("error").path("code").asInt()).as(reply.toString()).isEqualTo(c.code());
            assertThat(reply.path("error").path("reason").asText()).isEqualTo(c.text());
        } else {
            assertError(reply, c.code(), c.text());
        }
        // The server keeps serving: the room is listed, Alice is still in it, and she still answers as a publisher.
        assertThat(client.sync(observer, request("list")).path("list").findValues("room")).extracting(JsonNode::asLong)
                .contains(ROOM);
        assertThat(client.admin(request("listparticipants").put("room", ROOM)).path("participants").toString())
                .isEqualTo("[{\"id\":" + ALICE + ",\"display\":\"alice\",\"publisher\":false}]");
        assertError(client.async(alice, request("unpublish")), 435, "Can't unpublish, not published");
    }
}
