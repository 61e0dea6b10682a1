package io.portunus.webrtc.capture;

import io.portunus.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Json;
import io.portunus.webrtc.WebRtc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The four Admin verbs on a real server: replies, errors, handle_info keys, confinement, end with the handle. */
class CaptureAdminTest {
    static final String SECRET = "capture-secret";
    static Path folder;
    static Path root;
    static Path outside;
    static Server server;
    static int httpPort;
    static int adminPort;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        folder = Files.createTempDirectory("portunus-capture");
        root = folder.resolve("caps");
        outside = Files.createDirectories(folder.resolve("outside"));
        httpPort = freePort();
        adminPort = freePort();
        Files.writeString(folder.resolve("janus.jcfg"), """
                general: {
                  admin_secret = "%s"
                  captures_folder = "%s"
                  protected_folders = [ "%s" ]
                }
                """.formatted(SECRET, root, root.resolve("private")));
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1" }
                admin: { admin_http = true, admin_port = %d }
                """.formatted(httpPort, adminPort));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\n");
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, new ConfigFolder(folder)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int freePort() throws Exception {
        return FreePorts.next();
    }

    static JsonNode post(String url, ObjectNode body) throws Exception {
        body.put("transaction", "t" + System.nanoTime());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    /** A session with an EchoTest handle; returns {session, handle}. */
    static long[] handle() throws Exception {
        String janus = "http://127.0.0.1:" + httpPort + "/janus";
        ObjectNode create = Json.object();
        create.put("janus", "create");
        long session = post(janus, create).path("data").path("id").asLong();
        ObjectNode attach = Json.object();
        attach.put("janus", "attach");
        attach.put("plugin", "janus.plugin.echotest");
        long handle = post(janus + "/" + session, attach).path("data").path("id").asLong();
        return new long[] {session, handle};
    }

    static JsonNode admin(long[] h, String verb, Object... fields) throws Exception {
        ObjectNode o = Json.object();
        o.put("janus", verb);
        o.put("admin_secret", SECRET);
        for (int i = 0; i < fields.length; i += 2) {
            o.set((String) fields[i], Json.MAPPER.valueToTree(fields[i + 1]));
        }
        return post("http://127.0.0.1:" + adminPort + "/admin/" + h[0] + "/" + h[1], o);
    }

    static void assertError(JsonNode reply, long session, int code, String reasonStart) {
        assertThat(reply.path("janus").asText()).isEqualTo("error");
        assertThat(reply.path("session_id").asLong()).isEqualTo(session);
        assertThat(reply.path("error").path("code").asInt()).isEqualTo(code);
        assertThat(reply.path("error").path("reason").asText()).startsWith(reasonStart);
    }

    @Test
    void startStopRepliesAndHandleInfo() throws Exception {
        long[] h = handle();
        JsonNode ok = admin(h, "start_pcap", "folder", "calls", "filename", "echotest.pcap", "truncate", 0);
        assertThat(ok.path("janus").asText()).isEqualTo("success");
        assertThat(ok.has("session_id")).isFalse();
        assertThat(ok.size()).isEqualTo(2);
        Path file = root.toRealPath().resolve("calls/echotest.pcap");
        assertThat(file).exists();
        JsonNode info = admin(h, "handle_info").path("info");
        assertThat(info.path("dump-to-pcap").asBoolean()).isTrue();
        assertThat(info.path("pcap-file").asText()).isEqualTo(file.toString());
        assertThat(info.has("dump-to-text2pcap")).isFalse();

        assertError(admin(h, "start_pcap", "filename", "other.pcap"), h[0], 490, "pcap already started");
        assertThat(admin(h, "start_pcap", "filename", "other.pcap").path("error").path("reason").asText())
                .isEqualTo("pcap already started");
        assertThat(admin(h, "start_text2pcap").path("error").path("reason").asText()).isEqualTo("text2pcap already started");

        // Either stop verb stops whichever capture runs.
        JsonNode stopped = admin(h, "stop_text2pcap");
        assertThat(stopped.path("janus").asText()).isEqualTo("success");
        assertThat(stopped.has("session_id")).isFalse();
        assertThat(admin(h, "handle_info").path("info").has("dump-to-pcap")).isFalse();
        JsonNode again = admin(h, "stop_pcap");
        assertError(again, h[0], 490, "Capture not started");
        assertThat(again.path("error").path("reason").asText()).isEqualTo("Capture not started");
        Thread.sleep(300);
        assertThat(Files.size(file)).isEqualTo(24); // a pcap header, no media on this handle

        assertThat(admin(h, "start_text2pcap", "filename", "echotest.txt").path("janus").asText()).isEqualTo("success");
        info = admin(h, "handle_info").path("info");
        assertThat(info.path("dump-to-text2pcap").asBoolean()).isTrue();
        assertThat(info.path("text2pcap-file").asText()).isEqualTo(root.toRealPath().resolve("echotest.txt").toString());
        assertThat(admin(h, "stop_pcap").path("janus").asText()).isEqualTo("success");
    }

    @Test
    void refusedPathsGetJanusErrorWithTheReason() throws Exception {
        long[] h = handle();
        assertError(admin(h, "start_pcap", "folder", "../outside", "filename", "x.pcap"), h[0], 490,
                "Error starting pcap dump: '..' is not allowed");
        assertError(admin(h, "start_text2pcap", "folder", outside.toString(), "filename", "x.txt"), h[0], 490,
                "Error starting text2pcap dump: folder " + outside + " is outside the capture root");
        assertError(admin(h, "start_pcap", "folder", "/etc", "filename", "x.pcap"), h[0], 490,
                "Error starting pcap dump: folder /etc is outside the capture root");
        Files.createDirectories(root);
        Files.deleteIfExists(root.resolve("out-link"));
        Files.createSymbolicLink(root.resolve("out-link"), outside);
        assertError(admin(h, "start_pcap", "folder", "out-link", "filename", "x.pcap"), h[0], 490,
                "Error starting pcap dump: folder");
        assertError(admin(h, "start_pcap", "folder", "private", "filename", "x.pcap"), h[0], 490,
                "Error starting pcap dump: 'private' is in a protected folder");
        Files.writeString(root.resolve("exists.pcap"), "x");
        assertError(admin(h, "start_pcap", "filename", "exists.pcap"), h[0], 490, "Error starting pcap dump: file");
        assertThat(Files.readString(root.resolve("exists.pcap"))).isEqualTo("x");
        assertError(admin(h, "start_pcap", "truncate", -1), h[0], 467, "Invalid element type (truncate should be a positive integer)");
        assertError(admin(h, "start_pcap", "folder", 5), h[0], 467, "Invalid element type (folder should be a string)");
        try (var files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
        // None of those left a capture running.
        assertThat(admin(h, "handle_info").path("info").has("dump-to-pcap")).isFalse();
        assertError(admin(h, "stop_pcap"), h[0], 490, "Capture not started");
    }

    @Test
    void theCaptureEndsWithItsHandle() throws Exception {
        long[] h = handle();
        assertThat(admin(h, "start_pcap", "filename", "gone-" + h[1] + ".pcap").path("janus").asText()).isEqualTo("success");
        assertThat(admin(h, "detach_handle").path("janus").asText()).isEqualTo("success");
        long deadline = System.nanoTime() + 3_000_000_000L;
        boolean running = true;
        while (running && System.nanoTime() < deadline) {
            Thread.sleep(50);
            running = ((WebRtc) server.gateway().webRtc()).captures().runningForHandleId(h[1]);
        }
        assertThat(running).as("capture stopped after detach").isFalse();
    }
}
