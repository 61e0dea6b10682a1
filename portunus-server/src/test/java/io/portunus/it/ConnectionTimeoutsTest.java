package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.portunus.it.RawHttp.PING;
import static io.portunus.it.RawHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection limits (issue #14): with timeouts of 1 s, a connection that never finishes its
 * request head, one that stalls in its body, one idle between requests and one that never
 * says anything are closed after their timeouts, while a long poll and an idle WebSocket
 * session stay, and a normal client is served throughout. The cap on connections refuses
 * those over it.
 */
class ConnectionTimeoutsTest {
    private static final String ONE_SECOND = ", request_head_timeout = 1, request_body_timeout = 1, keepalive_timeout = 1";

    @Test
    void slowAndIdleConnectionsCloseWhileALongPollAndAWebSocketSessionStay() throws Exception {
        try (TestServer server = new TestServer("", ONE_SECOND, ONE_SECOND)) {
            HttpClientHelper http = new HttpClientHelper();
            long session = http.createSession(server.janus());
            long handle = http.attach(server.janus(), session, "janus.plugin.echotest");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger served = new AtomicInteger();
            List<String> failures = new ArrayList<>();
            Thread normalClient = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        // A fresh connection each time: this client is never idle long on one.
                        try (RawHttp conn = new RawHttp(server.httpPort)) {
                            if (conn.exchange(post("/janus", "", PING)).body().contains("pong")) {
                                served.incrementAndGet();
                            } else {
                                failures.add("no pong");
                            }
                        }
                        Thread.sleep(100);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "normal-client");
            normalClient.start();
            try (WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
                long wsSession = ws.request("create", 0, 0).path("data").path("id").asLong();
                // Each connection sends at once: a connection has the head timeout for its first request.
                RawHttp longPoll = open(server.httpPort);
                longPoll.send("GET /janus/" + session + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                long start = System.nanoTime();
                RawHttp slowHead = open(server.httpPort);
                slowHead.send("POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                RawHttp stalledBody = open(server.httpPort);
                stalledBody.send("POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"janus\":");
                RawHttp idle = open(server.httpPort);
                assertThat(idle.exchange(post("/janus", "", PING)).body()).contains("pong");
                RawHttp adminIdle = open(server.adminHttpPort);
                assertThat(adminIdle.exchange(post("/admin", "", PING)).body()).contains("pong");
                RawHttp silent = open(server.httpPort);

                RawHttp.Response headTimeout = slowHead.read();
                assertThat(headTimeout.status()).as("slow head: 408").isEqualTo(408);
                assertThat(slowHead.closedByServer()).isTrue();
                RawHttp.Response bodyTimeout = stalledBody.read();
                assertThat(bodyTimeout.status()).as("stalled body: 408").isEqualTo(408);
                assertThat(stalledBody.closedByServer()).isTrue();
                assertThat(idle.closedByServer()).as("idle keep-alive connection closed").isTrue();
                assertThat(adminIdle.closedByServer()).as("idle admin connection closed").isTrue();
                assertThat(silent.closedByServer()).as("a connection that never sent a request closed").isTrue();
                assertThat(System.nanoTime() - start).as("not before the timeouts").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
                Thread.sleep(1500); // well past every timeout

                // The long poll is still there: an event for its session completes it.
                JsonNode detached = http.request(server.janus() + "/" + session + "/" + handle, "detach");
                assertThat(detached.path("janus").asText()).isEqualTo("success");
                RawHttp.Response event = longPoll.read();
                assertThat(event.status()).as("the long poll was answered, not closed").isEqualTo(200);
                assertThat(event.json().path("janus").asText()).isEqualTo("detached");
                // So is the WebSocket and its session.
                assertThat(ws.request("keepalive", wsSession, 0).path("janus").asText()).isEqualTo("ack");
            } finally {
                for (RawHttp conn : opened) {
                    conn.close();
                }
                stop.set(true);
                normalClient.join(10_000);
            }
            assertThat(failures).as("the normal client was always served").isEmpty();
            assertThat(served.get()).isGreaterThan(5);
        }
    }

    private final List<RawHttp> opened = new ArrayList<>();

    private RawHttp open(int port) throws IOException {
        RawHttp conn = new RawHttp(port);
        opened.add(conn);
        return conn;
    }

    @Test
    void connectionsOverTheCapAreRefused() throws Exception {
        try (TestServer server = new TestServer("", ", max_connections = 2", "");
             RawHttp first = new RawHttp(server.httpPort);
             RawHttp second = new RawHttp(server.httpPort)) {
            assertThat(first.exchange(post("/janus", "", PING)).body()).contains("pong");
            assertThat(second.exchange(post("/janus", "", PING)).body()).contains("pong");
            try (RawHttp third = new RawHttp(server.httpPort)) {
                assertThat(third.exchange(post("/janus", "", PING)).status()).as("over the cap").isEqualTo(-1);
            }
            first.close();
            Thread.sleep(200);
            try (RawHttp again = new RawHttp(server.httpPort)) {
                assertThat(again.exchange(post("/janus", "", PING)).body()).as("under the cap again").contains("pong");
            }
        }
    }
}
