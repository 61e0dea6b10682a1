package io.portunus.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Json;
import io.portunus.eventhandlers.ApiClient;
import io.portunus.eventhandlers.EventServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Portunus in this JVM with its own {@code server_name}, the Janus and Admin APIs over
 * HTTP on free loopback ports, sequence numbers on (so that a consumer can tell a lost event
 * from a duplicate), and the event handler files given.
 */
final class KafkaPortunus implements AutoCloseable {
    static final String KAFKA = "janus.eventhandler.kafkaevh";
    final String name;
    final int httpPort = EventServer.freePort();
    final int adminPort = EventServer.freePort();
    final Path folder;
    final Server server;
    final ApiClient api = new ApiClient();

    KafkaPortunus(String name, Map<String, String> handlers) throws Exception {
        this.name = name;
        folder = Files.createTempDirectory("portunus-kafka-server");
        Files.writeString(folder.resolve("janus.jcfg"), """
                general: { server_name = "%s", admin_secret = "%s" }
                events: { broadcast = true, sequence_numbers = true }
                """.formatted(name, EventServer.ADMIN_SECRET));
        // No transport events: each request (the tests' own status polls too) would add one, so a
        // poll slower than the broker's acknowledgement would always find one in flight.
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1", events = false }
                admin: { admin_http = true, admin_port = %d }
                """.formatted(httpPort, adminPort));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\n");
        for (var e : handlers.entrySet()) {
            Files.writeString(folder.resolve(e.getKey()), e.getValue());
        }
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, new ConfigFolder(folder)).start();
    }

    /** A kafkaevh file: every event, one record each, keyed by session; {@code extra} adds options. */
    static String kafkaConfig(String bootstrap, String topic, String extra) {
        return """
                general: { enabled = true, events = "all", bootstrap = "%s", topic = "%s" %s }
                """.formatted(bootstrap, topic, extra);
    }

    String janus() {
        return "http://127.0.0.1:" + httpPort + "/janus";
    }

    String admin() {
        return "http://127.0.0.1:" + adminPort + "/admin";
    }

    /** The Admin API's {@code query_eventhandler} with {@code request}. */
    JsonNode query(String handler, String requestJson) throws Exception {
        return api.admin(admin(), Json.object().put("janus", "query_eventhandler").put("handler", handler)
                .set("request", Json.MAPPER.readTree(requestJson))).path("response");
    }

    /** The core's counters of the Kafka handler's pipe (offered, delivered, dropped, queued...). */
    JsonNode pipeStats() throws Exception {
        return query(KAFKA, "{\"request\":\"stats\"}").path("stats");
    }

    JsonNode kafkaStatus() throws Exception {
        return query(KAFKA, "{\"request\":\"status\"}");
    }

    /** Waits until every offered event was delivered (or dropped); returns the stats then. */
    JsonNode awaitIdle(long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        JsonNode s;
        do {
            s = pipeStats();
            if (s.path("offered").asLong() == s.path("delivered").asLong() + s.path("dropped").asLong()
                    && s.path("queued").asLong() == 0 && s.path("in_delivery").asLong() == 0) {
                return s;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("events still in flight after " + timeoutMs + " ms: " + s);
    }

    /** Sessions and handles through the Janus API: each session attaches two EchoTest handles, messages one, detaches it, then is destroyed. */
    void sessions(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            long session = api.create(janus());
            long h1 = api.attach(janus(), session, "kafka-" + name + "-" + i);
            long h2 = api.attach(janus(), session, null);
            api.post(janus() + "/" + session + "/" + h1, ApiClient.request("message")
                    .set("body", Json.object().put("audio", true).put("video", false)));
            api.post(janus() + "/" + session + "/" + h2, ApiClient.request("detach"));
            JsonNode r = api.post(janus() + "/" + session, ApiClient.request("destroy"));
            if (!r.path("janus").asText().equals("success")) {
                throw new AssertionError("destroy failed: " + r);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
