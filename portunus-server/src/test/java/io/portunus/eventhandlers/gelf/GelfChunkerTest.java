package io.portunus.eventhandlers.gelf;

import io.portunus.core.Json;
import io.portunus.core.event.SerializedEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GELF 1.1 chunking and the message Janus's gelfevh builds (event-handlers.md §6). */
class GelfChunkerTest {

    @Test
    void aPayloadThatFitsIsOneDatagramAsItIs() {
        byte[] p = new byte[500];
        assertThat(GelfChunker.chunks(p, 500, 1)).containsExactly(p);
    }

    @Test
    void aLongerPayloadIsChunkedWithMagicIdSequenceAndCount() {
        byte[] p = new byte[1201];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) i;
        }
        List<byte[]> chunks = GelfChunker.chunks(p, 500, 0x0102030405060708L);
        assertThat(chunks).hasSize(3);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] c = chunks.get(i);
            assertThat(c[0]).isEqualTo((byte) 0x1e);
            assertThat(c[1]).isEqualTo((byte) 0x0f);
            assertThat(Arrays.copyOfRange(c, 2, 10)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(c[10]).isEqualTo((byte) i);
            assertThat(c[11]).isEqualTo((byte) 3);
            whole.writeBytes(Arrays.copyOfRange(c, 12, c.length));
        }
        assertThat(chunks.get(2)).hasSize(12 + 201);
        assertThat(whole.toByteArray()).isEqualTo(p);
    }

    @Test
    void moreThan128ChunksIsRefused() {
        assertThat(GelfChunker.chunks(new byte[128 * 10], 10, 1)).hasSize(128);
        assertThat(GelfChunker.chunks(new byte[128 * 10 + 1], 10, 1)).isEmpty();
    }

    @Test
    void theMessageWrapsTheEventAsJanusDoes() throws Exception {
        byte[] event = "{\"emitter\":\"J\",\"type\":4,\"timestamp\":1795307371730220,\"event\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] m = GelfMessage.wrap(new SerializedEvent(event, 4, 1795307371730220L, -1), "My \"Janus\"");
        assertThat(new String(m, StandardCharsets.UTF_8)).isEqualTo("{\"timestamp\":1795307371.730220,\"host\":\"My \\\"Janus\\\"\","
                + "\"version\":\"1.1\",\"level\":4,\"short_message\":\"External\",\"full_message\":" + new String(event, StandardCharsets.UTF_8) + "}");
        assertThat(Json.MAPPER.readTree(m).get("full_message").get("type").asInt()).isEqualTo(4);
    }
}
