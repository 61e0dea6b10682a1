package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code "permanent": true}: the room is written to (edited in, removed from) the configuration
 * file, so that the next start has it; without a file Janus's 499 refusals.
 */
class PermanentRoomsTest {

    static Room savedRoom(VideoRoomServer vr, long id) throws Exception {
        VideoRoomConfig saved = VideoRoomConfig.read(JcfgParser.parseFile(vr.configFile()));
        return saved.staticRooms().stream().filter(r -> r.id.equals(VideoRoomId.of(id))).findFirst().orElse(null);
    }

    @Test
    void permanentRoomsAreSavedEditedAndRemovedInTheFile() throws Exception {
        try (VideoRoomServer vr = new VideoRoomServer(VideoRoomServer.CONFIG); VideoRoomClient client = vr.client()) {
            long handle = client.attach();
            JsonNode created = client.sync(handle, request("create").put("room", 7100).put("permanent", true)
                    .put("admin_key", VideoRoomServer.ADMIN_KEY).put("description", "kept \"quoted\"")
                    .put("secret", "s").put("publishers", 2).put("videocodec", "vp9,vp8"));
            assertThat(created.toString()).isEqualTo("{\"videoroom\":\"created\",\"room\":7100,\"permanent\":true}");
            Room saved = savedRoom(vr, 7100);
            assertThat(saved).isNotNull();
            assertThat(saved.description).isEqualTo("kept \"quoted\"");
            assertThat(saved.maxPublishers).isEqualTo(2);
            assertThat(saved.videoCodecs).containsExactly("vp9", "vp8");
            assertThat(savedRoom(vr, 1234)).as("the other rooms and options stay").isNotNull();
            assertThat(VideoRoomConfig.read(JcfgParser.parseFile(vr.configFile())).adminKey())
                    .isEqualTo(VideoRoomServer.ADMIN_KEY);

            // Not permanent: the file keeps what it had.
            client.sync(handle, request("edit").put("room", 7100).put("secret", "s").put("new_description", "memory"));
            assertThat(savedRoom(vr, 7100).description).isEqualTo("kept \"quoted\"");
            JsonNode edited = client.sync(handle, request("edit").put("room", 7100).put("secret", "s")
                    .put("new_description", "on disk").put("permanent", true));
            assertThat(edited.toString()).isEqualTo("{\"videoroom\":\"edited\",\"room\":7100,\"permanent\":true}");
            assertThat(savedRoom(vr, 7100).description).isEqualTo("on disk");

            JsonNode destroyed = client.sync(handle, request("destroy").put("room", 7100).put("secret", "s")
                    .put("permanent", true));
            assertThat(destroyed.toString()).isEqualTo("{\"videoroom\":\"destroyed\",\"room\":7100,\"permanent\":true}");
            assertThat(savedRoom(vr, 7100)).isNull();
            assertThat(savedRoom(vr, 1234)).isNotNull();
            // A room destroyed only in memory stays in the file for the next start.
            client.sync(handle, request("destroy").put("room", 1234).put("secret", "adminpwd"));
            assertThat(savedRoom(vr, 1234)).isNotNull();
            assertThat(Files.readString(vr.configFile())).contains("room-1234");
        }
    }

    @Test
    void withoutAConfigurationFilePermanentIsRefused() throws Exception {
        Rooms rooms = new Rooms();
        RoomRequests requests = new RoomRequests(VideoRoomConfig.read(new ConfigGroup()), rooms, null);
        record Case(String request, ObjectNode body, String text) {
        }
        for (Case c : List.of(
                new Case("create", request("create").put("room", 1).put("permanent", true),
                        "No configuration file, can't create permanent room"),
                new Case("edit", request("edit").put("room", 2).put("permanent", true),
                        "No configuration file, can't edit room permanently"),
                new Case("destroy", request("destroy").put("room", 2).put("permanent", true),
                        "No configuration file, can't destroy room permanently"))) {
            if (c.request().equals("edit")) {
                requests.handle("create", request("create").put("room", 2), null, new Outbox());
            }
            assertThatThrownBy(() -> requests.handle(c.request(), c.body(), null, new Outbox()))
                    .isInstanceOfSatisfying(VideoRoomError.class, e -> {
                        assertThat(e.code()).isEqualTo(499);
                        assertThat(e.getMessage()).isEqualTo(c.text());
                    });
        }
        synchronized (rooms) {
            assertThat(rooms.all()).extracting(r -> r.id).containsExactly(VideoRoomId.of(2));
        }
    }
}
