package io.portunus.dashboard;

import io.portunus.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard on a real server: its routes on the Admin HTTP server, the live feed, and the ended-calls requests. */
class DashboardServerTest {
    private static final String SECRET = "janusoverlord";
    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;
    private int adminPort;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        httpPort = freePort();
        adminPort = freePort();
        Path folder = Files.createTempDirectory("portunus-dashboard");
        Files.writeString(folder.resolve("janus.jcfg"), "general: { admin_secret = \"" + SECRET + "\" }\n");
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1" }
                admin: { admin_http = true, admin_port = %d }
                """.formatted(httpPort, adminPort));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\nadmin: { admin_ws = false }\n");
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, new ConfigFolder(folder)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servedOnTheAdminServerOnly() throws Exception {
        HttpResponse<String> page = get("http://127.0.0.1:" + adminPort + "/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"signin\"");
        assertThat(get("http://127.0.0.1:" + httpPort + "/dashboard/").statusCode()).isEqualTo(404);
    }

    @Test
    void theLiveFeedRefusesAWrongSecretAndStreamsEventsToTheRightOne() throws Exception {
        HttpResponse<String> refused = http.send(feedRequest("wrong"), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);

        HttpResponse<InputStream> feed = http.send(feedRequest(SECRET), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(feed.statusCode()).isEqualTo(200);
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.offer(l);
                }
            } catch (IOException e) {
                // the test closed the connection
            }
        });
        assertThat(lines.poll(5, TimeUnit.SECONDS)).contains("\"started\":true");
        long sessionId = janus("/janus", "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
        String created = null;
        for (String l = lines.poll(5, TimeUnit.SECONDS); l != null; l = lines.poll(5, TimeUnit.SECONDS)) {
            if (l.contains("\"type\":1,") && l.contains("\"session_id\":" + sessionId)) {
                created = l;
                break;
            }
        }
        assertThat(created).as("the session's created event on the feed").contains("\"name\":\"created\"");
        reader.interrupt();
    }

    @Test
    void aDetachedHandleIsListedUnderEndedCalls() throws Exception {
        long sessionId = janus("/janus", "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
        long handleId = janus("/janus/" + sessionId, """
                {"janus":"attach","plugin":"janus.plugin.echotest","opaque_id":"ended-1","transaction":"a"}""")
                .path("data").path("id").asLong();
        JsonNode sessions = admin("{\"janus\":\"dashboard_sessions\",\"transaction\":\"s\",\"admin_secret\":\"" + SECRET + "\"}");
        assertThat(sessions.toString()).contains("\"handle_id\":" + handleId, "\"opaque_id\":\"ended-1\"");
        janus("/janus/" + sessionId + "/" + handleId, "{\"janus\":\"detach\",\"transaction\":\"d\"}");

        JsonNode list = admin("{\"janus\":\"list_ended_calls\",\"transaction\":\"l\",\"admin_secret\":\"" + SECRET + "\"}");
        assertThat(list.path("calls").get(0).path("handle_id").asLong()).isEqualTo(handleId);
        assertThat(list.path("calls").get(0).path("opaque_id").asText()).isEqualTo("ended-1");
        JsonNode call = admin("{\"janus\":\"ended_call_info\",\"handle\":" + handleId
                + ",\"transaction\":\"i\",\"admin_secret\":\"" + SECRET + "\"}").path("call");
        assertThat(call.path("handle_info").path("plugin").asText()).isEqualTo("janus.plugin.echotest");
        assertThat(call.path("timeline").toString()).contains("\"name\":\"attached\"", "\"name\":\"detached\"");
        // Portunus's own requests need the admin secret like every other.
        JsonNode refused = admin("{\"janus\":\"list_ended_calls\",\"transaction\":\"x\"}");
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(403);
    }

    private HttpRequest feedRequest(String secret) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/dashboard/feed"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"admin_secret\":\"" + secret + "\"}")).build();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode janus(String path, String body) throws Exception {
        return post("http://127.0.0.1:" + httpPort + path, body);
    }

    private JsonNode admin(String body) throws Exception {
        return post("http://127.0.0.1:" + adminPort + "/admin", body);
    }

    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }
}
