package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.events.JanusExamples;
import io.portunus.schema.Schemas;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.portunus.events.JanusExamples.assertSameShape;
import static io.portunus.events.JanusExamples.first;
import static io.portunus.events.JanusExamples.kind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must-show 1: sessions driven by a real client over the real server; the HTTP, WebSocket and
 * GELF (UDP and TCP) receivers each get every event kind the server emits so far, each
 * checked key by key against the events recorded from Janus 1.1.2, in order within each session.
 */
class EventStreamTest {

    /** What the scenario did, to check each receiver against. */
    record Scenario(long httpSession, long httpHandle, long wsSession, long wsHandle, long timedOutSession) {
    }

    @Test
    void httpWebSocketAndGelfUdpReceiversGetTheWholeStream() throws Exception {
        try (HttpEventReceiver http = new HttpEventReceiver(); WsEventReceiver ws = new WsEventReceiver();
             GelfReceiver gelf = GelfReceiver.udp()) {
            Scenario s;
            try (EventServer server = new EventServer("session_timeout = 2", "broadcast = true", Map.of(
                    "janus.eventhandler.sampleevh.jcfg", """
                            general: { enabled = true, events = "all", grouping = true, backend = "%s" }
                            """.formatted(http.url()),
                    "janus.eventhandler.wsevh.jcfg", """
                            general: { enabled = true, events = "all", backend = "%s" }
                            """.formatted(ws.url()),
                    "janus.eventhandler.gelfevh.jcfg", """
                            general: { enabled = true, events = "all", backend = "127.0.0.1", port = "%d",
                                       protocol = "udp", max_message_len = 300, compress = true }
                            """.formatted(gelf.port())))) {
                s = runScenario(server, List.of(http.events, ws.events, gelf.events));
            }
            for (Received r : List.of(http.events, ws.events, gelf.events)) {
                r.await(e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 2, 1, 5);
                checkStream(r.all(), s, true);
            }
            // grouping: every POST is a JSON array; the big start-up event was chunked and gzipped over UDP.
            assertThat(http.posts).allSatisfy(p -> assertThat(p.json().isArray()).isTrue());
            assertThat(http.posts.getFirst().headers().getFirst("Content-Type")).isEqualTo("application/json");
            assertThat(gelf.chunkedMessages.get()).isPositive();
            assertThat(gelf.compressedMessages.get()).isEqualTo(gelf.gelf.size());
            checkGelfEnvelopes(gelf);
        }
    }

    @Test
    void gelfOverTcpGetsTheWholeStreamNullFramed() throws Exception {
        try (GelfReceiver gelf = GelfReceiver.tcp()) {
            Scenario s;
            try (EventServer server = new EventServer("", "broadcast = true", Map.of(
                    "janus.eventhandler.gelfevh.jcfg", """
                            general: { enabled = true, events = "all", backend = "127.0.0.1", port = "%d",
                                       protocol = "tcp", compress = true }
                            """.formatted(gelf.port())))) {
                s = runScenario(server, List.of(gelf.events), false);
            }
            gelf.events.await(e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 2, 1, 5);
            checkStream(gelf.events.all(), s, false);
            assertThat(gelf.compressedMessages.get()).as("compression is off over TCP").isZero();
            checkGelfEnvelopes(gelf);
        }
    }

    private Scenario runScenario(EventServer server, List<Received> receivers) throws Exception {
        return runScenario(server, receivers, true);
    }

    /** Drives the server like a user would: over HTTP, over WebSockets, through the Admin API. */
    static Scenario runScenario(EventServer server, List<Received> receivers, boolean withTimeout) throws Exception {
        ApiClient api = new ApiClient();
        long s1 = api.create(server.janus());
        long h1 = api.attach(server.janus(), s1, "evt-http");
        ObjectNode message = ApiClient.request("message");
        message.putObject("body").put("audio", false);
        assertThat(api.post(server.janus() + "/" + s1 + "/" + h1, message).path("janus").asText()).isEqualTo("ack");
        // Wait for the plugin's event (long poll) so that the detach comes after it, as a client's would.
        HttpEventReceiverPoll.awaitEvent(server.janus() + "/" + s1);
        assertThat(api.post(server.janus() + "/" + s1 + "/" + h1, ApiClient.request("detach")).path("janus").asText())
                .isEqualTo("success");
        assertThat(api.post(server.janus() + "/" + s1, ApiClient.request("destroy")).path("janus").asText())
                .isEqualTo("success");

        long s2;
        long h2;
        try (ApiClient.Ws ws = new ApiClient.Ws(server.ws())) {
            s2 = ws.request(ApiClient.request("create")).at("/data/id").asLong();
            ObjectNode attach = ApiClient.request("attach").put("plugin", "janus.plugin.echotest").put("session_id", s2);
            h2 = ws.request(attach).at("/data/id").asLong();
        }
        ObjectNode custom = ApiClient.request("custom_event").put("schema", "anchor.custom");
        custom.putObject("data").put("hello", "world").put("n", 42);
        assertThat(api.admin(server.admin(), custom).path("janus").asText()).isEqualTo("success");

        long s3 = 0;
        if (withTimeout) {
            s3 = api.create(server.janus());
        }
        for (Received r : receivers) {
            r.await(Received.named(1, "destroyed").and(e -> e.path("session_id").asLong() == s2), 1, 10);
            if (withTimeout) {
                long timedOut = s3;
                r.await(Received.named(1, "timeout").and(e -> e.path("session_id").asLong() == timedOut), 1, 10);
            }
        }
        return new Scenario(s1, h1, s2, h2, s3);
    }

