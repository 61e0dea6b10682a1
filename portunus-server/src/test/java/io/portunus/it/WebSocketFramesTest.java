package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Odd WebSocket frames on the Janus API and Admin API servers, over a raw socket: every message
 * gets a reply (binary ones are read as text, as Janus does; empty ones get 454) and frames
 * that break RFC 6455 get a close frame with the RFC's code (1002 protocol error, 1007 invalid
 * UTF-8, 1009 too big). The server keeps serving: a ping is answered afterwards, on the same
 * connection when it stays open, and on a fresh one.
 */
class WebSocketFramesTest {
    static TestServer server;
    private static final String PING = "{\"janus\":\"ping\",\"transaction\":\"b\"}";

    /** What to send; expect either a reply (janus, code for errors) or a close code. */
    record Case(String name, Sender send, String janus, int errorCode, int closeCode) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Sender {
        void send(RawWebSocket ws) throws Exception;
    }

    static List<Case> cases() {
        byte[] ping = PING.getBytes(StandardCharsets.UTF_8);
        return List.of(
                new Case("binary frame with a request", ws -> ws.frame(RawWebSocket.BINARY, ping, true, true, 0), "pong", 0, 0),
                new Case("empty text frame", ws -> ws.text(""), "error", 454, 0),
                new Case("whitespace-only text frame", ws -> ws.text("  \n "), "error", 454, 0),
                new Case("request followed by garbage", ws -> ws.text(PING + " x"), "error", 454, 0),
                new Case("JSON null", ws -> ws.text("null"), "error", 0, 0),
                new Case("single frame over 1 MiB", ws -> ws.text("{\"janus\":\"ping\",\"transaction\":\""
                        + "x".repeat(1 << 20) + "\"}"), null, 0, 1009),
                new Case("continuation frames over 1 MiB", ws -> {
                    ws.frame(RawWebSocket.TEXT, "x".repeat(600_000).getBytes(StandardCharsets.UTF_8), false, true, 0);
                    ws.frame(RawWebSocket.CONTINUATION, "x".repeat(600_000).getBytes(StandardCharsets.UTF_8), true, true, 0);
                }, null, 0, 1009),
                new Case("invalid UTF-8", ws -> ws.frame(RawWebSocket.TEXT,
                        new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}, true, true, 0), null, 0, 1007),
                new Case("reserved opcode 3", ws -> ws.frame(3, ping, true, true, 0), null, 0, 1002),
                new Case("RSV bit set", ws -> ws.frame(RawWebSocket.TEXT, ping, true, true, 4), null, 0, 1002),
                new Case("unmasked frame", ws -> ws.frame(RawWebSocket.TEXT, ping, true, false, 0), null, 0, 1002),
                new Case("200-byte ping", ws -> ws.frame(RawWebSocket.PING, new byte[200], true, true, 0), null, 0, 1002),
                new Case("continuation without a start", ws -> ws.frame(RawWebSocket.CONTINUATION, ping, true, true, 0),
                        null, 0, 1002),
                new Case("fragmented control frame", ws -> ws.frame(RawWebSocket.PING, new byte[3], false, true, 0),
                        null, 0, 1002));
    }

    static Stream<Arguments> apiAndAdmin() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of("api", c), Arguments.of("admin", c)));
    }

    @BeforeAll
    static void start() throws Exception {
        // The default message limit (1 MiB), not TestServer's smaller one.
        server = new TestServer("", "", "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("apiAndAdmin")
    void eachFrameGetsAReplyOrACloseCode(String api, Case c) throws Exception {
        int port = api.equals("api") ? server.wsPort : server.adminWsPort;
        String protocol = api.equals("api") ? "janus-protocol" : "janus-admin-protocol";
        try (RawWebSocket ws = new RawWebSocket(port, protocol)) {
            c.send().send(ws);
            RawWebSocket.Received got = ws.next();
            if (c.closeCode() != 0) {
                assertThat(got.ended()).as("a close frame came before the connection ended").isFalse();
                assertThat(got.closeCode()).as(String.valueOf(got.text())).isEqualTo(c.closeCode());
                assertThat(ws.next().ended()).as("the server closes after its close frame").isTrue();
            } else {
                assertThat(got.text()).as("a reply").isNotNull();
                JsonNode reply = got.json();
                assertThat(reply.path("janus").asText()).as(got.text()).isEqualTo(c.janus());
                if (c.errorCode() != 0) {
                    assertThat(reply.at("/error/code").asInt()).as(got.text()).isEqualTo(c.errorCode());
                }
                if (c.name().contains("garbage")) {
                    ws.text("{\"janus\":\"ping\",\"transaction\":\"after\"}");
                    assertThat(ws.next().json().path("transaction").asText())
                            .as("the request before the garbage was not run").isEqualTo("after");
                } else {
                    assertPong(ws);
                }
            }
        }
        try (RawWebSocket fresh = new RawWebSocket(port, protocol)) {
            assertPong(fresh);
        }
    }

    private static void assertPong(RawWebSocket ws) throws Exception {
        ws.text("{\"janus\":\"ping\",\"transaction\":\"p\"}");
        JsonNode pong = ws.next().json();
        assertThat(pong.path("janus").asText()).isEqualTo("pong");
        assertThat(pong.path("transaction").asText()).isEqualTo("p");
    }
}
