package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Admin API request that needs no PeerConnection, over HTTP and over the admin
 * WebSocket: replies compared key by key with Janus 1.1.2's where one was recorded, errors
 * with the spec's codes and texts.
 */
class AdminApiTest {
    static final String SECRET = "overlord-secret";
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();
    static final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"" + SECRET + "\"\nopaqueid_in_api = true");
    }

    @AfterAll
    static void stop() {
        server.close();
        // Nothing the Admin API answered may carry the secret back.
        assertThat(seen).isNotEmpty().noneMatch(reply -> reply.contains(SECRET));
    }

    static AdminChannel channel(String kind) throws Exception {
        return kind.equals("HTTP") ? AdminChannel.http(server, seen) : AdminChannel.ws(server, seen);
    }

    static ObjectNode req(String janus) {
        ObjectNode o = Json.object();
        o.put("janus", janus);
        o.put("admin_secret", SECRET);
        return o;
    }

    static void assertSuccess(JsonNode reply) {
        assertThat(reply.path("janus").asText()).as(reply.toString()).isEqualTo("success");
    }

    static void assertError(JsonNode reply, int code, String reason) {
        assertThat(reply.path("janus").asText()).as(reply.toString()).isEqualTo("error");
        assertThat(reply.path("error").path("code").asInt()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.path("error").path("reason").asText()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void infoAndPingNeedNoSecret(String kind) throws Exception {
        try (AdminChannel admin = channel(kind)) {
            ObjectNode info = Json.object();
            info.put("janus", "info");
            JsonNode reply = admin.send(info);
            assertThat(reply.path("janus").asText()).isEqualTo("server_info");
            assertThat(reply.path("plugins").has("janus.plugin.echotest")).isTrue();
            ObjectNode ping = Json.object();
            ping.put("janus", "ping");
            ping.put("transaction", "p");
            assertThat(admin.send(ping).toString()).isEqualTo("{\"janus\":\"pong\",\"transaction\":\"p\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void statusAndSettersAnswerAsJanus(String kind) throws Exception {
        try (AdminChannel admin = channel(kind)) {
            Shapes.assertSameShape(admin.send(req("get_status")), "075-get_status.json");
            record Setter(String verb, String field, Object value, String file) {
            }
            for (Setter s : List.of(
                    new Setter("set_log_level", "level", 4, "082-set_log_level.json"),
                    new Setter("set_session_timeout", "timeout", 60, "085-set_session_timeout.json"),
                    new Setter("set_log_timestamps", "timestamps", false, "088-set_log_timestamps.json"),
                    new Setter("set_log_colors", "colors", false, "089-set_log_colors.json"),
                    new Setter("set_locking_debug", "debug", false, "090-set_locking_debug.json"),
                    new Setter("set_refcount_debug", "debug", false, "091-set_refcount_debug.json"),
                    new Setter("set_libnice_debug", "debug", false, "092-set_libnice_debug.json"),
                    new Setter("set_min_nack_queue", "min_nack_queue", 200, "093-set_min_nack_queue.json"),
                    new Setter("set_no_media_timer", "no_media_timer", 1, "094-set_no_media_timer.json"),
                    new Setter("set_slowlink_threshold", "slowlink_threshold", 0, "095-set_slowlink_threshold.json"))) {
                ObjectNode r = req(s.verb());
                r.set(s.field(), Json.MAPPER.valueToTree(s.value()));
                JsonNode reply = admin.send(r);
                assertSuccess(reply);
                Shapes.assertSameShape(reply, s.file());
            }
            ObjectNode nack = req("set_nack_optimizations");
            nack.put("nack_optimizations", true);
            assertThat(admin.send(nack).path("nack-optimizations").asBoolean()).isTrue();
            assertThat(admin.send(req("get_status")).path("status").path("nack-optimizations").asBoolean()).isTrue();
            nack.put("nack_optimizations", false);
            nack.remove("transaction");
            admin.send(nack);
            // Janus caps the NACK queue at 1000 ms and says so in the reply.
            ObjectNode big = req("set_min_nack_queue");
            big.put("min_nack_queue", 5000);
            assertThat(admin.send(big).path("min_nack_queue").asInt()).isEqualTo(1000);
            assertThat(admin.send(req("get_status")).path("status").path("min_nack_queue").asInt()).isEqualTo(1000);
            big.put("min_nack_queue", 200);
            big.remove("transaction");
            admin.send(big);
            // Validation errors, texts as recorded from Janus.
            ObjectNode badLevel = req("set_log_level");
            badLevel.put("level", 99);
            JsonNode bad = admin.send(badLevel);
            assertError(bad, 467, "Invalid element type (level should be between 0 and 7)");
            Shapes.assertSameShape(bad, "084-set_log_level-bad.json");
            ObjectNode badTimeout = req("set_session_timeout");
            badTimeout.put("timeout", "x");
            assertError(admin.send(badTimeout), 467, "Invalid element type (timeout should be a positive integer)");
            assertError(admin.send(req("set_log_colors")), 456, "Missing mandatory element (colors)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void sessionsHandlesAndHandleInfo(String kind) throws Exception {
        long s = http.createSession(server.janus());
        ObjectNode attach = Json.object();
        attach.put("janus", "attach");
        attach.put("plugin", "janus.plugin.echotest");
        attach.put("opaque_id", "admin-test");
        long h = http.request(server.janus() + "/" + s, attach).path("data").path("id").asLong();
        try (AdminChannel admin = channel(kind)) {
            JsonNode sessions = admin.send(req("list_sessions"));
            Shapes.assertSameShape(sessions, "076-list_sessions.json");
            assertThat(sessions.path("sessions").toString()).contains(Long.toString(s));

            ObjectNode lh = req("list_handles");
            lh.put("session_id", s);
            JsonNode handles = admin.send(lh);
            Shapes.assertSameShape(handles, "077-list_handles.json");
            assertThat(handles.path("handles").get(0).asLong()).isEqualTo(h);

            ObjectNode hi = req("handle_info");
            hi.put("session_id", s);
            hi.put("handle_id", h);
            hi.put("plugin_only", true);
            JsonNode pluginOnly = admin.send(hi);
            assertThat(pluginOnly.path("info").path("opaque_id").asText()).isEqualTo("admin-test");
            assertThat(pluginOnly.path("info").path("session_transport").asText()).isEqualTo("janus.transport.http");
            // Janus's recording also has the codec keys, which appear once media is negotiated.
            List<String> recorded = Shapes.keys(Shapes.recorded("079-handle_info-echotest-plugin_only.json"));
            recorded.removeIf(k -> k.contains("audio_codec") || k.contains("video_codec"));
            assertThat(Shapes.keys(pluginOnly)).isEqualTo(recorded);

            hi.remove("plugin_only");
            hi.remove("transaction");
            JsonNode full = admin.send(hi);
            JsonNode info = full.path("info");
            assertThat(info.path("plugin").asText()).isEqualTo("janus.plugin.echotest");
            assertThat(info.path("current_time").asLong()).isGreaterThanOrEqualTo(info.path("created").asLong());
            // Flags: the same 20 keys as Janus, in the same order; none set without a PeerConnection.
            List<String> flags = Shapes.keys(Shapes.recorded("078-handle_info-echotest.json").path("info").path("flags"));
            assertThat(Shapes.keys(info.path("flags"))).isEqualTo(flags);
            assertThat(info.path("flags").toString()).doesNotContain("true");
            assertThat(info.path("queued-packets").asInt()).isZero();
            assertThat(info.has("webrtc")).as("no PeerConnection, no webrtc part").isFalse();

            ObjectNode timeout = req("set_session_timeout");
            timeout.put("session_id", s);
            timeout.put("timeout", 0);
            JsonNode t = admin.send(timeout);
            assertThat(Shapes.keys(t)).containsExactly("janus:string", "transaction:string", "timeout:number", "session_id:number");
            timeout.put("timeout", -2);
            timeout.remove("transaction");
            assertError(admin.send(timeout), 467, "Invalid element type (timeout should be a non-negative integer or -1)");

            ObjectNode hangup = req("hangup_webrtc");
            hangup.put("session_id", s);
            hangup.put("handle_id", h);
            assertThat(admin.send(hangup).toString()).contains("\"janus\":\"success\"");

            ObjectNode detach = req("detach_handle");
            detach.put("session_id", s);
            detach.put("handle_id", h);
            assertSuccess(admin.send(detach));
            assertThat(http.get(server.janus() + "/" + s).json().path("janus").asText()).as("client told").isEqualTo("detached");
            detach.remove("transaction");
            assertError(admin.send(detach), 459, "No such handle " + h + " in session " + s);

            ObjectNode destroy = req("destroy_session");
            destroy.put("session_id", s);
            assertThat(admin.send(destroy).toString()).isEqualTo(
                    "{\"janus\":\"success\",\"session_id\":" + s + ",\"transaction\":\"" + destroy.get("transaction").asText() + "\"}");
            assertThat(server.server.gateway().session(s)).isNull();
            assertThat(http.request(server.janus() + "/" + s, "keepalive").path("error").path("code").asInt()).isEqualTo(458);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP", "WebSockets"})
    void modulesAndHelpers(String kind) throws Exception {
        try (AdminChannel admin = channel(kind)) {
            ObjectNode mp = req("message_plugin");
            mp.put("plugin", "janus.plugin.echotest");
            mp.putObject("request").put("request", "list");
            JsonNode echoed = admin.send(mp);
            Shapes.assertSameShape(echoed, "105-message_plugin-echotest.json");
            assertThat(echoed.path("response").toString()).isEqualTo("{\"request\":\"list\"}");
            mp.put("plugin", "janus.plugin.nope");
            mp.remove("transaction");
            assertError(admin.send(mp), 460, "Invalid plugin");

            ObjectNode qt = req("query_transport");
            qt.put("transport", "janus.transport.http");
            qt.putObject("request").put("request", "connections");
            JsonNode conns = admin.send(qt);
            assertThat(conns.path("response").path("result").asInt()).isEqualTo(200);
            assertThat(conns.path("response").path("connections").has("http")).isTrue();
            assertThat(conns.path("response").path("connections").has("admin_http")).isTrue();
            ObjectNode qws = req("query_transport");
            qws.put("transport", "janus.transport.websockets");
            qws.putObject("request").put("request", "connections");
            JsonNode wsConns = admin.send(qws);
            assertThat(wsConns.path("response").path("connections").asInt()).isGreaterThanOrEqualTo(kind.equals("HTTP") ? 0 : 1);
            ObjectNode unknown = req("query_transport");
            unknown.put("transport", "janus.transport.http");
            unknown.putObject("request").put("request", "nope");
            assertThat(admin.send(unknown).path("response").toString()).isEqualTo("{\"error_code\":411,\"error\":\"Unknown request 'nope'\"}");
            ObjectNode missing = req("query_transport");
            missing.put("transport", "janus.transport.rabbitmq");
            assertError(admin.send(missing), 460, "Invalid transport");

            ObjectNode ql = req("query_logger");
            ql.put("logger", "janus.logger.jsonlog");
            ql.putObject("request");
            JsonNode noLogger = admin.send(ql);
            assertError(noLogger, 460, "Invalid logger");
            Shapes.assertSameShape(noLogger, "125-query_logger-unknown.json");

            assertThat(admin.send(req("loops_info")).path("loops").isArray()).isTrue();

            ObjectNode resolve = req("resolve_address");
            resolve.put("address", "localhost");
            JsonNode resolved = admin.send(resolve);
            Shapes.assertSameShape(resolved, "118-resolve_address.json");
            assertThat(resolved.path("ip").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
            resolve.put("address", "no-such-host.invalid");
            resolve.remove("transaction");
            JsonNode unresolved = admin.send(resolve);
            assertError(unresolved, 490, "Could not resolve address");
            Shapes.assertSameShape(unresolved, "119-resolve_address-bad.json");

            ObjectNode noAddress = req("test_stun");
            noAddress.put("port", 3478);
            JsonNode stunErr = admin.send(noAddress);
            assertError(stunErr, 456, "Missing mandatory element (address)");
            Shapes.assertSameShape(stunErr, "121-test_stun-noaddress.json");
        }
    }
}
