package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import io.portunus.schema.Schemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portunus admin} against a Portunus on free ports, over HTTP and the admin WebSocket:
 * what an operator sees for each verb, each exit code, and that the secret never shows.
 */
class AdminCliTest {
    static final String SECRET = "cli-overlord-7f3a";
    static TestServer server;
    static final HttpClientHelper http = new HttpClientHelper();
    static final String CLIENT_TOKEN = "client-token";
    static long session;
    static long handle;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"" + SECRET + "\"\ntoken_auth = true");
        // token_auth is on (for add_token): the client's own token first, through the Admin API.
        http.request(server.admin(), Json.object().put("janus", "add_token").put("transaction", "t")
                .put("admin_secret", SECRET).put("token", CLIENT_TOKEN));
        session = createSession();
        handle = http.request(server.janus() + "/" + session, Json.object().put("janus", "attach").put("transaction", "a")
                .put("token", CLIENT_TOKEN).put("plugin", "janus.plugin.echotest")).path("data").path("id").asLong();
        assertThat(handle).isPositive();
    }

    @AfterAll
    static void stop() {
        server.close();
        assertThat(CliRun.PRINTED).isNotEmpty().noneMatch(printed -> printed.contains(SECRET));
    }

    static String url(String kind) {
        return kind.equals("HTTP") ? server.admin() : server.adminWs();
    }

    static CliRun.Result admin(String kind, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url(kind)));
        all.addAll(List.of(args));
        return CliRun.run(Map.of("PORTUNUS_ADMIN_SECRET", SECRET), all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void listSessionsShowsEachSessionWithItsHandlesAndPlugin(String kind) {
        CliRun.Result r = admin(kind, "list_sessions").expect(0);
        String row = r.out().lines().filter(l -> l.contains(Long.toString(handle))).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertThat(row).contains(Long.toString(session)).contains("janus.plugin.echotest");
        assertThat(r.out().lines().findFirst().orElseThrow()).contains("SESSION", "HANDLE", "PLUGIN", "ICE", "DTLS", "IN kbit/s", "OUT kbit/s");
        assertThat(r.out()).contains("1 session");
        JsonNode raw = parse(admin(kind, "--json", "list_sessions").expect(0).out());
        assertThat(raw.path("sessions").toString()).isEqualTo("[" + session + "]");
        Schemas.assertValidAdminReply("list_sessions", raw);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void handleInfoSummarisesAndJsonGivesTheReplyThatValidates(String kind) {
        String out = admin(kind, "handle_info", Long.toString(session), Long.toString(handle)).expect(0).out();
        assertThat(out).contains("plugin     janus.plugin.echotest").contains("handle     " + handle).contains("no PeerConnection");
        JsonNode raw = parse(admin(kind, "handle-info", "--json", Long.toString(session), Long.toString(handle)).expect(0).out());
        assertThat(raw.at("/info/handle_id").asLong()).isEqualTo(handle);
        Schemas.assertValidAdminReply("handle_info", raw);
        String pluginOnly = admin(kind, "--json", "handle_info", "--plugin-only", Long.toString(session), Long.toString(handle)).expect(0).out();
        assertThat(parse(pluginOnly).path("info").has("flags")).as("plugin_only leaves the flags out").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void setLogLevelChangesWhatGetStatusShows(String kind) {
        assertThat(admin(kind, "set_log_level", "6").expect(0).out()).isEqualTo("level: 6\n");
        assertThat(admin(kind, "get_status").expect(0).out()).containsPattern("(?m)^log_level +6$");
        assertThat(admin(kind, "set-log-level", "4").expect(0).out()).isEqualTo("level: 4\n");
        CliRun.Result bad = admin(kind, "set_log_level", "9").expect(1);
        assertThat(bad.err()).isEqualTo("error 467: Invalid element type (level should be between 0 and 7)\n");
        assertThat(admin(kind, "get_status").out()).containsPattern("(?m)^log_level +4$");
    }

    @Test
    void tokensAreAddedListedAndRemoved() {
        assertThat(admin("HTTP", "add_token", "cli-token", "--plugin", "janus.plugin.echotest").expect(0).out())
                .isEqualTo("token may use: janus.plugin.echotest\n");
        assertThat(admin("WebSockets", "list_tokens").expect(0).out()).containsPattern("(?m)^cli-token +janus.plugin.echotest$")
                // A token added with no plugin list may use every plugin (now the VideoRoom too).
                .containsPattern("(?m)^" + CLIENT_TOKEN + " +.*janus.plugin.echotest");
        assertThat(admin("HTTP", "remove_token", "cli-token").expect(0).out()).isEqualTo("ok\n");
        assertThat(admin("HTTP", "remove_token", "cli-token").expect(1).err()).isEqualTo("error 490: Error removing token\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void messagePluginPrintsThePluginsResponse(String kind) {
        String out = admin(kind, "message_plugin", "janus.plugin.echotest", "--request", "{\"request\":\"list\",\"n\":7}").expect(0).out();
        JsonNode response = parse(out);
        assertThat(response.path("n").asInt()).isEqualTo(7);
        assertThat(admin(kind, "message_plugin", "janus.plugin.nosuch").expect(1).err()).isEqualTo("error 460: Invalid plugin\n");
    }

    @Test
    void everyOtherVerbReachesTheServer() {
        // Verbs not covered above, each with the reply an operator sees.
        assertThat(admin("HTTP", "ping").expect(0).out()).isEqualTo("pong\n");
        assertThat(admin("HTTP", "info").expect(0).out()).contains("janus.plugin.echotest");
        assertThat(admin("HTTP", "set_session_timeout", "90").expect(0).out()).isEqualTo("timeout: 90\n");
        assertThat(admin("HTTP", "set_session_timeout", "60").expect(0).out()).isEqualTo("timeout: 60\n");
        assertThat(admin("HTTP", "set_locking_debug", "false").expect(0).out()).isEqualTo("locking_debug: false\n");
        assertThat(admin("HTTP", "set_no_media_timer", "2").expect(0).out()).isEqualTo("no_media_timer: 2\n");
        assertThat(admin("HTTP", "accept_new_sessions", "true").expect(0).out()).isEqualTo("accept: true\n");
        assertThat(admin("HTTP", "custom_logline", "hello from the cli").expect(0).out()).isEqualTo("ok\n");
        assertThat(admin("HTTP", "custom_event", "cli.test", "{\"a\":1}").expect(0).out()).isEqualTo("ok\n");
        assertThat(admin("HTTP", "loops_info").expect(0).out()).isNotBlank();
        assertThat(admin("HTTP", "resolve_address", "localhost").expect(0).out()).containsPattern("^(127\\.0\\.0\\.1|::1)  \\(\\d+ µs\\)");
        assertThat(admin("HTTP", "list_handles", Long.toString(session)).expect(0).out()).contains(Long.toString(handle));
        assertThat(admin("HTTP", "query_transport", "janus.transport.http", "--request", "{\"request\":\"nope\"}").expect(0).out()).contains("error");
        long other = createSession();
        assertThat(admin("WebSockets", "destroy_session", Long.toString(other)).expect(0).out()).isEqualTo("ok\n");
        assertThat(admin("WebSockets", "list_handles", Long.toString(other)).expect(1).err()).isEqualTo("error 458: No such session " + other + "\n");
    }

    @Test
    void aWrongOrMissingSecretIsAnErrorReplyExitOne() {
        CliRun.Result wrong = CliRun.run(Map.of("PORTUNUS_ADMIN_SECRET", "not-it"), "--url", server.admin(), "list_sessions").expect(1);
        assertThat(wrong.err()).isEqualTo("error 403: Unauthorized request (wrong or missing secret/token)\n");
        assertThat(wrong.out()).isEmpty();
        CliRun.run(Map.of(), "--url", server.adminWs(), "get_status").expect(1);
        // info and ping need no secret (and the CLI does not send it there).
        CliRun.run(Map.of(), "--url", server.admin(), "ping").expect(0);
    }

    @Test
    void theSecretCanComeFromAFileAndIsNeverPrinted() throws IOException {
        Path file = Files.createTempFile("admin-secret", "");
        Files.writeString(file, SECRET + "\n");
        CliRun.Result r = CliRun.run(Map.of(), "--url", server.admin(), "--secret-file", file.toString(), "--json", "get_status").expect(0);
        assertThat(r.out()).doesNotContain(SECRET);
        CliRun.Result missing = CliRun.run(Map.of(), "--url", server.admin(), "--secret-file", file + ".gone", "get_status").expect(2);
        assertThat(missing.err()).contains("cannot read").doesNotContain(SECRET);
        Files.delete(file);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(admin("HTTP", "no_such_verb").expect(2).err()).contains("Unmatched argument");
        assertThat(admin("HTTP", "set_log_level").expect(2).err()).contains("Missing required parameter");
        assertThat(admin("HTTP", "set_log_level", "loud").expect(2).err()).contains("LEVEL must be an integer");
        assertThat(admin("HTTP", "set_log_colors", "perhaps").expect(2).err()).contains("must be true or false");
        assertThat(admin("HTTP", "handle_info", "0", "1").expect(2).err()).contains("SESSION must be a positive id");
        assertThat(admin("HTTP", "message_plugin", "janus.plugin.echotest", "--request", "[1]").expect(2).err()).contains("JSON object");
        assertThat(CliRun.run(Map.of(), "--url", "ftp://127.0.0.1/x", "ping").expect(2).err()).contains("--url");
        assertThat(CliRun.run(Map.of()).expect(2).err()).contains("Usage: portunus admin");
    }

    @Test
    void anUnreachableOrSilentServerExitsThree() throws Exception {
        int closed = TestServer.freePort();
        CliRun.Result refused = CliRun.run(Map.of(), "--url", "http://127.0.0.1:" + closed + "/admin", "ping").expect(3);
        assertThat(refused.err()).startsWith("unreachable: cannot connect");
        CliRun.run(Map.of(), "--url", "ws://127.0.0.1:" + closed, "ping").expect(3);
        // A server that accepts the connection and never answers: --timeout bounds the wait.
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            long start = System.nanoTime();
            CliRun.Result timedOut = CliRun.run(Map.of(), "--url", "http://127.0.0.1:" + silent.getLocalPort() + "/admin", "--timeout", "1", "ping").expect(3);
            assertThat(timedOut.err()).contains("no reply").contains("within 1.0 s");
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(8000);
            CliRun.run(Map.of(), "--url", "ws://127.0.0.1:" + silent.getLocalPort(), "-t", "1", "ping").expect(3);
            silent.close();
            acceptor.join();
            for (Socket s : accepted) {
                s.close();
            }
        }
        // Something that is not an Admin API (the Janus API's root answers 404 without JSON).
        CliRun.run(Map.of(), "--url", "http://127.0.0.1:" + server.httpPort + "/nothing", "ping").expect(3);
    }

    @Test
    void watchRepeatsTheVerb() {
        CliRun.Result r = admin("HTTP", "watch", "--count", "2", "--interval", "0.2", "list_sessions").expect(0);
        assertThat(r.out().lines().filter(l -> l.startsWith("every 0.2 s: list_sessions"))).hasSize(2);
        assertThat(r.out().lines().filter(l -> l.contains(Long.toString(handle)))).hasSize(2);
        admin("HTTP", "watch", "--count", "1", "no_such_verb").expect(2);
    }

    static long createSession() {
        try {
            long id = http.request(server.janus(), Json.object().put("janus", "create").put("transaction", "c")
                    .put("token", CLIENT_TOKEN)).path("data").path("id").asLong();
            assertThat(id).isPositive();
            return id;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