    private static List<JsonNode> ofSession(List<JsonNode> events, long session) {
        return events.stream().filter(e -> e.path("session_id").asLong() == session).toList();
    }

    private static List<String> kinds(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            JsonNode body = e.get("event");
            out.add(e.get("type").asInt() + ":" + (body.has("name") ? body.get("name").asText() : body.path("plugin").asText()));
        }
        return out;
    }

    static void checkStream(List<JsonNode> all, Scenario s, boolean withTimeout) {
        long now = System.currentTimeMillis() * 1000;
        for (JsonNode e : all) {
            assertThat(e.get("emitter").asText()).isEqualTo(EventServer.NAME);
            assertThat(e.get("timestamp").asLong()).as("µs since the epoch").isBetween(now - 120_000_000L, now + 1_000_000L);
            assertThat(e.has("seq")).as("no Portunus-only keys by default").isFalse();
            Schemas.assertValidEvent(e);
        }
        // Core: started first, shutdown last, shaped as Janus's.
        JsonNode started = all.getFirst();
        assertThat(started.get("type").asInt()).isEqualTo(256);
        assertThat(started.get("subtype").asInt()).isEqualTo(1);
        // server_info's own keys depend on the configuration (log-path, ...): compared by the Admin API tests.
        assertSameShape(withoutInfo(started), withoutInfo(first(kind(256, 1))), "core started");
        assertThat(started.at("/event/status").asText()).isEqualTo("started");
        assertThat(started.at("/event/info/janus").asText()).isEqualTo("server_info");
        assertThat(started.at("/event/info").has("transaction")).isFalse();
        assertThat(started.at("/event/info/server-name").asText()).isEqualTo(EventServer.NAME);
        assertThat(started.at("/event/info/event_handlers").asBoolean()).isTrue();
        JsonNode shutdown = all.getLast();
        assertThat(shutdown.toString()).matches("\\{\"emitter\":\"" + EventServer.NAME
                + "\",\"type\":256,\"subtype\":2,\"timestamp\":\\d+,\"event\":\\{\"status\":\"shutdown\",\"signum\":0}}");

        // The HTTP session, in order, each key by key.
        List<JsonNode> http = ofSession(all, s.httpSession());
        assertThat(kinds(http)).containsExactly("1:created", "2:attached", "64:janus.plugin.echotest", "2:detached", "1:destroyed");
        assertSameShape(http.get(0), first(kind(1, "name", "created")), "created");
        assertThat(http.get(0).at("/event/transport/transport").asText()).isEqualTo("janus.transport.http");
        assertSameShape(http.get(1), first(kind(2, "name", "attached")), "attached");
        assertThat(http.get(1).get("handle_id").asLong()).isEqualTo(s.httpHandle());
        assertThat(http.get(1).get("opaque_id").asText()).isEqualTo("evt-http");
        assertThat(http.get(1).get("event")).isEqualTo(Json.MAPPER.createObjectNode().put("name", "attached")
                .put("plugin", "janus.plugin.echotest").put("opaque_id", "evt-http"));
        assertSameShape(http.get(2), first(kind(64, 0)), "plugin");
        assertThat(http.get(2).at("/event/data").toString())
                .isEqualTo("{\"audio_active\":false,\"video_active\":true,\"bitrate\":0}");
        // Janus's recorded detach had no opaque_id; with one it has the attached event's keys.
        assertSameShape(http.get(3), first(kind(2, "name", "attached")), "detached");
        assertThat(http.get(3).at("/event/name").asText()).isEqualTo("detached");
        assertSameShape(http.get(4), first(kind(1, "name", "destroyed")), "destroyed");
        assertTimesDoNotGoBack(http);

        // HTTP transport events: one per request, Janus API and Admin API, the same instance id as the session's.
        Predicate<JsonNode> httpRequest = e -> e.path("type").asInt() == 128
                && e.at("/event/transport").asText().equals("janus.transport.http");
        List<JsonNode> requests = all.stream().filter(httpRequest).toList();
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertSameShape(r, first(kind(128, "transport", "janus.transport.http")), "http request");
            assertThat(r.at("/event/data/event").asText()).isEqualTo("request");
            assertThat(r.at("/event/data/ip").asText()).isEqualTo("127.0.0.1");
        });
        assertThat(requests).anySatisfy(r -> {
            assertThat(r.at("/event/data/admin_api").asBoolean()).isFalse();
            assertThat(r.at("/event/id").asText()).isEqualTo(http.get(0).at("/event/transport/id").asText());
        });
        assertThat(requests).anySatisfy(r -> assertThat(r.at("/event/data/admin_api").asBoolean()).isTrue());

        // The WebSocket session: connected, then its events, then disconnected before the teardown.
        List<JsonNode> wsSession = ofSession(all, s.wsSession());
        assertThat(kinds(wsSession)).containsExactly("1:created", "2:attached", "2:detached", "1:destroyed");
        assertThat(wsSession.get(0).at("/event/transport/transport").asText()).isEqualTo("janus.transport.websockets");
        String wsId = wsSession.get(0).at("/event/transport/id").asText();
        assertSameShape(wsSession.get(1), first(kind(2, "name", "detached")), "attached without opaque_id");
        assertSameShape(wsSession.get(2), first(kind(2, "name", "detached")), "detached");
        List<JsonNode> wsTransport = all.stream().filter(e -> e.path("type").asInt() == 128
                && e.at("/event/id").asText().equals(wsId)).toList();
        assertThat(wsTransport).hasSize(2);
        assertSameShape(wsTransport.get(0), first(kind(128, "transport", "janus.transport.websockets")), "ws connected");
        assertThat(wsTransport.get(0).at("/event/data").toString())
                .isEqualTo("{\"event\":\"connected\",\"admin_api\":false,\"ip\":\"127.0.0.1\"}");
        assertThat(wsTransport.get(1).at("/event").toString()).isEqualTo("{\"transport\":\"janus.transport.websockets\",\"id\":\""
                + wsId + "\",\"data\":{\"event\":\"disconnected\"}}");
        assertThat(all.indexOf(wsTransport.get(0))).isLessThan(all.indexOf(wsSession.get(0)));
        assertThat(all.indexOf(wsTransport.get(1))).isLessThan(all.indexOf(wsSession.get(2)));

        // External, from custom_event: exactly Janus's body.
        JsonNode external = all.stream().filter(e -> e.path("type").asInt() == 4).findFirst().orElseThrow();
        assertSameShape(external, first(kind(4, 0)), "external");
        assertThat(external.get("event")).isEqualTo(first(kind(4, 0)).get("event"));

        if (withTimeout) {
            List<JsonNode> timedOut = ofSession(all, s.timedOutSession());
            assertThat(kinds(timedOut)).containsExactly("1:created", "1:timeout");
            assertSameShape(timedOut.get(1), first(kind(1, "name", "timeout")), "timeout");
        }
    }

    private static JsonNode withoutInfo(JsonNode e) {
        ObjectNode copy = e.deepCopy();
        ((ObjectNode) copy.get("event")).putObject("info");
        return copy;
    }

    private static void assertTimesDoNotGoBack(List<JsonNode> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("timestamp").asLong()).isGreaterThanOrEqualTo(events.get(i - 1).get("timestamp").asLong());
        }
    }

    private static void checkGelfEnvelopes(GelfReceiver gelf) {
        assertThat(gelf.gelf).isNotEmpty().allSatisfy(m -> {
            JsonNode e = m.get("full_message");
            List<String> keys = new ArrayList<>();
            m.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("timestamp", "host", "version", "level", "short_message", "full_message");
            assertThat(m.get("host").asText()).isEqualTo(EventServer.NAME);
            assertThat(m.get("version").asText()).isEqualTo("1.1");
            assertThat(m.get("level").asInt()).isEqualTo(e.get("type").asInt());
            assertThat(m.get("timestamp").decimalValue().movePointRight(6).longValueExact()).isEqualTo(e.get("timestamp").asLong());
            assertThat(m.get("short_message").asText()).isEqualTo(switch (e.get("type").asInt()) {
                case 1 -> "Sessions";
                case 2 -> "Handles";
                case 4 -> "External";
                case 64 -> "Plugins";
                case 128 -> "Transports";
                case 256 -> "Core";
                default -> "?";
            });
        });
    }

    static {
        // Fail early and clearly if the Janus examples are missing from the test resources.
        JanusExamples.first(kind(1, "name", "created"));
    }
}
