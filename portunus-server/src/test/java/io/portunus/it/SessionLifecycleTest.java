package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions and handles through both transports: the client API's happy paths and timeouts. */
class SessionLifecycleTest {
    static final ManualClock clock = new ManualClock();
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("session_timeout = 2\nopaqueid_in_api = true", clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void echoTestOverHttpWithLongPoll() throws Exception {
        long s = http.createSession(server.janus());
        ObjectNode attach = Json.object();
        attach.put("janus", "attach");
        attach.put("plugin", "janus.plugin.echotest");
        attach.put("opaque_id", "my-opaque");
        long h = http.request(server.janus() + "/" + s, attach).path("data").path("id").asLong();
        assertThat(h).isPositive().isLessThanOrEqualTo((1L << 53) - 1);

        ObjectNode msg = Json.object();
        msg.put("janus", "message");
        msg.put("transaction", "tx-echo");
        msg.putObject("body").put("audio", true).put("video", false).put("bitrate", 128000);
        JsonNode ack = http.request(server.janus() + "/" + s + "/" + h, msg);
        assertThat(ack.path("janus").asText()).isEqualTo("ack");
        assertThat(ack.path("hint").asText()).isEqualTo("I'm taking my time!");

        JsonNode events = http.get(server.janus() + "/" + s + "?rid=1&maxev=5").json();
        assertThat(events.isArray()).isTrue();
        JsonNode event = events.get(0);
        assertThat(event.path("janus").asText()).isEqualTo("event");
        assertThat(event.path("transaction").asText()).isEqualTo("tx-echo");
        assertThat(event.path("sender").asLong()).isEqualTo(h);
        assertThat(event.path("opaque_id").asText()).isEqualTo("my-opaque");
        assertThat(event.path("plugindata").path("plugin").asText()).isEqualTo("janus.plugin.echotest");
        assertThat(event.path("plugindata").path("data").toString()).isEqualTo("{\"echotest\":\"event\",\"result\":\"ok\"}");

        JsonNode detach = http.request(server.janus() + "/" + s + "/" + h, "detach");
        assertThat(detach.path("janus").asText()).isEqualTo("success");
        JsonNode detached = http.get(server.janus() + "/" + s).json();
        assertThat(detached.path("janus").asText()).isEqualTo("detached");
        assertThat(detached.path("sender").asLong()).isEqualTo(h);
        assertThat(http.request(server.janus() + "/" + s + "/" + h, "detach").path("error").path("code").asInt()).isEqualTo(459);
        assertThat(http.request(server.janus() + "/" + s, "destroy").path("janus").asText()).isEqualTo("success");
        assertThat(http.request(server.janus() + "/" + s, "destroy").path("error").path("code").asInt()).isEqualTo(458);
    }

    @Test
    void createWithChosenIdAndConflict() throws Exception {
        ObjectNode create = Json.object();
        create.put("janus", "create");
        create.put("id", 4242424242L);
        assertThat(http.request(server.janus(), create).path("data").path("id").asLong()).isEqualTo(4242424242L);
        ObjectNode again = Json.object();
        again.put("janus", "create");
        again.put("id", 4242424242L);
        JsonNode conflict = http.request(server.janus(), again);
        assertThat(conflict.path("error").path("code").asInt()).isEqualTo(468);
        assertThat(conflict.path("session_id").asLong()).isEqualTo(4242424242L);
        http.request(server.janus() + "/4242424242", "destroy");
    }

    @Test
    void webSocketCarriesManySessionsAndClosingDestroysThem() throws Exception {
        List<Long> sessions = new ArrayList<>();
        try (WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
            for (int i = 0; i < 3; i++) {
                sessions.add(ws.request("create", 0, 0).path("data").path("id").asLong());
            }
            long h = ws.request(attachBody(sessions.get(0))).path("data").path("id").asLong();
            ObjectNode msg = Json.object();
            msg.put("janus", "message");
            msg.put("session_id", sessions.get(0));
            msg.put("handle_id", h);
            msg.put("transaction", "ws-tx");
            msg.putObject("body").put("audio", false);
            JsonNode first = ws.request(msg);
            JsonNode second = ws.next();
            assertThat(first.path("janus").asText()).as("ack comes before the event").isEqualTo("ack");
            assertThat(second.path("janus").asText()).isEqualTo("event");
            assertThat(second.path("transaction").asText()).isEqualTo("ws-tx");
            // Two requests in one WebSocket message are both answered, in order.
            ws.sendText("{\"janus\":\"ping\",\"transaction\":\"p1\"} {\"janus\":\"ping\",\"transaction\":\"p2\"}");
            assertThat(ws.next().path("transaction").asText()).isEqualTo("p1");
            assertThat(ws.next().path("transaction").asText()).isEqualTo("p2");
            sessions.forEach(id -> assertThat(server.server.gateway().session(id)).isNotNull());
        }
        // reclaim_session_timeout is 0: the sessions go with the connection.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sessions.stream().anyMatch(id -> server.server.gateway().session(id) != null) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        sessions.forEach(id -> assertThat(server.server.gateway().session(id)).isNull());
    }

    @Test
    void claimMovesASessionToAnotherConnection() throws Exception {
        try (WsClientHelper a = new WsClientHelper(server.ws(), "janus-protocol");
             WsClientHelper b = new WsClientHelper(server.ws(), "janus-protocol")) {
            long s = a.request("create", 0, 0).path("data").path("id").asLong();
            long h = a.request(attachBody(s)).path("data").path("id").asLong();
            assertThat(b.request("claim", s, 0).path("janus").asText()).isEqualTo("success");
            assertThat(b.request("detach", s, h).path("janus").asText()).isEqualTo("success");
            assertThat(b.next().path("janus").asText()).as("events follow the claim").isEqualTo("detached");
            assertThat(a.received).isEmpty();
        }
    }

    @Test
    void idleSessionTimesOutAndKeptAliveSessionStays() throws Exception {
        try (WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
            long idle = ws.request("create", 0, 0).path("data").path("id").asLong();
            long kept = ws.request("create", 0, 0).path("data").path("id").asLong();
            for (int second = 0; second < 3; second++) {   // session_timeout = 2
                clock.advance(Duration.ofSeconds(1));
                assertThat(ws.request("keepalive", kept, 0).path("janus").asText()).isEqualTo("ack");
            }
            server.server.gateway().checkSessions();
            JsonNode timeout = ws.received.poll(5, TimeUnit.SECONDS);
            assertThat(timeout).as("timeout event").isNotNull();
            assertThat(timeout.toString()).isEqualTo("{\"janus\":\"timeout\",\"session_id\":" + idle + "}");
            assertThat(ws.request("keepalive", idle, 0).path("error").path("code").asInt()).isEqualTo(458);
            assertThat(ws.request("keepalive", kept, 0).path("janus").asText()).isEqualTo("ack");
        }
    }

    @Test
    void idleHttpSessionTimesOutToo() throws Exception {
        long s = http.createSession(server.janus());
        clock.advance(Duration.ofMillis(1_900));
        server.server.gateway().checkSessions();
        assertThat(http.request(server.janus() + "/" + s, "keepalive").path("janus").asText())
                .as("1.9 s idle of 2").isEqualTo("ack");
        clock.advance(Duration.ofSeconds(2));
        server.server.gateway().checkSessions();
        assertThat(http.request(server.janus() + "/" + s, "keepalive").path("error").path("code").asInt()).isEqualTo(458);
    }

    @Test
    void withAReclaimTimeoutASessionSurvivesItsConnectionAndCanBeClaimed() throws Exception {
        ManualClock reclaimClock = new ManualClock();
        try (TestServer reclaim = new TestServer("reclaim_session_timeout = 3", reclaimClock)) {
            long kept;
            long lost;
            try (WsClientHelper first = new WsClientHelper(reclaim.ws(), "janus-protocol")) {
                kept = first.request("create", 0, 0).path("data").path("id").asLong();
                lost = first.request("create", 0, 0).path("data").path("id").asLong();
            }
            // The server sees the connection close on its own time: wait for that, not for a timeout.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!reclaim.server.gateway().session(lost).transportGone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            reclaimClock.advance(Duration.ofSeconds(2));
            reclaim.server.gateway().checkSessions();
            assertThat(reclaim.server.gateway().session(kept)).as("kept for reclaim").isNotNull();
            try (WsClientHelper second = new WsClientHelper(reclaim.ws(), "janus-protocol")) {
                assertThat(second.request("claim", kept, 0).path("janus").asText()).isEqualTo("success");
                reclaimClock.advance(Duration.ofSeconds(2));
                reclaim.server.gateway().checkSessions();
                assertThat(reclaim.server.gateway().session(lost)).as("unclaimed: gone after 3 s").isNull();
                assertThat(second.request("keepalive", kept, 0).path("janus").asText()).isEqualTo("ack");
            }
        }
    }

    private static ObjectNode attachBody(long session) {
        ObjectNode attach = Json.object();
        attach.put("janus", "attach");
        attach.put("session_id", session);
        attach.put("plugin", "janus.plugin.echotest");
        return attach;
    }
}
