package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * wsevh: with the backend not there yet, events wait (and the cap of
 * {@code events_cap_on_reconnect} drops the oldest, counted); when the backend comes up the
 * handler reconnects on its own (1 s doubling to 8 s) and delivers what it kept, in order.
 */
class WsReconnectTest {

    @Test
    void eventsKeptWhileTheBackendIsAwayArriveAfterTheReconnectAndTheCapIsCounted() throws Exception {
        int port = EventServer.freePort();
        try (EventServer server = new EventServer("", "broadcast = true", Map.of("janus.eventhandler.wsevh.jcfg", """
                general: { enabled = true, events = "sessions", grouping = true, events_cap_on_reconnect = 3,
                           backend = "ws://127.0.0.1:%d/" }
                """.formatted(port)))) {
            ApiClient api = new ApiClient();
            long[] sessions = new long[6];
            sessions[0] = api.create(server.janus());
            // The first event is taken into delivery, which waits for a connection...
            awaitStat(api, server, "in_delivery", 1);
            for (int i = 1; i < sessions.length; i++) {
                sessions[i] = api.create(server.janus());
            }
            // ...while the 5 others queue; the next failed attempt trims them to the cap of 3.
            awaitStat(api, server, "dropped", 2);
            try (WsEventReceiver backend = new WsEventReceiver(port)) {
                ObjectNode tweak = ApiClient.request("query_eventhandler").put("handler", "janus.eventhandler.wsevh");
                tweak.set("request", Json.object().put("request", "tweak").put("events_cap_on_reconnect", 0));
                assertThat(api.admin(server.admin(), tweak).at("/response/result").asInt()).isEqualTo(200);
                long deadline = System.nanoTime() + 20_000_000_000L;
                long dropped;
                do {
                    Thread.sleep(50);
                    dropped = EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh").path("dropped").asLong();
                } while (backend.events.size() + dropped < sessions.length && System.nanoTime() < deadline);
                List<JsonNode> got = backend.events.all();
                assertThat(got.size() + dropped).as("every event arrived or was counted").isEqualTo(sessions.length);
                assertThat(dropped).as("the cap of 3 dropped the 2 oldest waiting events").isEqualTo(2);
                assertThat(got).extracting(e -> e.get("session_id").asLong())
                        .containsExactly(sessions[0], sessions[3], sessions[4], sessions[5]);
                // What was kept arrives in order, the newest included.
                assertThat(got.getLast().get("session_id").asLong()).isEqualTo(sessions[5]);
                for (int i = 1; i < got.size(); i++) {
                    assertThat(got.get(i).get("timestamp").asLong()).isGreaterThan(got.get(i - 1).get("timestamp").asLong());
                }
                long after = api.create(server.janus());
                assertThat(backend.events.await(e -> e.path("session_id").asLong() == after, 1, 5)).hasSize(1);
                assertThat(backend.messages).allSatisfy(m -> assertThat(m).startsWith("["));
            }
        }
    }

    private static void awaitStat(ApiClient api, EventServer server, String name, long value) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh").path(name).asLong() < value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never reached " + value);
            }
            Thread.sleep(20);
        }
    }
}
