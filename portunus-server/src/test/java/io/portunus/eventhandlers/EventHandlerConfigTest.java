package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.event.Event;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must-show 4: a bad configuration (unreachable backend, bad URL, unknown mask word) gives a
 * clear log line and a running server.
 */
class EventHandlerConfigTest {

    @Test
    void badConfigurationsGiveAClearLineAndTheServerRuns() throws Exception {
        int nobody = EventServer.freePort();
        try (LogCapture log = new LogCapture();
             EventServer server = new EventServer("", "broadcast = true", Map.of(
                     "janus.eventhandler.sampleevh.jcfg", """
                             general: { enabled = true, events = "sessions, sesions,handles ", grouping = false,
                                        max_retransmissions = 0, backend = "http://127.0.0.1:%d/nobody" }
                             """.formatted(nobody),
                     "janus.eventhandler.wsevh.jcfg", """
                             general: { enabled = true, events = "all", backend = "http://not-a-websocket/" }
                             """,
                     "janus.eventhandler.gelfevh.jcfg", """
                             general: { enabled = true, events = "all", backend = "127.0.0.1", port = "twelve" }
                             """))) {
            ApiClient api = new ApiClient();
            long session = api.create(server.janus());
            assertThat(api.post(server.janus() + "/" + session, ApiClient.request("destroy")).path("janus").asText())
                    .isEqualTo("success");

            // Unreachable backend: loaded, its failures logged and counted; the events wait in the queue.
            JsonNode info = api.post(server.janus(), ApiClient.request("info"));
            assertThat(info.path("events").has("janus.eventhandler.sampleevh")).isTrue();
            assertThat(info.path("events").has("janus.eventhandler.wsevh")).isFalse();
            assertThat(info.path("events").has("janus.eventhandler.gelfevh")).isFalse();
            JsonNode stats = awaitKept(api, server, 2);
            assertThat(stats.path("dropped").asLong()).as("kept, not dropped, while the backend is away").isZero();
            assertThat(stats.path("events").asText()).as("the unknown words are ignored").isEqualTo("sessions");
            assertThat(stats.path("delivered").asLong()).isZero();

            assertThat(log.problems()).anySatisfy(l -> assertThat(l)
                    .contains("janus.eventhandler.sampleevh").contains("unknown event type 'sesions'"));
            assertThat(log.problems()).anySatisfy(l -> assertThat(l)
                    .contains("unknown event type 'handles '"));
            assertThat(log.problems()).anySatisfy(l -> assertThat(l).startsWith("ERROR")
                    .contains("Event handler janus.eventhandler.wsevh not loaded")
                    .contains("invalid backend 'http://not-a-websocket/'"));
            assertThat(log.problems()).anySatisfy(l -> assertThat(l).startsWith("ERROR")
                    .contains("Event handler janus.eventhandler.gelfevh not loaded").contains("invalid port 'twelve'"));
            assertThat(log.problems()).anySatisfy(l -> assertThat(l).startsWith("WARN")
                    .contains("Event handler janus.eventhandler.sampleevh: delivery failed").contains("kept in the queue, retrying")
                    .contains("127.0.0.1:" + nobody));
        }
    }

    @Test
    void aBackendThatIsNotHttpDisablesTheHandlerWithAClearLine() throws Exception {
        try (LogCapture log = new LogCapture();
             EventServer server = new EventServer("", "broadcast = true", Map.of(
                     "janus.eventhandler.sampleevh.jcfg", """
                             general: { enabled = true, events = "all", backend = "ftp://example.org/x" }
                             """))) {
            assertThat(new ApiClient().create(server.janus())).isPositive();
            assertThat(log.problems()).anySatisfy(l -> assertThat(l)
                    .isEqualTo("ERROR Event handler janus.eventhandler.sampleevh not loaded: invalid backend "
                            + "'ftp://example.org/x': must be an http:// or https:// URL"));
        }
    }

    /** Waits until {@code count} events wait for the backend (queued or in delivery) after a failed attempt. */
    static JsonNode awaitKept(ApiClient api, EventServer server, long count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode stats = stats(api, server, "janus.eventhandler.sampleevh");
            long waiting = stats.path("queued").asLong() + stats.path("in_delivery").asLong();
            if ((waiting >= count && stats.path("failed_attempts").asLong() > 0) || System.nanoTime() > deadline) {
                assertThat(waiting).isGreaterThanOrEqualTo(count);
                assertThat(stats.path("failed_attempts").asLong()).isPositive();
                return stats;
            }
            Thread.sleep(50);
        }
    }

    static JsonNode awaitDropped(ApiClient api, EventServer server, long atLeast) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode stats = stats(api, server, "janus.eventhandler.sampleevh");
            if (stats.path("dropped").asLong() >= atLeast || System.nanoTime() > deadline) {
                assertThat(stats.path("dropped").asLong()).isGreaterThanOrEqualTo(atLeast);
                return stats;
            }
            Thread.sleep(50);
        }
    }

    static JsonNode stats(ApiClient api, EventServer server, String handler) throws Exception {
        ObjectNode q = ApiClient.request("query_eventhandler").put("handler", handler);
        q.putObject("request").put("request", "stats");
        JsonNode r = api.admin(server.admin(), q);
        assertThat(r.at("/response/result").asInt()).as(r.toString()).isEqualTo(200);
        return r.at("/response/stats");
    }
}
