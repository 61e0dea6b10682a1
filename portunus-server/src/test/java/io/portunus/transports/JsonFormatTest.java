package io.portunus.transports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.portunus.core.DecimalIds;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Janus's three JSON styles, laid out as Janus 1.1.2 writes them (jansson, 3-space indent). */
class JsonFormatTest {
    private static ObjectNode reply() {
        ObjectNode o = Json.object();
        o.put("janus", "success");
        o.put("transaction", "t\"1\\\n\u0001é€😀");
        o.putObject("empty");
        o.putArray("none");
        ObjectNode info = o.putObject("info");
        info.put("n", 4094319646506990L);
        info.put("zero", 0);
        info.put("neg", -7);
        info.put("min", Long.MIN_VALUE);
        info.put("max", Long.MAX_VALUE);
        info.put("ten", 10);
        info.put("ok", true);
        info.putNull("nothing");
        info.put("ms", 3.110458);
        info.putArray("list").add(1).add("a");
        return o;
    }

    @Test
    void indentedIsJanssonsLayout() {
        String text = JsonFormat.INDENTED.text(reply());
        assertThat(text).isEqualTo("""
                {
                   "janus": "success",
                   "transaction": "t\\"1\\\\\\n\\u0001é€😀",
                   "empty": {},
                   "none": [],
                   "info": {
                      "n": 4094319646506990,
                      "zero": 0,
                      "neg": -7,
                      "min": -9223372036854775808,
                      "max": 9223372036854775807,
                      "ten": 10,
                      "ok": true,
                      "nothing": null,
                      "ms": 3.110458,
                      "list": [
                         1,
                         "a"
                      ]
                   }
                }""");
    }

    @Test
    void plainIsOneLineWithSpaces() {
        assertThat(JsonFormat.PLAIN.text(reply())).isEqualTo("{\"janus\": \"success\", \"transaction\": \"t\\\"1\\\\\\n\\u0001é€😀\", "
                + "\"empty\": {}, \"none\": [], \"info\": {\"n\": 4094319646506990, \"zero\": 0, \"neg\": -7, "
                + "\"min\": -9223372036854775808, \"max\": 9223372036854775807, \"ten\": 10, \"ok\": true, "
                + "\"nothing\": null, \"ms\": 3.110458, \"list\": [1, \"a\"]}}");
    }

    @Test
    void everyStyleParsesBackToTheSameTreeAndIdsAreCopiedAsDigits() throws Exception {
        ObjectNode withIds = reply();
        byte[][] digits = {"123".getBytes(StandardCharsets.US_ASCII), "9007199254740991".getBytes(StandardCharsets.US_ASCII)};
        withIds.putPOJO("sessions", (DecimalIds) () -> digits);
        ObjectNode expected = reply();
        expected.putArray("sessions").add(123).add(9007199254740991L);
        for (JsonFormat format : new JsonFormat[] {JsonFormat.INDENTED, JsonFormat.PLAIN}) {
            JsonNode parsed = Json.MAPPER.readTree(format.bytes(withIds));
            assertThat(parsed).as(format.name()).isEqualTo(Json.MAPPER.readTree(JsonFormat.COMPACT.bytes(expected)));
            assertThat(format.text(withIds)).isEqualTo(format.text(expected));
        }
        assertThat(JsonFormat.INDENTED.text(withIds)).endsWith("\"sessions\": [\n      123,\n      9007199254740991\n   ]\n}");
    }

    /**
     * Long strings (an SDP) take the UTF-8 copy path and nesting deeper than the indentation
     * template the part-by-part path: both must lay out what Jackson's own writer escapes.
     */
    @Test
    void longStringsAndDeepNestingAreWrittenAsShortOnes() throws Exception {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=\"quoted\" \\ back\tslash é€😀 \u0001\r\n".repeat(40);
        ObjectNode root = Json.object();
        ObjectNode level = root;
        for (int depth = 0; depth < 40; depth++) {
            level = level.putObject("d" + depth);
        }
        level.put("sdp", sdp);
        String written = JsonFormat.INDENTED.text(root);
        assertThat(Json.MAPPER.readTree(written)).isEqualTo(root);
        String escaped = Json.MAPPER.writeValueAsString(sdp);
        assertThat(written).contains("\"sdp\": " + escaped + "\n");
        assertThat(written).contains("\n" + " ".repeat(3 * 40) + "\"d39\": {");
        assertThat(JsonFormat.PLAIN.text(root)).contains("\"sdp\": " + escaped + "}");
    }

