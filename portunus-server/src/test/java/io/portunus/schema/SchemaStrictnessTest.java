package io.portunus.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No schema accepts anything: for every schema a valid sample (a Janus 1.1.2 recording where
 * one exists, else one written from the spec) passes, and each mutation of it fails: every
 * required member given a value of the wrong JSON type, an unknown member, an unknown subtype.
 * Also: docs/schema and the jar hold the same schemas, each listed in docs/schema/README.md.
 */
class SchemaStrictnessTest {
    private static final Path DOCS = Schemas.repoPath("docs/schema");

    /** One valid instance per schema name. */
    static Map<String, JsonNode> samples() throws Exception {
        Map<String, JsonNode> samples = new LinkedHashMap<>();
        for (JsonNode event : JanusRecordingsSchemaTest.recordedEvents()) {
            samples.putIfAbsent(JanusRecordingsSchemaTest.schemaOf(event), event);
        }
        for (JanusRecordingsSchemaTest.Exchange e : JanusRecordingsSchemaTest.recordedAdminExchanges()) {
            samples.putIfAbsent(Schemas.forAdminReply(e.verb(), e.reply()), e.reply());
        }
        samples.putIfAbsent("handle-info", samples.get("admin-handle-info").get("info"));
        // Kinds no recording holds, written from the spec (events.md, admin-api.md).
        String header = "\"emitter\":\"Portunus\",\"timestamp\":1795307353498090,\"session_id\":12,\"handle_id\":34";
        samples.put("event-media-slowlink", parse("{" + header + ",\"type\":32,\"subtype\":2,\"event\":{\"mid\":\"1\",\"media\":\"video\",\"slow_link\":\"downlink\",\"lost_lastsec\":9}}"));
        samples.put("event-core-shutdown", parse("{\"emitter\":\"Portunus\",\"type\":256,\"subtype\":2,\"timestamp\":1795307353498090,\"event\":{\"status\":\"shutdown\",\"signum\":15}}"));
        String success = "\"janus\":\"success\",\"transaction\":\"t\"";
        samples.put("admin-accept-new-sessions", parse("{" + success + ",\"accept\":false}"));
        samples.put("admin-set-nack-optimizations", parse("{" + success + ",\"nack-optimizations\":true}"));
        samples.put("admin-loops-info", parse("{" + success + ",\"loops\":[{\"id\":0,\"handles\":3}]}"));
        samples.put("admin-token-plugins", parse("{" + success + ",\"data\":{\"plugins\":[\"janus.plugin.echotest\"]}}"));
        samples.put("admin-list-tokens", parse("{" + success + ",\"data\":{\"tokens\":[{\"token\":\"a\",\"allowed_plugins\":[\"janus.plugin.echotest\"]}]}}"));
        samples.put("admin-test-stun", parse("{" + success + ",\"public_ip\":\"127.0.0.1\",\"public_port\":3478,\"elapsed\":120}"));
        samples.put("event", samples.get("event-webrtc-selected-pair"));
        samples.put("admin-reply", samples.get("admin-get-status"));
        samples.values().removeIf(v -> v == null);
        return samples;
    }

    @Test
    void everySchemaHasASampleAndTheSampleValidates() throws Exception {
        Map<String, JsonNode> samples = samples();
        Set<String> names = new HashSet<>(Schemas.names());
        names.remove("common");  // definitions only, no instance of its own
        assertThat(samples.keySet()).containsAll(names);
        samples.forEach(Schemas::assertValid);
    }

    @Test
    void everySchemaRejectsEachRequiredMemberOfTheWrongType() throws Exception {
        for (Map.Entry<String, JsonNode> sample : samples().entrySet()) {
            String schema = sample.getKey();
            List<String> paths = requiredLeaves(sample.getValue(), "");
            assertThat(paths).as("mutable members of %s's sample", schema).isNotEmpty();
            for (String path : paths) {
                JsonNode mutated = withWrongType(sample.getValue(), path);
                assertThat(Schemas.problems(schema, mutated.toString()))
                        .as("%s must reject %s of the wrong type", schema, path).isNotEmpty();
            }
        }
    }

