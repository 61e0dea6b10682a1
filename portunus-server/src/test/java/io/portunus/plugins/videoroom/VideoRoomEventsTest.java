package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.eventhandlers.EventServer;
import io.portunus.eventhandlers.Received;
import io.portunus.events.JanusExamples;
import io.portunus.schema.Schemas;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VideoRoom's plugin events (type 64) as an HTTP event handler receives them: created,
 * edited and destroyed rooms, with the session and handle when asked over the Janus API and
 * without them over the Admin API; joined and leaving participants; none with {@code events = false}.
 */
class VideoRoomEventsTest {

    static Predicate<JsonNode> pluginEvent(String name, long room) {
        return e -> e.path("type").asInt() == 64 && e.at("/event/plugin").asText().equals(VideoRoomClient.PLUGIN)
                && name.equals(e.at("/event/data/event").asText()) && e.at("/event/data/room").asLong() == room;
    }

    /** Same keys in the same order, values aside, as the event Janus 1.1.2 sent. */
    static void assertShapeAsJanus(JsonNode event, String name) {
        JsonNode janus = JanusExamples.first(e -> e.path("type").asInt() == 64
                && name.equals(e.at("/event/data/event").asText()));
        assertThat(fieldNames(event)).isEqualTo(fieldNames(janus));
        assertThat(fieldNames(event.at("/event/data"))).isEqualTo(fieldNames(janus.at("/event/data")));
    }

    /** Every event the handler received in the run (the VideoRoom's and the core's) against docs/schema (issue #18). */
    static void everyEventValidates(Received events) {
        List<JsonNode> all = events.all();
        assertThat(all).as("events received").isNotEmpty();
        all.forEach(Schemas::assertValidEvent);
    }