    /**
     * An SDP written again (the same String, as handle_info gives it each time) is copied from
     * what the thread wrote before: the bytes must be those of writing it afresh, also when other
     * long strings took the remembered slots in between.
     */
    @Test
    void longStringsWrittenAgainAreTheSameBytes() throws Exception {
        String[] sdps = new String[100];
        for (int i = 0; i < sdps.length; i++) {
            sdps[i] = ("v=0\r\no=- " + i + " 2 IN IP4 127.0.0.1\r\ns=\"q\" \\ é€😀 \u0001\r\n").repeat(20 + i);
        }
        for (int round = 0; round < 3; round++) {
            for (String sdp : sdps) {
                ObjectNode root = Json.object();
                root.putObject("sdps").put("local", sdp).put("remote", new String(sdp.toCharArray()));
                String escaped = Json.MAPPER.writeValueAsString(sdp);
                assertThat(JsonFormat.INDENTED.text(root)).isEqualTo(
                        "{\n   \"sdps\": {\n      \"local\": " + escaped + ",\n      \"remote\": " + escaped + "\n   }\n}");
                assertThat(JsonFormat.PLAIN.text(root)).isEqualTo(
                        "{\"sdps\": {\"local\": " + escaped + ", \"remote\": " + escaped + "}}");
            }
        }
    }

    /**
     * A short string with an escape (six bytes for one character) or a non-ASCII character and
     * plain ones after it, written just where a fresh thread's buffer (1 KB) ends, at every
     * offset around it: the buffer must grow on the way, wherever the escape falls.
     */
    @Test
    void shortStringsThatGrowTheBufferOnTheWayAreWhole() throws Exception {
        for (int pad = 960; pad < 1040; pad++) {
            ArrayNode root = Json.MAPPER.createArrayNode();
            root.add("x".repeat(pad)).add("\u0001y").add("\\").add("é€😀z").add("a\"\"\"\"\"\"\"\"b");
            String[] written = new String[2];
            Thread t = new Thread(() -> {
                written[0] = JsonFormat.PLAIN.text(root);
                written[1] = JsonFormat.INDENTED.text(root);
            });
            t.start();
            t.join();
            assertThat(written[0]).as("pad %d", pad).isNotNull();
            assertThat(Json.MAPPER.readTree(written[0])).isEqualTo(root);
            assertThat(Json.MAPPER.readTree(written[1])).isEqualTo(root);
        }
    }

    /** Integers are written digit by digit into the buffer: every length and sign as Long.toString writes them. */
    @Test
    void integersOfEveryLengthAndSign() {
        List<Long> values = new ArrayList<>();
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            for (long v : new long[] {p - 1, p, p + 1, 9 * p, 10 * p - 1}) {
                values.add(v);
                values.add(-v);
            }
        }
        Random random = new Random(16);
        for (int i = 0; i < 1000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        values.add(Long.MAX_VALUE);
        values.add(Long.MIN_VALUE);
        ArrayNode array = Json.MAPPER.createArrayNode();
        StringBuilder expected = new StringBuilder("[");
        for (long v : values) {
            if (v == (int) v) {
                array.add((int) v);
            } else {
                array.add(v);
            }
            expected.append(expected.length() > 1 ? ", " : "").append(v);
        }
        assertThat(JsonFormat.PLAIN.text(array)).isEqualTo(expected.append(']').toString());
    }

    /**
     * Member names are copied as the thread wrote them before when they are the same String: with
     * far more names than remembered slots (so slots are taken over), names with escapes and
     * non-ASCII characters, equal names that are other objects (round 1), and names of 64
     * characters (too long to be remembered), every reply must be what writing it afresh gives.
     */
    @Test
    void memberNamesWrittenAgainAreTheSameBytes() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            names.add(switch (i % 4) {
                case 0 -> "name" + i;
                case 1 -> "q\"" + i + "\\\u0001";
                case 2 -> "é€😀" + i;
                default -> "n".repeat(60) + i;
            });
        }
        for (int round = 0; round < 3; round++) {
            for (int from = 0; from < names.size(); from += 97) {
                ObjectNode root = Json.object();
                StringBuilder expected = new StringBuilder("{");
                for (int i = from; i < Math.min(from + 150, names.size()); i++) {
                    String name = round == 1 ? new String(names.get(i).toCharArray()) : names.get(i);
                    root.put(name, i);
                    expected.append(expected.length() > 1 ? ", " : "")
                            .append(Json.MAPPER.writeValueAsString(name)).append(": ").append(i);
                }
                assertThat(JsonFormat.PLAIN.text(root)).isEqualTo(expected.append('}').toString());
                assertThat(Json.MAPPER.readTree(JsonFormat.INDENTED.bytes(root))).isEqualTo(root);
            }
        }
    }

    /** The transports' buffer holds exactly the bytes of {@code bytes()}, in every style. */
    @Test
    void theBufferForASocketHoldsTheSameBytes() {
        for (JsonFormat format : JsonFormat.values()) {
            ByteBuf buf = format.buffer(reply(), ByteBufAllocator.DEFAULT);
            try {
                assertThat(ByteBufUtil.getBytes(buf)).as(format.name()).isEqualTo(format.bytes(reply()));
            } finally {
                buf.release();
            }
        }
    }
}