    @Test
    void everySchemaRejectsAnUnknownMemberAndOtherKindsOfValue() throws Exception {
        for (Map.Entry<String, JsonNode> sample : samples().entrySet()) {
            String schema = sample.getKey();
            ObjectNode extra = sample.getValue().deepCopy();
            extra.put("no-such-member", 1);
            assertThat(Schemas.problems(schema, extra.toString())).as("%s with an unknown member", schema).isNotEmpty();
            for (String other : List.of("{}", "[]", "\"event\"", "42", "null")) {
                assertThat(Schemas.problems(schema, other)).as("%s against %s", schema, other).isNotEmpty();
            }
        }
    }

    @Test
    void eventSchemasRejectAnUnknownTypeOrSubtype() throws Exception {
        for (JsonNode event : JanusRecordingsSchemaTest.recordedEvents()) {
            ObjectNode badSubtype = event.deepCopy();
            badSubtype.put("subtype", 99);
            assertThat(Schemas.problems("event", badSubtype.toString())).as("subtype 99 of %s", event.get("type")).isNotEmpty();
            assertThat(Schemas.problems(JanusRecordingsSchemaTest.schemaOf(event), badSubtype.toString())).isNotEmpty();
            ObjectNode badType = event.deepCopy();
            badType.put("type", 512);
            assertThat(Schemas.problems("event", badType.toString())).as("type 512").isNotEmpty();
            ObjectNode noType = event.deepCopy();
            noType.remove("type");
            assertThat(Schemas.problems("event", noType.toString())).as("no type").isNotEmpty();
        }
    }

    @Test
    void docsAndJarHoldTheSameSchemasAllListedInTheIndex() throws Exception {
        String index = Files.readString(DOCS.resolve("README.md"));
        for (String name : Schemas.names()) {
            String file = name + ".schema.json";
            assertThat(Schemas.text(name)).as(file).isEqualTo(Files.readString(DOCS.resolve(file), StandardCharsets.UTF_8));
            assertThat(index).as("README lists " + file).contains("(" + file + ")");
            JsonNode schema = parse(Schemas.text(name));
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("$id").asText()).isEqualTo(Schemas.ID_PREFIX + file);
        }
    }

    /**
     * JSON Pointers to the members a schema requires: the top level's and, one level down,
     * those of the {@code event}, {@code info}, {@code status}, {@code error} and {@code data} objects.
     */
    private static List<String> requiredLeaves(JsonNode sample, String at) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = sample.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (List.of("opaque_id", "seq", "session_id", "handle_id", "subtype").contains(key) && at.isEmpty()) {
                continue;  // optional in some kinds
            }
            out.add(at + "/" + key);
            JsonNode value = sample.get(key);
            if (at.isEmpty() && value.isObject() && List.of("event", "status", "error").contains(key)) {
                out.addAll(requiredLeaves(value, "/" + key));
            }
        }
        return out;
    }

    private static JsonNode withWrongType(JsonNode sample, String pointer) {
        ObjectNode copy = sample.deepCopy();
        int slash = pointer.lastIndexOf('/');
        ObjectNode parent = (ObjectNode) (slash == 0 ? copy : copy.at(pointer.substring(0, slash)));
        String key = pointer.substring(slash + 1);
        JsonNode value = parent.get(key);
        JsonNode wrong = value.isTextual() ? IntNode.valueOf(7)
                : value.isArray() ? Json.object()
                : value.isObject() ? (ArrayNode) Json.MAPPER.createArrayNode().add(1)
                : TextNode.valueOf("seven");
        parent.set(key, wrong);
        return copy;
    }

    private static JsonNode parse(String json) {
        return JanusRecordingsSchemaTest.parse(json);
    }
}
