package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over HTTP and WebSockets: each case gets Janus's error code and reason, and the
 * server keeps serving afterwards without losing the sessions it had.
 */
class BadInputTest {
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();
    static long session;
    static long handle;

    /**
     * One bad request. {@code path} and {@code body} may use S and H for the live session and
     * handle ids; {@code path} applies to HTTP, and over WebSockets the ids go in the body.
     * A reason ending in "..." is a prefix.
     */
    record Case(String name, String path, String body, int code, String reason) {
        String path(long s, long h) {
            return path.replace("S", Long.toString(s)).replace("H", Long.toString(h));
        }

        String body(long s, long h) {
            return body.replace("\"S\"", Long.toString(s)).replace("\"H\"", Long.toString(h));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> commonCases() {
        return List.of(
                new Case("missing janus", "", "{\"transaction\":\"t1\"}", 456, "Missing mandatory element (janus)"),
                new Case("missing transaction", "", "{\"janus\":\"create\"}", 456, "Missing mandatory element (transaction)"),
                new Case("janus not a string", "", "{\"janus\":5,\"transaction\":\"t\"}", 467,
                        "Invalid element type (janus should be a string)"),
                new Case("unknown request at root", "", "{\"janus\":\"foobar\",\"transaction\":\"t\"}", 457,
                        "Unhandled request 'foobar' at this path"),
                new Case("admin request on the Janus API", "", "{\"janus\":\"list_sessions\",\"transaction\":\"t\"}", 457,
                        "Unhandled request 'list_sessions' at this path"),
                new Case("unknown request on a session", "/S", "{\"janus\":\"foobar\",\"session_id\":\"S\",\"transaction\":\"t\"}",
                        453, "Unknown request 'foobar'"),
                new Case("create at a session path", "/S", "{\"janus\":\"create\",\"session_id\":\"S\",\"transaction\":\"t\"}",
                        453, "Unknown request 'create'"),
                new Case("attach at a handle path", "/S/H",
                        "{\"janus\":\"attach\",\"plugin\":\"janus.plugin.echotest\",\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        457, "Unhandled request 'attach' at this path"),
                new Case("message at a session path", "/S", "{\"janus\":\"message\",\"body\":{},\"session_id\":\"S\",\"transaction\":\"t\"}",
                        457, "Unhandled request 'message' at this path"),
                new Case("unknown session", "/1234567890", "{\"janus\":\"keepalive\",\"session_id\":1234567890,\"transaction\":\"t\"}",
                        458, "No such session 1234567890"),
                new Case("unknown handle", "/S/987654321",
                        "{\"janus\":\"message\",\"body\":{},\"session_id\":\"S\",\"handle_id\":987654321,\"transaction\":\"t\"}",
                        459, "No such handle 987654321 in session SID"),
                new Case("unknown plugin", "/S", "{\"janus\":\"attach\",\"plugin\":\"janus.plugin.nope\",\"session_id\":\"S\",\"transaction\":\"t\"}",
                        460, "No such plugin 'janus.plugin.nope'"),
                new Case("attach without plugin", "/S", "{\"janus\":\"attach\",\"session_id\":\"S\",\"transaction\":\"t\"}",
                        456, "Missing mandatory element (plugin)"),
                new Case("message without body", "/S/H", "{\"janus\":\"message\",\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        456, "Missing mandatory element (body)"),
                new Case("jsep without type", "/S/H",
                        "{\"janus\":\"message\",\"body\":{},\"jsep\":{\"sdp\":\"v=0\"},\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        456, "JSEP error: missing mandatory element (type)"),
                new Case("jsep with broken SDP", "/S/H",
                        "{\"janus\":\"message\",\"body\":{},\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\nbroken\"},\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        465, "Invalid line (2nd char is not '='): broken"),
                new Case("jsep of unknown type", "/S/H",
                        "{\"janus\":\"message\",\"body\":{},\"jsep\":{\"type\":\"pranswer\",\"sdp\":\"v=0\"},\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        464, "JSEP error: unknown message type 'pranswer'"),
                new Case("trickle with candidate and candidates", "/S/H",
                        "{\"janus\":\"trickle\",\"candidate\":{\"completed\":true},\"candidates\":[],\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        454, "Can't have both candidate and candidates"),
                new Case("trickle without candidate", "/S/H",
                        "{\"janus\":\"trickle\",\"session_id\":\"S\",\"handle_id\":\"H\",\"transaction\":\"t\"}",
                        456, "Missing mandatory element (candidate|candidates)"),
                new Case("handle id without session id", "", "{\"janus\":\"keepalive\",\"session_id\":0,\"handle_id\":5,\"transaction\":\"t\"}",
                        458, "Session not found"));
    }

    static List<Case> httpCases() {
        var cases = new ArrayList<>(commonCases());
        cases.add(new Case("malformed JSON", "", "{\"janus\":\"create\",", 454, "JSON error: on line 1: ..."));
        cases.add(new Case("JSON array", "", "[1,2,3]", 455, "JSON error: not an object"));
        cases.add(new Case("JSON number", "", "42", 455, "JSON error: not an object"));
        cases.add(new Case("JSON string", "", "\"create\"", 455, "JSON error: not an object"));
        cases.add(new Case("trailing garbage", "", "{\"janus\":\"ping\",\"transaction\":\"t\"} x", 454, "JSON error: on line 1: ..."));
        cases.add(new Case("conflicting session ids", "/S", "{\"janus\":\"keepalive\",\"session_id\":42,\"transaction\":\"t\"}",
                457, "Conflicting session ID (payload and path)"));
        cases.add(new Case("empty body at root", "", "", 454, "Request payload missing"));
        return cases;
    }

    static List<Case> wsCases() {
        var cases = new ArrayList<>(commonCases());
        cases.add(new Case("malformed JSON", "", "{\"janus\":\"create\",", 454, "Invalid Janus API request - <string>(1,..."));
        cases.add(new Case("JSON array", "", "[1,2,3]", 455, "Invalid JSON Object"));
        cases.add(new Case("JSON number", "", "42", 455, "Invalid JSON Object"));
        return cases;
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("");
        session = http.createSession(server.janus());
        handle = http.attach(server.janus(), session, "janus.plugin.echotest");
        assertThat(session).isPositive();
        assertThat(handle).isPositive();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "HTTP: {0}")
    @MethodSource("httpCases")
    void httpBadInput(Case c) throws Exception {
        var reply = http.post(server.janus() + c.path(session, handle), c.body(session, handle));
        assertThat(reply.status()).isEqualTo(200);
        assertError(reply.json(), c);
        assertStillServing();
    }

    @ParameterizedTest(name = "WebSockets: {0}")
    @MethodSource("wsCases")
    void wsBadInput(Case c) throws Exception {
        try (WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
            ws.sendText(c.body(session, handle));
            assertError(ws.next(), c);
            JsonNode pong = ws.request("ping", 0, 0);
            assertThat(pong.path("janus").asText()).isEqualTo("pong");
        }
        assertStillServing();
    }

    private static void assertError(JsonNode reply, Case c) {
        assertThat(reply.path("janus").asText()).as(reply.toString()).isEqualTo("error");
        assertThat(reply.path("error").path("code").asInt()).as(reply.toString()).isEqualTo(c.code());
        String reason = reply.path("error").path("reason").asText();
        String expected = c.reason().replace("SID", Long.toString(session));
        if (expected.endsWith("...")) {
            assertThat(reason).startsWith(expected.substring(0, expected.length() - 3));
        } else {
            assertThat(reason).isEqualTo(expected);
        }
    }

    /** The server answers a ping and still has the session and handle made before the bad input. */
    private static void assertStillServing() throws Exception {
        assertThat(http.request(server.janus(), "ping").path("janus").asText()).isEqualTo("pong");
        var ka = http.post(server.janus() + "/" + session, "{\"janus\":\"keepalive\",\"transaction\":\"k\"}").json();
        assertThat(ka.path("janus").asText()).isEqualTo("ack");
        assertThat(server.server.gateway().session(session).handle(handle)).isNotNull();
    }

    @Test
    void oversizedHttpBodyIsRefusedWith413() throws Exception {
        byte[] big = new byte[2 << 20];
        Arrays.fill(big, (byte) ' ');
        var reply = http.post(server.janus(), big);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().path("error").path("code").asInt()).isEqualTo(450);
        assertThat(reply.json().path("error").path("reason").asText()).startsWith("Request payload too large");
        assertStillServing();
    }

    @Test
    void oversizedWebSocketMessageClosesOnlyThatConnection() throws Exception {
        try (WsClientHelper other = new WsClientHelper(server.ws(), "janus-protocol");
             WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
            long otherSession = other.request("create", 0, 0).path("data").path("id").asLong();
            ws.socket.sendText("{\"janus\":\"ping\",\"transaction\":\"" + "x".repeat(100_000) + "\"}", true);
            assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
            JsonNode ack = other.request("keepalive", otherSession, 0);
            assertThat(ack.path("janus").asText()).isEqualTo("ack");
        }
        assertStillServing();
    }

    @Test
    void webSocketWithoutSubprotocolIsRefused() throws Exception {
        var client = HttpClient.newHttpClient();
        var future = client.newWebSocketBuilder().buildAsync(URI.create(server.ws()), new WebSocket.Listener() { });
        assertThat(future).failsWithin(5, TimeUnit.SECONDS);
        var plain = http.get("http://127.0.0.1:" + server.wsPort + "/");
        assertThat(plain.status()).isEqualTo(403);
        assertStillServing();
    }

    @Test
    void badHttpPathsGet404AndUnsupportedMethods450() throws Exception {
        assertThat(http.post(server.janus() + "/1/2/3", "{\"janus\":\"ping\",\"transaction\":\"t\"}").status()).isEqualTo(404);
        assertThat(http.post("http://127.0.0.1:" + server.httpPort + "/other", "{}").status()).isEqualTo(404);
        assertThat(http.get(server.janus() + "/1234567890").status()).isEqualTo(404);
        var client = HttpClient.newHttpClient();
        var put = client.send(HttpRequest.newBuilder(URI.create(server.janus()))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.body()).contains("\"code\":450").contains("Unsupported method PUT");
        assertStillServing();
    }
}
