package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.portunus.plugins.videoroom.RoomRequestsTest.assertError;
import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code string_ids = true}: rooms and participants named by strings, as Janus 1.1.2 answered them. */
class StringIdsTest {

    @Test
    void roomsAndParticipantsAreStrings() throws Exception {
        String config = """
                general: { admin_key = "k", string_ids = true }
                room-demo: { description = "Demo", secret = "s" }
                """;
        try (VideoRoomServer vr = new VideoRoomServer(config); VideoRoomClient client = vr.client()) {
            long handle = client.attach();
            assertThat(client.sync(handle, request("exists").put("room", "demo")).toString())
                    .isEqualTo("{\"videoroom\":\"success\",\"room\":\"demo\",\"exists\":true}");
            assertError(client.sync(handle, request("exists").put("room", 1234)), 430,
                    "Invalid element type (room should be a string)");
            assertThat(client.sync(handle, request("create").put("room", "").put("admin_key", "k")).toString())
                    .as("an empty string is a room id too").isEqualTo(
                            "{\"videoroom\":\"created\",\"room\":\"\",\"permanent\":false}");
            JsonNode random = client.sync(handle, request("create").put("admin_key", "k"));
            assertThat(random.path("room").asText()).matches("[0-9a-f-]{36}");

            assertError(client.async(handle, request("join").put("ptype", "publisher").put("room", "demo").put("id", 5)),
                    430, "Invalid element type (id should be a string)");
            JsonNode joined = client.async(handle, request("join").put("ptype", "publisher").put("room", "demo")
                    .put("id", "u1").put("display", "u"));
            assertThat(joined.path("id").asText()).isEqualTo("u1");
            long other = client.attach();
            assertThat(client.async(other, request("join").put("ptype", "publisher").put("room", "demo"))
                    .path("id").asText()).matches("[0-9a-f-]{36}");
            assertError(client.sync(handle, request("kick").put("room", "demo").put("secret", "s").put("id", "nobody")),
                    428, "No such user nobody in room demo");
            assertThat(client.sync(handle, request("kick").put("room", "demo").put("secret", "s").put("id", "u1"))
                    .toString()).isEqualTo("{\"videoroom\":\"success\"}");
            assertThat(client.pushed(handle, d -> d.has("leaving")).toString()).isEqualTo(
                    "{\"videoroom\":\"event\",\"room\":\"demo\",\"leaving\":\"ok\",\"reason\":\"kicked\"}");
            assertThat(client.pushed(other, d -> d.has("kicked")).path("kicked").asText()).isEqualTo("u1");
        }
    }
}
