package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VideoRoom's synchronous requests as a user sees them over the real HTTP Janus API
 * ({@code message} → {@code success} with {@code plugindata}) and the Admin API
 * ({@code message_plugin} → {@code response}): each request, each error code with Janus's text,
 * compared with Janus 1.1.2's recorded answers where one exists.
 */
class RoomRequestsTest {
    static VideoRoomServer server;
    static VideoRoomClient client;
    static long handle;
    /** Rooms made by the tests, numbered apart so that tests do not meet. */
    static final AtomicLong nextRoom = new AtomicLong(7000);

    @BeforeAll
    static void start() throws Exception {
        server = new VideoRoomServer(VideoRoomServer.CONFIG);
        client = server.client();
        handle = client.attach();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    /** One synchronous request over the Janus API ("janus") or the Admin API ("admin"). */
    static JsonNode ask(String via, ObjectNode body) throws Exception {
        return via.equals("admin") ? client.admin(body) : client.sync(handle, body);
    }

    static void assertError(JsonNode reply, int code, String text) {
        assertThat(reply.toString()).isEqualTo(
                Json.object().put("videoroom", "event").put("error_code", code).put("error", text).toString());
    }

    static JsonNode recorded(String file) throws Exception {
        try (InputStream in = RoomRequestsTest.class.getResourceAsStream("/janus-1.1.2/" + file)) {
            return Json.MAPPER.readTree(in).at("/response/body");
        }
    }

    static ObjectNode create(long room) {
        return request("create").put("room", room).put("admin_key", VideoRoomServer.ADMIN_KEY);
    }

    @Test
    void listAndExistsAnswerAsJanusDid() throws Exception {
        JsonNode list = client.message(handle, request("list"));
        JsonNode janus = recorded("janus-api/038-vr-list.json");
        assertThat(list.path("janus").asText()).isEqualTo("success");
        assertThat(list.at("/plugindata/plugin").asText()).isEqualTo(VideoRoomClient.PLUGIN);
        assertThat(list.at("/plugindata/data/videoroom").asText()).isEqualTo("success");
        // Other tests add rooms to this server: the configured one is compared, key by key with values.
        assertThat(entry(list.at("/plugindata/data/list"), 1234).toString())
                .isEqualTo(janus.at("/plugindata/data/list/0").toString());
        assertThat(entry(client.admin(request("list")).path("list"), 1234).toString())
                .isEqualTo(recorded("admin/098-message_plugin-videoroom-list.json").at("/response/list/0").toString());
        JsonNode exists = client.message(handle, request("exists").put("room", 1234));
        assertThat(exists.at("/plugindata").toString())
                .isEqualTo(recorded("janus-api/039-vr-exists.json").at("/plugindata").toString());
        assertThat(client.sync(handle, request("exists").put("room", 999)).toString())
                .isEqualTo("{\"videoroom\":\"success\",\"room\":999,\"exists\":false}");
    }

    static JsonNode entry(JsonNode list, long room) {
        for (JsonNode r : list) {
            if (r.path("room").asLong() == room) {
                return r;
            }
        }
        throw new AssertionError("room " + room + " not in " + list);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void createNeedsTheAdminKey(String via) throws Exception {
        long room = nextRoom.incrementAndGet();
        JsonNode missing = ask(via, request("create").put("room", room));
        assertThat(missing.toString()).isEqualTo(recorded("janus-api/040-vr-create-noadminkey.json")
                .at("/plugindata/data").toString());
        assertError(ask(via, request("create").put("room", room).put("admin_key", "wrong")), 433,
                "Unauthorized (wrong admin_key)");
        assertError(ask(via, request("create").put("room", room).put("admin_key", 5)), 430,
                "Invalid element type (admin_key should be a string)");
        assertThat(ask(via, request("exists").put("room", room)).path("exists").asBoolean()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void createEditDestroy(String via) throws Exception {
        long room = nextRoom.incrementAndGet();
        JsonNode created = ask(via, create(room).put("description", "api-room").put("publishers", 4).put("secret", "s3"));
        assertThat(created.toString()).isEqualTo("{\"videoroom\":\"created\",\"room\":" + room + ",\"permanent\":false}");
        assertError(ask(via, create(room)), 427, "Room " + room + " already exists");

        assertError(ask(via, request("edit").put("room", room)), 429, "Missing mandatory element (secret)");
        assertError(ask(via, request("edit").put("room", room).put("secret", "nope")), 433, "Unauthorized (wrong secret)");
        assertError(ask(via, request("edit").put("room", room).put("secret", 3)), 430,
                "Invalid element type (secret should be a string)");
        assertError(ask(via, request("edit").put("room", room).put("secret", "s3").put("new_bitrate", "x")), 430,
                "Invalid element type (new_bitrate should be a positive integer)");
        assertError(ask(via, request("edit")), 429, "Missing mandatory element (room)");
        assertError(ask(via, request("edit").put("room", 1)), 426, "No such room (1)");
        JsonNode edited = ask(via, request("edit").put("room", room).put("secret", "s3").put("new_description", "renamed")
                .put("new_bitrate", 1000).put("new_publishers", 9).put("new_pin", "p").put("new_is_private", false));
        assertThat(edited.toString()).isEqualTo("{\"videoroom\":\"edited\",\"room\":" + room + ",\"permanent\":false}");
        JsonNode entry = listed(via, room);
        assertThat(entry.path("description").asText()).isEqualTo("renamed");
        assertThat(entry.path("bitrate").asLong()).as("raised to 64 kbit/s").isEqualTo(64000);
        assertThat(entry.path("max_publishers").asLong()).isEqualTo(9);
        assertThat(entry.path("pin_required").asBoolean()).isTrue();

        assertError(ask(via, request("destroy").put("room", room).put("secret", "nope")), 433,
                "Unauthorized (wrong secret)");
        assertError(ask(via, request("destroy").put("room", room)), 429, "Missing mandatory element (secret)");
        assertError(ask(via, request("destroy").put("room", room).put("secret", "s3").put("permanent", "no")), 430,
                "Invalid element type (permanent should be a boolean)");
        JsonNode destroyed = ask(via, request("destroy").put("room", room).put("secret", "s3"));
        assertThat(destroyed.toString()).isEqualTo("{\"videoroom\":\"destroyed\",\"room\":" + room + ",\"permanent\":false}");
        assertThat(ask(via, request("exists").put("room", room)).path("exists").asBoolean()).isFalse();
        assertError(ask(via, request("destroy").put("room", room).put("secret", "s3")), 426,
                "No such room (" + room + ")");
    }

    static JsonNode listed(String via, long room) throws Exception {
        return entry(ask(via, request("list").put("admin_key", VideoRoomServer.ADMIN_KEY)).path("list"), room);
    }

    @Test
    void createChecksEachParameterWithJanussTexts() throws Exception {
        record Case(ObjectNode body, int code, String text) {
        }
        long room = nextRoom.incrementAndGet();
        List<Case> cases = new ArrayList<>(List.of(
                new Case(create(room).put("description", 5), 430, "Invalid element type (description should be a string)"),
                new Case(create(room).put("is_private", "yes"), 430, "Invalid element type (is_private should be a boolean)"),
                new Case(create(room).put("publishers", "3"), 430,
                        "Invalid element type (publishers should be a positive integer)"),
                new Case(create(room).put("bitrate", -1), 430, "Invalid element type (bitrate should be a positive integer)"),
                new Case(create(room).put("fir_freq", 1.5), 430,
                        "Invalid element type (fir_freq should be a positive integer)"),
                new Case(create(room).put("audiocodec", "foo"), 430,
                        "Invalid element (audiocodec can only be or contain opus, isac32, isac16, pcmu, pcma or g722)"),
                new Case(create(room).put("videocodec", "vp8,foo"), 430,
                        "Invalid element (videocodec can only be or contain vp8, vp9, av1, h264 or h265)"),
                new Case(create(room).put("allowed", "x"), 430, "Invalid element type (allowed should be an array)"),
                new Case(create(room).put("permanent", 1), 430, "Invalid element type (permanent should be a boolean)")));
        ObjectNode badAllowed = create(room);
        badAllowed.putArray("allowed").add(1);
        cases.add(new Case(badAllowed, 430, "Invalid element in the allowed array (not a string)"));
        ObjectNode stringRoom = request("create").put("room", "x").put("admin_key", VideoRoomServer.ADMIN_KEY);
        cases.add(new Case(stringRoom, 430, "Invalid element type (room should be a positive integer)"));
        ObjectNode negativeRoom = request("create").put("room", -5).put("admin_key", VideoRoomServer.ADMIN_KEY);
        cases.add(new Case(negativeRoom, 430, "Invalid element type (room should be a positive integer)"));
        for (Case c : cases) {
            assertError(client.sync(handle, c.body()), c.code(), c.text());
        }
        assertThat(client.sync(handle, request("exists").put("room", room)).path("exists").asBoolean())
                .as("no refused create made the room").isFalse();
    }

    /** Which refusal wins when several apply, as Janus 1.1.2 answered (e2e/scripts/videoroom-compare.py). */
    @Test
    void checksComeInJanussOrder() throws Exception {
        assertError(client.sync(handle, create(1234).put("audiocodec", "foo")), 430,
                "Invalid element (audiocodec can only be or contain opus, isac32, isac16, pcmu, pcma or g722)");
        assertError(client.sync(handle, request("create").put("room", 1234).put("description", 5)), 430,
                "Invalid element type (description should be a string)");
        for (String name : List.of("destroy", "enable_recording", "listforwarders")) {
            assertError(client.sync(handle, request(name).put("room", 999).put("secret", 5).put("record", true)), 426,
                    "No such room (999)");
        }
        for (String name : List.of("edit", "kick")) {
            assertError(client.sync(handle, request(name).put("room", 999).put("secret", 5).put("id", 1)), 430,
                    "Invalid element type (secret should be a string)");
        }
        assertError(client.sync(handle, request("rtp_forward").put("room", 999).put("secret", 5).put("publisher_id", 1)
                .put("host", "h")), 430, "Invalid element type (secret should be a string)");
    }

    @Test
    void createWithoutARoomPicksOneAndPrivateRoomsNeedTheAdminKeyToBeListed() throws Exception {
        ObjectNode body = request("create").put("admin_key", VideoRoomServer.ADMIN_KEY).put("is_private", true)
                .put("audiocodec", "opus,pcmu,pcma,g722,isac16,isac32").put("videocodec", "VP9,h264")
                .put("bitrate_cap", true).put("rec_dir", "rooms/rec").put("audiolevel_event", true);
        JsonNode created = client.sync(handle, body);
        assertThat(created.path("videoroom").asText()).isEqualTo("created");
        long room = created.path("room").asLong();
        assertThat(room).isPositive().isLessThan(1L << 53);
        List<Long> publicRooms = new ArrayList<>();
        client.sync(handle, request("list")).path("list").forEach(r -> publicRooms.add(r.path("room").asLong()));
        assertThat(publicRooms).contains(1234L).doesNotContain(room);
        client.sync(handle, request("list").put("admin_key", "wrong")).path("list")
                .forEach(r -> assertThat(r.path("room").asLong()).isNotEqualTo(room));
        JsonNode entry = listed("janus", room);
        assertThat(entry.path("audiocodec").asText()).as("five codecs at most").isEqualTo("opus,pcmu,pcma,g722,isac16");
        assertThat(entry.path("videocodec").asText()).isEqualTo("vp9,h264");
        assertThat(entry.path("bitrate_cap").asBoolean()).isTrue();
        assertThat(entry.path("rec_dir").asText()).isEqualTo("rooms/rec"); // inside the recordings root: Portunus refuses one outside it
        assertThat(entry.path("audio_active_packets").asInt()).isEqualTo(100);
        assertThat(entry.path("audio_level_average").asInt()).isEqualTo(25);
        // A key that is not even a string is no key, as in Janus: no error, no private rooms.
        client.sync(handle, request("list").put("admin_key", 5)).path("list")
                .forEach(r -> assertThat(r.path("room").asLong()).isNotEqualTo(room));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void allowedManagesTheTokenList(String via) throws Exception {
        long room = nextRoom.incrementAndGet();
        ObjectNode body = create(room).put("secret", "s");
        body.putArray("allowed").add("t1").add("t2");
        ask(via, body);
        assertError(ask(via, request("allowed").put("room", room).put("secret", "s")), 429,
                "Missing mandatory element (action)");
        assertError(ask(via, request("allowed").put("room", room).put("secret", "s").put("action", "bogus")), 430,
                "Unsupported action 'bogus' (allowed)");
        assertError(ask(via, request("allowed").put("room", room).put("action", "enable")), 429,
                "Missing mandatory element (secret)");
        assertError(ask(via, request("allowed").put("room", 1).put("action", "enable")), 426, "No such room (1)");
        ObjectNode add = request("allowed").put("room", room).put("secret", "s").put("action", "add");
        add.putArray("allowed").add("t3").add("t1");
        // Janus lists the latest token first; one already there keeps its place.
        assertThat(ask(via, add).toString())
                .isEqualTo("{\"videoroom\":\"success\",\"room\":" + room + ",\"allowed\":[\"t3\",\"t2\",\"t1\"]}");
        ObjectNode remove = request("allowed").put("room", room).put("secret", "s").put("action", "remove");
        remove.putArray("allowed").add("t2").add("zz");
        assertThat(ask(via, remove).path("allowed").toString()).isEqualTo("[\"t3\",\"t1\"]");
        assertThat(ask(via, request("allowed").put("room", room).put("secret", "s").put("action", "disable")).toString())
                .isEqualTo("{\"videoroom\":\"success\",\"room\":" + room + "}");
        assertThat(ask(via, request("allowed").put("room", room).put("secret", "s").put("action", "enable"))
                .path("allowed").toString()).isEqualTo("[\"t3\",\"t1\"]");
        // As Janus: "add" with no list adds nothing, and the action ignores case.
        assertThat(ask(via, request("allowed").put("room", room).put("secret", "s").put("action", "ADD"))
                .path("allowed").toString()).isEqualTo("[\"t3\",\"t1\"]");
        ObjectNode notStrings = request("allowed").put("room", room).put("secret", "s").put("action", "add");
        notStrings.putArray("allowed").add(1);
        assertError(ask(via, notStrings), 430, "Invalid element in the allowed array (not a string)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void moderatorRequestsOnAnEmptyRoom(String via) throws Exception {
        long room = nextRoom.incrementAndGet();
        ask(via, create(room).put("secret", "s"));
        assertThat(ask(via, request("listparticipants").put("room", room)).toString())
                .isEqualTo("{\"videoroom\":\"participants\",\"room\":" + room + ",\"participants\":[]}");
        assertError(ask(via, request("listparticipants").put("room", 1)), 426, "No such room (1)");
        assertError(ask(via, request("listforwarders").put("room", room)), 429, "Missing mandatory element (secret)");
        assertThat(ask(via, request("listforwarders").put("room", room).put("secret", "s")).toString())
                .isEqualTo("{\"videoroom\":\"forwarders\",\"room\":" + room + ",\"publishers\":[]}");
        assertError(ask(via, request("enable_recording").put("room", room).put("secret", "s")), 429,
                "Missing mandatory element (record)");
        assertError(ask(via, request("enable_recording").put("room", room).put("record", true)), 429,
                "Missing mandatory element (secret)");
        assertThat(ask(via, request("enable_recording").put("room", room).put("record", true).put("secret", "s"))
                .toString()).isEqualTo("{\"videoroom\":\"success\",\"record\":true}");
        assertThat(listed(via, room).path("record").asBoolean()).isTrue();
        assertError(ask(via, request("kick").put("room", room).put("secret", "s")), 429, "Missing mandatory element (id)");
        assertError(ask(via, request("kick").put("room", room).put("secret", "s").put("id", 123)), 428,
                "No such user 123 in room " + room);
        assertError(ask(via, request("kick").put("room", room).put("id", 123)), 429, "Missing mandatory element (secret)");
        assertError(ask(via, request("moderate").put("room", room).put("secret", "s").put("id", 123)), 429,
                "Missing mandatory element (mid)");
        assertError(ask(via, request("moderate").put("room", room).put("secret", "s").put("id", 123).put("mid", "0")),
                429, "Missing mandatory element (mute)");
        assertError(ask(via, request("moderate").put("room", room).put("secret", "s").put("id", 123).put("mid", "0")
                .put("mute", true)), 428, "No such user 123 in room " + room);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void rtpForwardingIsCheckedAsJanusChecksIt(String via) throws Exception {
        long room = nextRoom.incrementAndGet();
        ask(via, create(room).put("secret", "s"));
        assertError(ask(via, request("rtp_forward").put("room", room).put("publisher_id", 1)), 429,
                "Missing mandatory element (host)");
        assertError(ask(via, request("rtp_forward").put("room", room).put("publisher_id", 1).put("host", "127.0.0.1")),
                429, "Missing mandatory element (secret)");
        assertError(ask(via, request("rtp_forward").put("room", 1).put("publisher_id", 1).put("host", "127.0.0.1")),
                426, "No such room (1)");
        assertError(ask(via, request("rtp_forward").put("room", room).put("publisher_id", 123).put("host", "127.0.0.1")
                .put("secret", "s")), 428, "No such feed (123)");
        assertError(ask(via, request("stop_rtp_forward").put("room", room)), 429,
                "Missing mandatory element (publisher_id)");
        assertError(ask(via, request("stop_rtp_forward").put("room", room).put("publisher_id", 123)), 429,
                "Missing mandatory element (stream_id)");
        assertError(ask(via, request("stop_rtp_forward").put("room", room).put("publisher_id", 123).put("stream_id", 5)
                .put("secret", "s")), 428, "No such feed (123)");
    }

    @Test
    void theRequestItselfIsCheckedFirst() throws Exception {
        assertError(client.sync(handle, Json.object().put("foo", "bar")), 429, "Missing mandatory element (request)");
        assertError(client.sync(handle, Json.object().put("request", 5)), 430,
                "Invalid element type (request should be a string)");
        assertError(client.sync(handle, request("nope")), 423, "Unknown request 'nope'");
        assertThat(client.sync(handle, request("LIST")).path("videoroom").asText()).isEqualTo("success");
        // Over the Admin API: as recorded from Janus, and the asynchronous requests are unknown there.
        assertThat(client.adminRaw(null).path("response").toString())
                .isEqualTo(recorded("admin/107-message_plugin-norequest.json").path("response").toString());
        assertThat(client.admin(request("nope")).toString())
                .isEqualTo(recorded("admin/104-message_plugin-videoroom-badreq.json").path("response").toString());
        assertError(client.admin(request("join").put("room", 1234)), 423, "Unknown request 'join'");
    }

    @Test
    void badInputLeavesTheServerServing() throws Exception {
        List<ObjectNode> garbage = new ArrayList<>();
        for (String name : RoomRequests.NAMES) {
            garbage.add(request(name));
            garbage.add(request(name).put("room", "x").put("id", "y").put("secret", 1));
            garbage.add(request(name).putNull("room"));
            ObjectNode nested = request(name);
            nested.putObject("room").putArray("deep").addObject().put("a", 1);
            garbage.add(nested);
            garbage.add(request(name).put("room", Long.MAX_VALUE).put("publishers", Long.MAX_VALUE));
        }
        for (ObjectNode g : garbage) {
            JsonNode viaJanus = client.sync(handle, g.deepCopy());
            JsonNode viaAdmin = client.admin(g.deepCopy());
            assertThat(viaJanus.path("videoroom").asText()).as(g.toString()).isIn("event", "success", "participants",
                    "forwarders", "created");
            assertThat(viaAdmin.path("videoroom").asText()).as(g.toString()).isIn("event", "success", "participants",
                    "forwarders", "created");
        }
        assertThat(client.sync(handle, request("exists").put("room", 1234)).path("exists").asBoolean()).isTrue();
        assertThat(client.admin(request("list")).path("list")).isNotEmpty();
    }
}
