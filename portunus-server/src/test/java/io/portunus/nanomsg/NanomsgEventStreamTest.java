// In the event handlers' test package (kept with the Nanomsg tests) to reuse EventStreamTest's scenario and checks.
package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.nanomsg.Nanocat;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code janus.eventhandler.nanomsgevh}: Debian's {@code nanocat --sub}, bound, gets every event
 * kind of the shared scenario (the handler connects, NN_PUB), each checked against Janus's
 * recorded shapes; plus the Nanomsg transport's own {@code created} event.
 */
class NanomsgEventStreamTest {

    @Test
    void nanocatSubscriberGetsTheWholeStream() throws Exception {
        int port = EventServer.freePort();
        String address = "tcp://127.0.0.1:" + port;
        Received events = new Received();
        Path dir = Files.createTempDirectory("portunus-nnevh");
        Process sub = Nanocat.subscribe("--bind", address, events::add);
        try {
            EventStreamTest.Scenario s;
            try (EventServer server = new EventServer("session_timeout = 2", "broadcast = true", Map.of(
                    "janus.eventhandler.nanomsgevh.jcfg", """
                            general: { enabled = true, events = "all", grouping = true, address = "%s" }
                            """.formatted(address),
                    "janus.transport.nanomsg.jcfg", """
                            general: { enabled = true, address = "ipc://%s/api.ipc" }
                            """.formatted(dir)))) {
                s = EventStreamTest.runScenario(server, List.of(events), true);
            }
            events.await(e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 2, 1, 10);
            // The transport's "created" comes when it starts, before the core's "started" (as in Janus).
            Predicate<JsonNode> nanomsg = e -> e.path("type").asInt() == 128
                    && e.at("/event/transport").asText().equals("janus.transport.nanomsg");
            EventStreamTest.checkStream(events.all().stream().filter(nanomsg.negate()).toList(), s, true);
            List<JsonNode> created = events.all().stream().filter(nanomsg).toList();
            assertThat(created).hasSize(1);
            assertThat(created.getFirst().at("/event/data").toString())
                    .isEqualTo("{\"event\":\"created\",\"admin_api\":false,\"socket\":0}");
            assertThat(created.getFirst().at("/event/id").asText()).isNotEmpty();
        } finally {
            sub.destroy();
        }
    }
}
