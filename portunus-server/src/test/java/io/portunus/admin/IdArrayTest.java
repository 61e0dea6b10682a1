package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.transports.JsonFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class IdArrayTest {
    @Test
    void everyJsonFormatWritesTheSameArrayAsJacksonWould() throws Exception {
        long[] ids = {4094319646506990L, 1, 0, 9_007_199_254_740_991L};
        byte[][] decimal = new byte[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            decimal[i] = Long.toString(ids[i]).getBytes(StandardCharsets.US_ASCII);
        }
        for (JsonFormat format : JsonFormat.values()) {
            ObjectNode ours = Json.object();
            ours.put("janus", "success");
            ours.putPOJO("sessions", new IdArray(decimal));
            ours.put("after", true);
            ObjectNode plain = Json.object();
            plain.put("janus", "success");
            var list = plain.putArray("sessions");
            for (long id : ids) {
                list.add(id);
            }
            plain.put("after", true);
            JsonNode parsed = Json.MAPPER.readTree(format.bytes(ours));
            assertThat(parsed).as(format.name()).isEqualTo(Json.MAPPER.readTree(format.bytes(plain)));
            if (format != JsonFormat.COMPACT) {
                assertThat(format.text(ours)).as(format.name() + " keeps the indentation").isEqualTo(format.text(plain));
            }
        }
        assertThat(new String(JsonFormat.COMPACT.bytes(Json.object().putPOJO("s", new IdArray(new byte[0][]))),
                StandardCharsets.UTF_8)).isEqualTo("{\"s\":[]}");
    }
}