    static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(e -> e.getKey()).toList();
    }

    @Test
    void roomEventsCarryTheHandleOnlyWhenAskedThroughIt() throws Exception {
        try (VideoRoomServer vr = new VideoRoomServer(VideoRoomServer.CONFIG); VideoRoomClient client = vr.client()) {
            Received events = vr.events.events;
            long handle = client.attach();
            client.sync(handle, request("create").put("room", 7001).put("admin_key", VideoRoomServer.ADMIN_KEY)
                    .put("secret", "s3"));
            JsonNode created = events.await(pluginEvent("created", 7001), 1, 5).getFirst();
            assertThat(created.path("emitter").asText()).isEqualTo(EventServer.NAME);
            assertThat(created.path("session_id").asLong()).isEqualTo(client.session);
            assertThat(created.path("handle_id").asLong()).isEqualTo(handle);
            assertThat(created.at("/event/data").toString()).isEqualTo("{\"event\":\"created\",\"room\":7001}");
            assertShapeAsJanus(created, "created");

            client.sync(handle, request("edit").put("room", 7001).put("secret", "s3").put("new_description", "x"));
            JsonNode edited = events.await(pluginEvent("edited", 7001), 1, 5).getFirst();
            assertThat(edited.at("/event/data").toString()).isEqualTo("{\"event\":\"edited\",\"room\":7001}");
            assertThat(edited.path("handle_id").asLong()).isEqualTo(handle);

            client.sync(handle, request("destroy").put("room", 7001).put("secret", "s3"));
            JsonNode destroyed = events.await(pluginEvent("destroyed", 7001), 1, 5).getFirst();
            assertThat(destroyed.at("/event/data").toString()).isEqualTo("{\"event\":\"destroyed\",\"room\":7001}");
            assertShapeAsJanus(destroyed, "destroyed");

            // Over the Admin API there is no session nor handle to name.
            client.admin(request("create").put("room", 8001).put("admin_key", VideoRoomServer.ADMIN_KEY));
            client.admin(request("edit").put("room", 8001).put("new_bitrate", 100000));
            client.admin(request("destroy").put("room", 8001));
            for (String name : List.of("created", "edited", "destroyed")) {
                JsonNode e = events.await(pluginEvent(name, 8001), 1, 5).getFirst();
                assertThat(e.has("session_id")).as(e.toString()).isFalse();
                assertThat(e.has("handle_id")).as(e.toString()).isFalse();
            }
            // A refused request tells the handlers nothing.
            client.sync(handle, request("create").put("room", 9001));
            client.sync(handle, request("destroy").put("room", 1234).put("secret", "wrong"));
            client.sync(handle, request("create").put("room", 9002).put("admin_key", VideoRoomServer.ADMIN_KEY));
            events.await(pluginEvent("created", 9002), 1, 5);
            assertThat(events.all()).noneMatch(pluginEvent("created", 9001)).noneMatch(pluginEvent("destroyed", 1234));
            everyEventValidates(events);
        }
    }

    @Test
    void joinedAndLeavingAsJanusSendsThem() throws Exception {
        try (VideoRoomServer vr = new VideoRoomServer(VideoRoomServer.CONFIG); VideoRoomClient client = vr.client()) {
            Received events = vr.events.events;
            long handle = client.attach();
            JsonNode joined = client.async(handle, request("join").put("ptype", "publisher").put("room", 1234)
                    .put("display", "api-pub"));
            long id = joined.path("id").asLong();
            JsonNode event = events.await(pluginEvent("joined", 1234), 1, 5).getFirst();
            assertShapeAsJanus(event, "joined");
            assertThat(event.at("/event/data/id").asLong()).isEqualTo(id);
            assertThat(event.at("/event/data/private_id").asLong()).isEqualTo(joined.path("private_id").asLong());
            assertThat(event.at("/event/data/display").asText()).isEqualTo("api-pub");
            assertThat(event.path("handle_id").asLong()).isEqualTo(handle);

            client.async(handle, request("leave"));
            JsonNode leaving = events.await(pluginEvent("leaving", 1234), 1, 5).getFirst();
            assertThat(leaving.at("/event/data/id").asLong()).isEqualTo(id);
            // As Janus: about the room, so without session and handle.
            assertThat(leaving.has("session_id")).isFalse();
            everyEventValidates(events);
        }
    }

    @Test
    void kickedAndDetachedAsJanusSendsThem() throws Exception {
        try (VideoRoomServer vr = new VideoRoomServer(VideoRoomServer.CONFIG); VideoRoomClient client = vr.client()) {
            Received events = vr.events.events;
            ObjectNode create = request("create").put("room", 7002).put("admin_key", VideoRoomServer.ADMIN_KEY);
            create.putArray("allowed").add("t1");
            client.admin(create);
            long kicked = client.attach();
            long detached = client.attach();
            client.async(kicked, request("join").put("ptype", "publisher").put("room", 7002).put("id", 44)
                    .put("display", "dave").put("token", "t1"));
            JsonNode joined = events.await(pluginEvent("joined", 7002), 1, 5).getFirst();
            // The token comes before the display, as Janus 1.1.2 orders them.
            assertThat(fieldNames(joined.at("/event/data"))).containsExactly("event", "room", "id", "private_id",
                    "token", "display");
            client.admin(request("kick").put("room", 7002).put("id", 44));
            assertThat(events.await(pluginEvent("kicked", 7002), 1, 5).getFirst().at("/event/data").toString())
                    .isEqualTo("{\"event\":\"kicked\",\"room\":7002,\"id\":44}");

            client.async(detached, request("join").put("ptype", "publisher").put("room", 7002).put("id", 45)
                    .put("token", "t1"));
            // Joined before the detach: a join still queued when its handle goes is skipped, as Janus does.
            events.await(pluginEvent("joined", 7002), 2, 5);
            client.detach(detached);
            events.await(pluginEvent("leaving", 7002), 1, 5);
            List<String> gone = events.all().stream().filter(e -> e.at("/event/data/id").asLong() == 45)
                    .map(e -> e.at("/event/data/event").asText()).toList();
            assertThat(gone).containsExactly("joined", "unpublished", "unpublished", "leaving");
            everyEventValidates(events);
        }
    }

    @Test
    void eventsOffSendsNone() throws Exception {
        try (VideoRoomServer vr = new VideoRoomServer("general: { events = false }\n");
             VideoRoomClient client = vr.client()) {
            long handle = client.attach();
            assertThat(client.sync(handle, request("create").put("room", 7001)).path("videoroom").asText())
                    .isEqualTo("created");
            client.async(handle, request("join").put("ptype", "publisher").put("room", 7001));
            client.sync(handle, request("destroy").put("room", 7001));
            // The core's own events still flow: the handle's detach proves the handler was listening.
            client.detach(handle);
            vr.events.events.await(e -> e.path("type").asInt() == 2, 1, 5);
            assertThat(vr.events.events.all()).noneMatch(e -> e.path("type").asInt() == 64);
        }
    }
}
