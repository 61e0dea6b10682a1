package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.portunus.it.RawHttp.PING;
import static io.portunus.it.RawHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of HTTP on the Janus API and the Admin API servers, over a raw socket: framing
 * errors (bad or conflicting Content-Length, heads over the size limits) get 400/414/431 and
 * the connection is closed (the server cannot tell where a next request would start); ids in
 * the path that are not plain in-range numbers get Janus's JSON errors on a connection that
 * stays usable. After each, a ping is answered on a fresh connection, and on the same one
 * when it stays open.
 */
class HttpEdgesTest {
    static TestServer server;

    /**
     * @param request the raw request; B stands for the base path
     * @param status  the HTTP status
     * @param code    the Janus error code in the body
     * @param reason  the error's reason (a prefix when it ends with "...")
     * @param closes  whether the server closes the connection after answering
     */
    record Case(String name, String request, int status, int code, String reason, boolean closes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        String headers1000 = "";
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            many.append("X-Header-").append(String.format("%04d", i)).append(": value\r\n");
        }
        headers1000 = many.toString();
        StringBuilder mega = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            mega.append("X-H").append(i).append(": ").append("a".repeat(1000)).append("\r\n");
        }
        String noLength = "POST B HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("header over 8 KB", post("B", "X-Big: " + "a".repeat(9000) + "\r\n", PING),
                        431, 450, "Request header fields too large (limit 8192 bytes)", true),
                new Case("Content-Length: abc", noLength + "Content-Length: abc\r\n\r\n" + PING,
                        400, 450, "Malformed HTTP request...", true),
                new Case("Content-Length: -1", noLength + "Content-Length: -1\r\n\r\n" + PING,
                        400, 450, "Malformed HTTP request...", true),
                new Case("two different Content-Length", noLength + "Content-Length: 35\r\nContent-Length: 10\r\n\r\n" + PING,
                        400, 450, "Malformed HTTP request: Multiple Content-Length values...", true),
                new Case("64 KB header", post("B", "X-Big: " + "a".repeat(65536) + "\r\n", PING),
                        431, 450, "Request header fields too large...", true),
                new Case("1,000 headers", post("B", headers1000, PING), 431, 450, "Request header fields too large...", true),
                new Case("1 MB of headers", post("B", mega.toString(), PING), 431, 450, "Request header fields too large...", true),
                new Case("100 KB URL", post("B?x=" + "a".repeat(100_000), "", PING), 414, 450,
                        "Request line too long (limit 8192 bytes)", true)));
        for (String id : List.of("abc", "-1", "18446744073709551616", "1.5", "0", "null")) {
            cases.add(new Case("id " + id, post("B/" + id, "", PING), 200, 458, "No such session " + id, false));
        }
        cases.add(new Case("handle id x", post("B/123/x", "", PING), 200, 459, "No such handle x in session 123", false));
        cases.add(new Case("empty body on a session", post("B/123", "", ""), 200, 454, "Request payload missing", false));
        return cases;
    }

    static Stream<Arguments> apiAndAdmin() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of("api", c), Arguments.of("admin", c)));
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("apiAndAdmin")
    void eachEdgeIsAnsweredAndTheServerKeepsServing(String api, Case c) throws Exception {
        int port = api.equals("api") ? server.httpPort : server.adminHttpPort;
        String base = api.equals("api") ? "/janus" : "/admin";
        try (RawHttp conn = new RawHttp(port)) {
            RawHttp.Response response = conn.exchange(c.request().replace("POST B", "POST " + base));
            assertThat(response.status()).as(response.head()).isEqualTo(c.status());
            JsonNode error = response.json();
            assertThat(error.path("janus").asText()).isEqualTo("error");
            assertThat(error.at("/error/code").asInt()).as(response.body()).isEqualTo(c.code());
            String reason = error.at("/error/reason").asText();
            if (c.reason().endsWith("...")) {
                assertThat(reason).startsWith(c.reason().substring(0, c.reason().length() - 3));
            } else {
                assertThat(reason).isEqualTo(c.reason());
            }
            if (c.status() == 200 && c.code() != 454) {
                assertThat(error.path("transaction").asText()).as("the request's transaction").isEqualTo("p");
            }
            if (c.closes()) {
                assertThat(response.head()).containsIgnoringCase("connection: close");
                assertThat(conn.closedByServer()).as("closed after a framing error").isTrue();
            } else {
                assertPong(conn.exchange(post(base, "", PING)));
            }
        }
        try (RawHttp fresh = new RawHttp(port)) {
            assertPong(fresh.exchange(post(base, "", PING)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("getCases")
    void getWithoutAPayload(String url, int status, String body) throws Exception {
        int port = url.startsWith("/admin") ? server.adminHttpPort : server.httpPort;
        try (RawHttp conn = new RawHttp(port)) {
            RawHttp.Response response = conn.exchange("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.body()).isEqualTo(body);
            assertPong(conn.exchange(post(url.startsWith("/admin") ? "/admin" : "/janus", "", PING)));
        }
    }

    static Stream<Arguments> getCases() {
        String payloadMissing = "{\"janus\":\"error\",\"error\":{\"code\":454,\"reason\":\"Request payload missing\"}}";
        return Stream.of(
                // Janus answers an Admin GET as a request without payload, keeping the connection.
                Arguments.of("/admin/123", 200, payloadMissing),
                Arguments.of("/admin", 200, payloadMissing),
                Arguments.of("/admin/abc", 200, payloadMissing),
                // On the Janus API a GET is a long poll: not one for a session that cannot exist.
                Arguments.of("/janus", 404, ""),
                Arguments.of("/janus/abc", 404, ""),
                Arguments.of("/janus/123", 404, ""));
    }

    private static void assertPong(RawHttp.Response response) throws Exception {
        assertThat(response.status()).as(response.head()).isEqualTo(200);
        assertThat(response.json().path("janus").asText()).isEqualTo("pong");
        assertThat(response.json().path("transaction").asText()).isEqualTo("p");
    }
}
