package io.portunus.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event and Admin reply that a real Janus 1.1.2 produced (the recordings of
 * ../shared/janus-examples, copied to the test resources) validates against its schema.
 */
class JanusRecordingsSchemaTest {

    /** The 34 recorded events: one of each type, subtype and name Janus sent to its handler. */
    static List<JsonNode> recordedEvents() {
        try (InputStream in = JanusRecordingsSchemaTest.class.getResourceAsStream("/io/portunus/events/janus-1.1.2-one-of-each-kind.jsonl")) {
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

    /** A recorded Admin exchange: the verb asked and the body Janus answered. */
    record Exchange(String file, String verb, JsonNode reply) {
    }

    static List<Exchange> recordedAdminExchanges() throws IOException, URISyntaxException {
        Path folder = Paths.get(JanusRecordingsSchemaTest.class.getResource("/janus-1.1.2/admin").toURI());
        List<Exchange> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                JsonNode recording = Json.MAPPER.readTree(file.toFile());
                JsonNode body = recording.path("request").path("body");
                String url = recording.path("request").path("url").asText();
                String verb = body.isObject() ? body.path("janus").asText() : url.substring(url.lastIndexOf('/') + 1);
                out.add(new Exchange(file.getFileName().toString(), verb, recording.path("response").path("body")));
            }
        }
        return out;
    }

    /** The per-type schema an event must match (event.schema.json picks exactly one of them). */
    static String schemaOf(JsonNode event) {
        int type = event.path("type").asInt();
        int subtype = event.path("subtype").asInt(0);
        return switch (type) {
            case 1 -> "event-session";
            case 2 -> "event-handle";
            case 4 -> "event-external";
            case 8 -> "event-jsep";
            case 16 -> switch (subtype) {
                case 1 -> "event-webrtc-ice";
                case 2 -> "event-webrtc-local-candidate";
                case 3 -> "event-webrtc-remote-candidate";
                case 4 -> "event-webrtc-selected-pair";
                case 5 -> "event-webrtc-dtls";
                default -> "event-webrtc-state";
            };
            case 32 -> switch (subtype) {
                case 1 -> "event-media-state";
                case 2 -> "event-media-slowlink";
                default -> "event-media-stats";
            };
            case 64 -> "event-plugin";
            case 128 -> "event-transport";
            default -> subtype == 2 ? "event-core-shutdown" : "event-core-startup";
        };
    }

    @Test
    void everyRecordedJanusEventValidates() {
        List<JsonNode> events = recordedEvents();
        assertThat(events).hasSize(34);
        for (JsonNode event : events) {
            Schemas.assertValid(schemaOf(event), event);
            Schemas.assertValidEvent(event);
        }
    }

    @Test
    void theRecordingsAreThoseOfTheSharedExamples() throws IOException {
        // The copy in the test resources is the one CI has; when the shared folder is there, they agree.
        Path shared = Paths.get("..", "shared", "janus-examples", "events", "one-of-each-kind.jsonl");
        Path sharedAbsolute = Paths.get("/work/shared/janus-examples/events/one-of-each-kind.jsonl");
        Path found = Files.exists(shared) ? shared : sharedAbsolute;
        if (Files.exists(found)) {
            List<JsonNode> there = Files.readAllLines(found).stream().filter(l -> !l.isBlank()).map(JanusRecordingsSchemaTest::parse).toList();
            assertThat(there).isEqualTo(recordedEvents());
        }
    }

    @Test
    void everyRecordedAdminReplyValidates() throws Exception {
        List<Exchange> exchanges = recordedAdminExchanges();
        assertThat(exchanges).hasSizeGreaterThanOrEqualTo(54);
        for (Exchange exchange : exchanges) {
            String schema = Schemas.forAdminReply(exchange.verb(), exchange.reply());
            assertThat(Schemas.problems(schema, exchange.reply().toString())).as(exchange.file() + " against " + schema).isEmpty();
        }
    }

    @Test
    void handleInfoOfALiveEchoTestCallValidates() throws Exception {
        JsonNode info = recordedAdminExchanges().stream().filter(e -> e.file().startsWith("078-")).findFirst().orElseThrow().reply().path("info");
        assertThat(info.path("webrtc").path("media").size()).isEqualTo(2);
        Schemas.assertValid("handle-info", info);
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
