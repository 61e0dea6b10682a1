package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.portunus.plugins.videoroom.RoomRequestsTest.assertError;
import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Joining a room as a publisher before any media, over the real HTTP Janus API: the
 * acknowledgement, the {@code joined} event with the room's publishers, {@code leave}, what the
 * other participants hear, and the refusals (join twice, unknown room, pin, tokens, ids).
 */
class PublisherJoinTest {
    static VideoRoomServer server;
    static VideoRoomClient client;
    static final AtomicLong nextRoom = new AtomicLong(7500);

    @BeforeAll
    static void start() throws Exception {
        server = new VideoRoomServer(VideoRoomServer.CONFIG);
        client = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    static long room(ObjectNode extra) throws Exception {
        long room = nextRoom.incrementAndGet();
        ObjectNode body = request("create").put("room", room).put("admin_key", VideoRoomServer.ADMIN_KEY)
                .put("description", "join-room").put("secret", "s");
        body.setAll(extra);
        assertThat(client.admin(body).path("videoroom").asText()).isEqualTo("created");
        return room;
    }

    static ObjectNode join(long room) {
        return request("join").put("ptype", "publisher").put("room", room);
    }

    static JsonNode recordedJoined() throws Exception {
        try (InputStream in = PublisherJoinTest.class.getResourceAsStream("/janus-1.1.2/janus-api/044-vr-poll-joined.json")) {
            return Json.MAPPER.readTree(in).at("/response/body/1/plugindata/data");
        }
    }

    static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void joinIsAcknowledgedThenAnsweredWithTheRoom() throws Exception {
        long room = room(Json.object());
        long handle = client.attach();
        JsonNode joined = client.async(handle, join(room).put("display", "api-pub"));
        assertThat(keys(joined)).isEqualTo(keys(recordedJoined()));
        assertThat(joined.path("videoroom").asText()).isEqualTo("joined");
        assertThat(joined.path("room").asLong()).isEqualTo(room);
        assertThat(joined.path("description").asText()).isEqualTo("join-room");
        assertThat(joined.path("id").asLong()).isPositive().isLessThan(1L << 53);
        assertThat(joined.path("private_id").asLong()).isPositive().isLessThan(1L << 32);
        assertThat(joined.path("publishers")).isEmpty();
        JsonNode listed = client.sync(handle, request("listparticipants").put("room", room));
        assertThat(listed.path("participants").toString()).isEqualTo(
                "[{\"id\":" + joined.path("id").asLong() + ",\"display\":\"api-pub\",\"publisher\":false}]");
        assertThat(client.admin(request("list").put("admin_key", VideoRoomServer.ADMIN_KEY)).path("list").findValues("room")
                .stream().anyMatch(r -> r.asLong() == room)).isTrue();

        // Joining again on the same handle, even another room, is refused; the first join stays.
        assertError(client.async(handle, join(room)), 425, "Already in as a publisher on this handle");
        assertError(client.async(handle, join(999999)), 425, "Already in as a publisher on this handle");

        // handle_info as Janus 1.1.2 gave it for a publisher with no media (compared key by key).
        assertThat(client.pluginSpecific(handle).toString()).isEqualTo("{\"type\":\"publisher\",\"room\":" + room
                + ",\"id\":" + joined.path("id").asLong() + ",\"private_id\":" + joined.path("private_id").asLong()
                + ",\"display\":\"api-pub\",\"bitrate\":0,\"streams\":[],\"hangingup\":0,\"destroyed\":0}");
        // A publisher with no media yet: Janus's legacy rtp_forward reply, nothing forwarded.
        assertThat(client.admin(request("rtp_forward").put("room", room).put("secret", "s").put("host", "127.0.0.1")
                .put("publisher_id", joined.path("id").asLong())).toString()).isEqualTo("{\"publisher_id\":"
                + joined.path("id").asLong() + ",\"rtp_stream\":{\"warning\":\"deprecated_api\",\"host\":\"127.0.0.1\"},"
                + "\"room\":" + room + ",\"videoroom\":\"rtp_forward\"}");
        assertError(client.admin(request("stop_rtp_forward").put("room", room).put("secret", "s")
                .put("publisher_id", joined.path("id").asLong()).put("stream_id", 5)), 428, "No such stream (5)");
        assertThat(client.async(handle, request("leave")).toString())
                .isEqualTo("{\"videoroom\":\"event\",\"room\":" + room + ",\"leaving\":\"ok\"}");
        assertThat(client.sync(handle, request("listparticipants").put("room", room)).path("participants")).isEmpty();
        // As in Janus, the handle stays a publisher of no room: a new handle joins again, this one cannot.
        assertError(client.async(handle, join(room)), 425, "Not in a room (create a new handle)");
        assertError(client.async(handle, request("leave")), 426, "No such room");
        assertThat(client.pluginSpecific(handle).toString())
                .isEqualTo("{\"type\":\"publisher\",\"hangingup\":0,\"destroyed\":0}");
        assertThat(client.pluginSpecific(client.attach()).toString()).isEqualTo("{\"hangingup\":0,\"destroyed\":0}");
        assertThat(client.async(client.attach(), join(room)).path("videoroom").asText()).isEqualTo("joined");
    }

    @Test
    void othersHearWhoLeavesAndWhoGoesAway() throws Exception {
        long room = room(Json.object());
        long alice = client.attach();
        long bob = client.attach();
        long carol = client.attach();
        client.async(alice, join(room).put("id", 11).put("display", "alice"));
        client.async(bob, join(room).put("id", 12).put("display", "bob"));
        client.async(carol, join(room).put("id", 13));
        client.async(bob, request("leave"));
        String leaving = "{\"videoroom\":\"event\",\"room\":" + room + ",\"leaving\":12}";
        assertThat(client.pushed(alice, d -> d.has("leaving")).toString()).isEqualTo(leaving);
        assertThat(client.pushed(carol, d -> d.has("leaving")).toString()).isEqualTo(leaving);
        // A detached participant: Janus 1.1.2 says "unpublished" twice, then "leaving".
        client.detach(carol);
        client.pushed(alice, d -> d.path("leaving").asLong() == 13);
        String unpublished = "{\"videoroom\":\"event\",\"room\":" + room + ",\"unpublished\":13}";
        assertThat(client.pushedSoFar(alice)).extracting(JsonNode::toString)
                .containsExactly(leaving, unpublished, unpublished,
                        "{\"videoroom\":\"event\",\"room\":" + room + ",\"leaving\":13}");
        assertThat(client.sync(alice, request("listparticipants").put("room", room)).path("participants")
                .findValues("id")).extracting(JsonNode::asLong).containsExactly(11L);
    }

    @Test
    void requestsBeforeJoiningAreRefused() throws Exception {
        long handle = client.attach();
        assertError(client.async(handle, request("leave")), 424, "Invalid request on unconfigured participant");
        assertError(client.async(handle, request("configure").put("audio", true)), 424,
                "Invalid request on unconfigured participant");
        assertError(client.async(handle, request("join").put("ptype", "subscriber").put("room", 1234)), 429,
                "Missing mandatory element (feed)");
    }

    @Test
    void joinRefusalsHaveJanussCodesAndTexts() throws Exception {
        long room = room(Json.object().put("pin", "p1"));
        long handle = client.attach();
        assertError(client.async(handle, request("join").put("room", room)), 429, "Missing mandatory element (ptype)");
        // The room and its pin are checked before the role is.
        assertError(client.async(handle, join(room).put("ptype", "bogus")), 429, "Missing mandatory element (pin)");
        assertError(client.async(handle, join(room).put("ptype", "bogus").put("pin", "p1")), 430,
                "Invalid element (ptype)");
        assertError(client.async(handle, request("join").put("ptype", "publisher")), 429, "Missing mandatory element (room)");
        assertError(client.async(handle, join(999999)), 426, "No such room (999999)");
        assertError(client.async(handle, join(room)), 429, "Missing mandatory element (pin)");
        assertError(client.async(handle, join(room).put("pin", "bad")), 433, "Unauthorized (wrong pin)");
        assertError(client.async(handle, join(room).put("pin", "p1").put("display", 5)), 430,
                "Invalid element type (display should be a string)");
        assertThat(client.async(handle, join(room).put("pin", "p1").put("id", 42)).path("id").asLong()).isEqualTo(42);
        long other = client.attach();
        assertError(client.async(other, join(room).put("pin", "p1").put("id", 42)), 436, "User ID 42 already exists");
        // Everything refused left the server serving, and the room as it was.
        assertThat(client.sync(other, request("listparticipants").put("room", room)).path("participants")).hasSize(1);
    }

    @Test
    void tokensLetOnlyTheAllowedIn() throws Exception {
        ObjectNode extra = Json.object();
        extra.putArray("allowed").add("t1");
        long room = room(extra);
        long handle = client.attach();
        assertError(client.async(handle, join(room)), 433, "Unauthorized (not in the allowed list)");
        assertError(client.async(handle, join(room).put("token", "t2")), 433, "Unauthorized (not in the allowed list)");
        assertThat(client.async(handle, join(room).put("token", "t1")).path("videoroom").asText()).isEqualTo("joined");
    }

    @Test
    void kickTakesTheParticipantOutAndTellsTheRoom() throws Exception {
        long room = room(Json.object());
        long alice = client.attach();
        long bob = client.attach();
        client.async(alice, join(room).put("id", 1).put("display", "alice"));
        client.async(bob, join(room).put("id", 2).put("display", "bob"));
        assertThat(client.admin(request("kick").put("room", room).put("secret", "s").put("id", 2)).toString())
                .isEqualTo("{\"videoroom\":\"success\"}");
        JsonNode toBob = client.pushed(bob, d -> d.has("leaving"));
        assertThat(toBob.toString()).isEqualTo(
                "{\"videoroom\":\"event\",\"room\":" + room + ",\"leaving\":\"ok\",\"reason\":\"kicked\"}");
        JsonNode toAlice = client.pushed(alice, d -> d.has("kicked"));
        assertThat(toAlice.toString()).isEqualTo("{\"videoroom\":\"event\",\"room\":" + room + ",\"kicked\":2}");
        assertThat(client.sync(alice, request("listparticipants").put("room", room)).path("participants")
                .findValues("id")).extracting(JsonNode::asLong).containsExactly(1L);
        assertError(client.admin(request("kick").put("room", room).put("secret", "s").put("id", 2)), 428,
                "No such user 2 in room " + room);
    }

    @Test
    void destroyingTheRoomTellsItsParticipants() throws Exception {
        long room = room(Json.object());
        long handle = client.attach();
        client.async(handle, join(room));
        client.sync(handle, request("destroy").put("room", room).put("secret", "s"));
        assertThat(client.pushed(handle, d -> d.path("videoroom").asText().equals("destroyed")).toString())
                .isEqualTo("{\"videoroom\":\"destroyed\",\"room\":" + room + "}");
        assertError(client.async(handle, join(room(Json.object()))), 425, "Not in a room (create a new handle)");
        assertError(client.async(handle, request("leave")), 426, "No such room");
    }
}
