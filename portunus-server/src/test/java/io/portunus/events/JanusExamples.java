package io.portunus.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The events recorded from Janus 1.1.2 (one of each kind), and a key-by-key shape comparison. */
public final class JanusExamples {
    private static final List<JsonNode> EVENTS = load();

    private JanusExamples() {
    }

    private static List<JsonNode> load() {
        try (InputStream in = JanusExamples.class.getResourceAsStream("janus-1.1.2-one-of-each-kind.jsonl")) {
            List<JsonNode> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first recorded event matching {@code which}. */
    public static JsonNode first(Predicate<JsonNode> which) {
        return EVENTS.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such Janus example"));
    }

    public static Predicate<JsonNode> kind(int type, int subtype) {
        return e -> e.path("type").asInt() == type && e.path("subtype").asInt(0) == subtype;
    }

    public static Predicate<JsonNode> kind(int type, String field, String value) {
        return e -> e.path("type").asInt() == type && value.equals(e.path("event").path(field).asText(null));
    }

    /**
     * Same keys in the same order and the same JSON kinds of value, recursively (values may
     * differ: ids, times, server names). Arrays are compared element by element up to the
     * shorter one, since lists such as {@code plugins} differ between servers.
     */
    public static void assertSameShape(JsonNode actual, JsonNode janus, String path) {
        assertThat(actual.getNodeType()).as("kind of %s", path).isEqualTo(janus.getNodeType());
        if (janus.isObject()) {
            List<String> a = new ArrayList<>();
            actual.fieldNames().forEachRemaining(a::add);
            List<String> j = new ArrayList<>();
            janus.fieldNames().forEachRemaining(j::add);
            assertThat(a).as("keys of %s", path).containsExactlyElementsOf(j);
            Iterator<Map.Entry<String, JsonNode>> it = janus.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                assertSameShape(actual.get(e.getKey()), e.getValue(), path + "." + e.getKey());
            }
        } else if (janus.isArray()) {
            for (int i = 0; i < Math.min(actual.size(), janus.size()); i++) {
                assertSameShape(actual.get(i), janus.get(i), path + "[" + i + "]");
            }
        }
    }
}
