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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portunus admin} against a real Janus 1.1.2 (the Debian package, started on side
 * ports by e2e/scripts/real-janus.sh): the same verbs and exit codes as against Portunus.
 * Janus's sample configuration has admin_secret "janusoverlord" and token auth off.
 */
class AdminCliRealJanusTest {
    static final String SECRET = "janusoverlord";
    static final Map<String, String> PORTS = Map.of(
            "REAL_JANUS_STATE_DIR", "/tmp/rj-cli", "REAL_JANUS_HTTP_PORT", "28088", "REAL_JANUS_ADMIN_HTTP_PORT", "27088",
            "REAL_JANUS_WS_PORT", "28188", "REAL_JANUS_ADMIN_WS_PORT", "27188");
    static final String JANUS = "http://127.0.0.1:28088/janus";
    static final Map<String, String> URLS = Map.of("HTTP", "http://127.0.0.1:27088/admin", "WebSockets", "ws://127.0.0.1:27188");
    static final HttpClientHelper http = new HttpClientHelper();
    static long session;
    static long handle;

    @BeforeAll
    static void startJanus() throws Exception {
        script("start");
        session = http.request(JANUS, Json.object().put("janus", "create").put("transaction", "c")).path("data").path("id").asLong();
        handle = http.request(JANUS + "/" + session, Json.object().put("janus", "attach").put("transaction", "a")
                .put("plugin", "janus.plugin.echotest").put("opaque_id", "cli-real")).path("data").path("id").asLong();
        assertThat(session).isPositive();
        assertThat(handle).isPositive();
    }

    @AfterAll
    static void stopJanus() throws Exception {
        script("stop");
        assertThat(CliRun.PRINTED).noneMatch(printed -> printed.contains(SECRET));
    }

    static void script(String verb) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(Schemas.repoPath("e2e/scripts/real-janus.sh").toString(), verb).redirectErrorStream(true);
        b.environment().putAll(PORTS);
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("real-janus.sh %s: %s", verb, output).isZero();
    }

    static CliRun.Result admin(String kind, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", URLS.get(kind)));
        all.addAll(List.of(args));
        return CliRun.run(Map.of("PORTUNUS_ADMIN_SECRET", SECRET), all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void listSessionsAndHandleInfo(String kind) throws Exception {
        CliRun.Result list = admin(kind, "list_sessions").expect(0);
        String row = list.out().lines().filter(l -> l.contains(Long.toString(handle))).findFirst().orElseThrow(() -> new AssertionError(list.out()));
        assertThat(row).contains(Long.toString(session)).contains("janus.plugin.echotest").contains("cli-real");
        String info = admin(kind, "handle_info", Long.toString(session), Long.toString(handle)).expect(0).out();
        assertThat(info).contains("plugin     janus.plugin.echotest").contains("opaque_id cli-real").contains("no PeerConnection");
        JsonNode raw = Json.MAPPER.readTree(admin(kind, "--json", "handle_info", Long.toString(session), Long.toString(handle)).expect(0).out());
        Schemas.assertValidAdminReply("handle_info", raw);
        assertThat(raw.at("/info/session_transport").asText()).isEqualTo("janus.transport.http");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void setLogLevelAndItsErrors(String kind) {
        assertThat(admin(kind, "set_log_level", "5").expect(0).out()).isEqualTo("level: 5\n");
        assertThat(admin(kind, "get_status").expect(0).out()).containsPattern("(?m)^log_level +5$").containsPattern("(?m)^libnice_debug +false$");
        assertThat(admin(kind, "set_log_level", "4").expect(0).out()).isEqualTo("level: 4\n");
        assertThat(admin(kind, "set_log_level", "9").expect(1).err()).isEqualTo("error 467: Invalid element type (level should be between 0 and 7)\n");
    }

    @Test
    void addTokenIsRefusedWhileJanusHasTokenAuthOff() {
        assertThat(admin("HTTP", "add_token", "abc", "--plugin", "janus.plugin.echotest").expect(1).err())
                .isEqualTo("error 490: Stored-Token based authentication disabled\n");
        assertThat(admin("WebSockets", "list_tokens").expect(1).err()).isEqualTo("error 490: Stored-Token based authentication disabled\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void messagePluginReachesTheEchoTestAndVideoRoom(String kind) throws Exception {
        JsonNode echo = Json.MAPPER.readTree(admin(kind, "message_plugin", "janus.plugin.echotest", "--request", "{\"request\":\"list\"}").expect(0).out());
        assertThat(echo.path("request").asText()).isEqualTo("list");
        JsonNode rooms = Json.MAPPER.readTree(admin(kind, "message_plugin", "janus.plugin.videoroom", "--request", "{\"request\":\"list\"}").expect(0).out());
        assertThat(rooms.path("videoroom").asText()).isEqualTo("success");
        assertThat(admin(kind, "message_plugin", "janus.plugin.nosuch").expect(1).err()).isEqualTo("error 460: Invalid plugin\n");
    }

    @Test
    void exitCodesAgainstJanus() throws Exception {
        assertThat(CliRun.run(Map.of("PORTUNUS_ADMIN_SECRET", "wrong"), "--url", URLS.get("HTTP"), "list_sessions").expect(1).err())
                .isEqualTo("error 403: Unauthorized request (wrong or missing secret/token)\n");
        assertThat(CliRun.run(Map.of(), "--url", URLS.get("WebSockets"), "get_status").expect(1).err())
                .isEqualTo("error 403: Unauthorized request (wrong or missing secret/token)\n");
        assertThat(admin("HTTP", "ping").expect(0).out()).isEqualTo("pong\n");
        assertThat(admin("HTTP", "info").expect(0).out()).startsWith("Janus WebRTC Server 1.1.2");
        admin("HTTP", "set_log_level", "high").expect(2);
        CliRun.run(Map.of(), "--url", "http://127.0.0.1:" + TestServer.freePort() + "/admin", "ping").expect(3);
        Path file = Files.createTempFile("janus-secret", "");
        Files.writeString(file, SECRET);
        CliRun.run(Map.of(), "--url", URLS.get("WebSockets"), "--secret-file", file.toString(), "list_sessions").expect(0);
        Files.delete(file);
    }
}
