package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares replies with exchanges recorded from Janus 1.1.2, key by key and in order. */
final class Shapes {
    private Shapes() {
    }

    /** The recorded response body of {@code src/test/resources/janus-1.1.2/admin/<file>}. */
    static JsonNode recorded(String file) {
        try (InputStream in = Shapes.class.getResourceAsStream("/janus-1.1.2/admin/" + file)) {
            return Json.MAPPER.readTree(in).path("response").path("body");
        } catch (Exception e) {
            throw new AssertionError("cannot read recorded exchange " + file, e);
        }
    }

    /** Every object key path, in order, with the JSON type of its value ("session_id:number"). */
    static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        walk("", node, out);
        return out;
    }

    private static void walk(String prefix, JsonNode node, List<String> out) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                JsonNode child = node.get(n);
                out.add(prefix + n + ":" + type(child));
                walk(prefix + n + ".", child, out);
            }
        }
    }

    private static String type(JsonNode n) {
        if (n.isNumber()) {
            return "number";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isArray()) {
            return "array";
        }
        return n.isObject() ? "object" : "null";
    }

    /** Same keys, same order, same value types as the recording. */
    static void assertSameShape(JsonNode actual, String recordedFile) {
        assertThat(keys(actual)).as("shape of %s vs %s", actual, recordedFile).isEqualTo(keys(recorded(recordedFile)));
    }
}
