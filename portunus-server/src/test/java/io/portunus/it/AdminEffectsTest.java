package io.portunus.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Gateway;
import io.portunus.core.Json;
import io.portunus.logging.LogControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each Admin setter changes what it names, seen from outside; draining; the generated secret. */
class AdminEffectsTest {
    static final String SECRET = "effects-secret";
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"" + SECRET + "\"");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode admin(String janus, Object... fields) throws Exception {
        ObjectNode o = Json.object();
        o.put("janus", janus);
        o.put("admin_secret", SECRET);
        for (int i = 0; i < fields.length; i += 2) {
            o.set((String) fields[i], Json.MAPPER.valueToTree(fields[i + 1]));
        }
        return http.request(server.admin(), o);
    }

    @Test
    void drainingRefusesNewSessionsButKeepsExistingOnes() throws Exception {
        long existing = http.createSession(server.janus());
        assertThat(admin("accept_new_sessions", "accept", false).path("accept").asBoolean()).isFalse();
        try {
            JsonNode refused = http.request(server.janus(), "create");
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(472);
            assertThat(refused.path("error").path("reason").asText()).isEqualTo("Currently not accepting new sessions");
            assertThat(http.request(server.janus(), "info").path("accepting-new-sessions").asBoolean()).isFalse();
            // The session made before draining still works: keepalive, attach, message.
            assertThat(http.request(server.janus() + "/" + existing, "keepalive").path("janus").asText()).isEqualTo("ack");
            long h = http.attach(server.janus(), existing, "janus.plugin.echotest");
            ObjectNode msg = Json.object();
            msg.put("janus", "message");
            msg.putObject("body").put("audio", true);
            assertThat(http.request(server.janus() + "/" + existing + "/" + h, msg).path("janus").asText()).isEqualTo("ack");
        } finally {
            admin("accept_new_sessions", "accept", true);
        }
        assertThat(http.createSession(server.janus())).isPositive();
    }

    @Test
    void globalSessionTimeoutTakesEffectAndPerSessionOverrides() throws Exception {
        long follows = http.createSession(server.janus());
        long never = http.createSession(server.janus());
        admin("set_session_timeout", "session_id", never, "timeout", 0);
        assertThat(admin("set_session_timeout", "timeout", 1).path("timeout").asInt()).isEqualTo(1);
        try {
            assertThat(admin("get_status").path("status").path("session_timeout").asInt()).isEqualTo(1);
            long deadline = System.nanoTime() + 8_000_000_000L;
            while (server.server.gateway().session(follows) != null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(server.server.gateway().session(follows)).as("expired on the new 1 s timeout").isNull();
            assertThat(server.server.gateway().session(never)).as("timeout 0: never expires").isNotNull();
        } finally {
            admin("set_session_timeout", "timeout", 60);
        }
    }

    @Test
    void logLevelTimestampsAndColoursChangeTheLog() throws Exception {
        Path file = Files.createTempFile("portunus-log", ".txt");
        LogControl log = LogControl.get();
        log.configure(4, false, false, false, file.toString());
        try {
            http.createSession(server.janus());
            assertThat(Files.readString(file)).as("'Created session' is a debug line").doesNotContain("Created session");
            admin("set_log_level", "level", 5);
            long s = http.createSession(server.janus());
            assertThat(Files.readString(file)).contains("Created session " + s);

            admin("set_log_timestamps", "timestamps", true);
            long s2 = http.createSession(server.janus());
            String line = Files.readAllLines(file).stream().filter(l -> l.contains("Created session " + s2)).findFirst().orElseThrow();
            assertThat(line).matches("^\\[\\w{3} \\w{3} \\d{2} \\d{2}:\\d{2}:\\d{2} \\d{4}\\] Created session \\d+ on janus.transport.http$");

            admin("set_log_colors", "colors", true);
            // A warning: a WebSocket message over the size limit.
            try (WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
                ws.sendText("x".repeat(100_000));
                ws.closed.get(5, TimeUnit.SECONDS);
            }
            Thread.sleep(200);
            assertThat(Files.readString(file)).contains("\u001b[33m[WARN] \u001b[0m");
            admin("set_log_level", "level", 0);
            long silent = http.createSession(server.janus());
            assertThat(Files.readString(file)).doesNotContain(Long.toString(silent));
        } finally {
            log.setLevel(4);
            log.setTimestamps(false);
            log.setColors(false);
            // Back to the test configuration (logback-test.xml).
            var ctx = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
            ctx.reset();
            new ch.qos.logback.classic.util.ContextInitializer(ctx).autoConfig();
        }
    }

    @Test
    void badAdminInputGetsTheSpecsErrorsAndTheServerKeepsServing() throws Exception {
        long s = http.createSession(server.janus());
        record Bad(String body, String path, int code, String reason) {
        }
        List<Bad> cases = List.of(
                new Bad("{\"janus\":\"list_sessions\",\"transaction\":\"t\"}", "", 403, "Unauthorized request (wrong or missing secret/token)"),
                new Bad("{\"janus\":\"list_sessions\",\"transaction\":\"t\",\"admin_secret\":\"wrong\"}", "", 403, "Unauthorized request (wrong or missing secret/token)"),
                new Bad("{\"janus\":\"nope\",\"transaction\":\"t\",\"admin_secret\":\"" + SECRET + "\"}", "", 457, "Unhandled request 'nope' at this path"),
                new Bad("{\"janus\":\"handle_info\",\"transaction\":\"t\",\"admin_secret\":\"" + SECRET + "\"}", "/" + s, 457, "Unhandled request 'handle_info' at this path"),
                new Bad("{\"janus\":\"list_sessions\",\"transaction\":\"t\",\"admin_secret\":\"" + SECRET + "\"}", "/" + s, 457, "Unhandled request 'list_sessions' at this path"),
                new Bad("{\"janus\":\"set_log_level\",\"level\":\"x\",\"transaction\":\"t\",\"admin_secret\":\"" + SECRET + "\"}", "", 467, "Invalid element type (level should be a positive integer)"),
                new Bad("{\"janus\":\"list_handles\",\"transaction\":\"t\",\"admin_secret\":\"" + SECRET + "\"}", "/1234567", 458, "No such session 1234567"),
                new Bad("{\"janus\":\"handle_info\",\"transaction\":\"t\",\"admin_secret\":\"" + SECRET + "\"}", "/" + s + "/7654321", 459, "No such handle 7654321 in session " + s),
                new Bad("{\"janus\":\"list_sessions\",\"admin_secret\":\"" + SECRET + "\"}", "", 456, "Missing mandatory element (transaction)"),
                new Bad("{\"janus\":\"list_sessions\",", "", 454, null),
                new Bad("[1,2]", "", 455, "JSON error: not an object"));
        for (Bad b : cases) {
            JsonNode reply = http.post(server.admin() + b.path(), b.body()).json();
            assertThat(reply.path("error").path("code").asInt()).as(b.body() + " -> " + reply).isEqualTo(b.code());
            if (b.reason() != null) {
                assertThat(reply.path("error").path("reason").asText()).isEqualTo(b.reason());
            }
            assertThat(admin("ping").path("janus").asText()).isEqualTo("pong");
        }
        var big = http.post(server.admin(), new byte[2 << 20]);
        assertThat(big.status()).isEqualTo(413);
        assertThat(admin("list_sessions").path("sessions").toString()).contains(Long.toString(s));
    }

    @Test
    void withoutAConfiguredSecretOneIsGeneratedAndLoggedOnce() throws Exception {
        Logger gatewayLog = (Logger) LoggerFactory.getLogger(Gateway.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        gatewayLog.addAppender(captured);
        try (TestServer open = new TestServer("")) {
            String generated = open.server.gateway().adminSecret();
            assertThat(generated).hasSizeGreaterThanOrEqualTo(24);
            assertThat(captured.list).filteredOn(e -> e.getFormattedMessage().contains(generated)).hasSize(1);
            ObjectNode noSecret = Json.object();
            noSecret.put("janus", "list_sessions");
            assertThat(http.request(open.admin(), noSecret).path("error").path("code").asInt()).isEqualTo(403);
            ObjectNode withSecret = Json.object();
            withSecret.put("janus", "list_sessions");
            withSecret.put("admin_secret", generated);
            assertThat(http.request(open.admin(), withSecret).path("janus").asText()).isEqualTo("success");
        } finally {
            gatewayLog.detachAppender(captured);
        }
    }
}
