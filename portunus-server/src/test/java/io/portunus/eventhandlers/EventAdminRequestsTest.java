package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * query_eventhandler (tweak, errors, stats), custom_event and custom_logline over the real
 * Admin API, compared with Janus 1.1.2's recorded replies; and the HTTP handler's options:
 * basic auth, gzip, retries on 5xx, sequence numbers and the HMAC signature.
 */
class EventAdminRequestsTest {
    private static final String SAMPLE = "janus.eventhandler.sampleevh";

    private static ObjectNode query(String handler, ObjectNode request) {
        ObjectNode q = ApiClient.request("query_eventhandler").put("handler", handler);
        if (request != null) {
            q.set("request", request);
        }
        return q;
    }

    @Test
    void tweakErrorsAndCustomRequestsAnswerAsJanus() throws Exception {
        try (HttpEventReceiver backend = new HttpEventReceiver();
             EventServer server = new EventServer("", "broadcast = true", Map.of("janus.eventhandler.sampleevh.jcfg", """
                     general: { enabled = true, events = "all", grouping = true, backend = "%s" }
                     """.formatted(backend.url())))) {
            ApiClient api = new ApiClient();
            // 122: tweak → {"result":200}
            JsonNode ok = api.admin(server.admin(), query(SAMPLE, Json.object().put("request", "tweak").put("events", "external")
                    .put("grouping", false)));
            assertThat(ok.get("janus").asText()).isEqualTo("success");
            assertThat(ok.get("response").toString()).isEqualTo("{\"result\":200}");
            // 123: unknown request inside a known handler
            JsonNode bad = api.admin(server.admin(), query(SAMPLE, Json.object().put("request", "nope")));
            assertThat(bad.get("janus").asText()).isEqualTo("success");
            assertThat(bad.get("response").toString()).isEqualTo("{\"error_code\":411,\"error\":\"Unknown request 'nope'\"}");
            // 124: unknown handler
            JsonNode unknown = api.admin(server.admin(), query("janus.eventhandler.nope", Json.object()));
            assertThat(unknown.get("error").toString()).isEqualTo("{\"code\":460,\"reason\":\"Invalid event handler\"}");
            // validation inside the handler
            assertThat(api.admin(server.admin(), query(SAMPLE, null)).get("response").toString())
                    .isEqualTo("{\"error_code\":412,\"error\":\"Missing mandatory element (request)\"}");
            assertThat(api.admin(server.admin(), query(SAMPLE, Json.object().put("request", "tweak").put("grouping", "yes")))
                    .get("response").toString())
                    .isEqualTo("{\"error_code\":413,\"error\":\"Invalid element type (grouping should be a boolean)\"}");
            assertThat(api.admin(server.admin(), query(SAMPLE, Json.object().put("request", "tweak").put("backend", "ftp://x")))
                    .get("response").toString()).isEqualTo("{\"error_code\":413,\"error\":\"Invalid HTTP URI 'ftp://x'\"}");
            // 116: custom_event without data
            JsonNode noData = api.admin(server.admin(), ApiClient.request("custom_event").put("schema", "s"));
            assertThat(noData.get("error").toString()).isEqualTo("{\"code\":456,\"reason\":\"Missing mandatory element (data)\"}");
            JsonNode line = api.admin(server.admin(), ApiClient.request("custom_logline").put("line", "hello from the test"));
            assertThat(line.get("janus").asText()).isEqualTo("success");

            // The tweak took effect: only external events now, sent one per POST (no array).
            long ignored = api.create(server.janus());
            ObjectNode custom = ApiClient.request("custom_event").put("schema", "after.tweak");
            custom.putObject("data").put("k", 1);
            assertThat(api.admin(server.admin(), custom).toString()).isEqualTo(
                    "{\"janus\":\"success\",\"transaction\":\"" + custom.get("transaction").asText() + "\"}");
            JsonNode external = backend.events.await(e -> e.path("type").asInt() == 4, 1, 5).getFirst();
            assertThat(external.at("/event/schema").asText()).isEqualTo("after.tweak");
            assertThat(backend.posts.getLast().json().isObject()).isTrue();
            assertThat(backend.events.all()).as("sessions are no longer wanted")
                    .noneMatch(e -> e.path("session_id").asLong() == ignored);
            JsonNode stats = EventHandlerConfigTest.stats(api, server, SAMPLE);
            assertThat(stats.path("events").asText()).isEqualTo("external");
            assertThat(stats.path("dropped").asLong()).isZero();
        }
    }

    @Test
    void basicAuthGzipRetriesSequenceNumbersAndSignature() throws Exception {
        try (HttpEventReceiver backend = new HttpEventReceiver();
             EventServer server = new EventServer("", "broadcast = true\nsequence_numbers = true",
                     Map.of("janus.eventhandler.sampleevh.jcfg", """
                             general: { enabled = true, events = "sessions", backend = "%s", backend_user = "u",
                                        backend_pwd = "p", compress = true, compression = 9, max_retransmissions = 8,
                                        retransmissions_backoff = 20, hmac_secret = "sign-me" }
                             """.formatted(backend.url())))) {
            ApiClient api = new ApiClient();
            backend.status.set(503);
            long a = api.create(server.janus());
            Thread.sleep(200);
            assertThat(backend.events.size()).as("5xx is a failure, not a delivery").isZero();
            backend.status.set(200);
            long b = api.create(server.janus());
            List<JsonNode> got = backend.events.await(e -> e.path("type").asInt() == 1, 2, 10);
            assertThat(got).extracting(e -> e.get("session_id").asLong()).containsExactly(a, b);
            assertThat(got.get(0).get("seq").asLong() + 1).isEqualTo(got.get(1).get("seq").asLong());
            assertThat(EventHandlerConfigTest.stats(api, server, SAMPLE).path("failed_attempts").asLong()).isZero();
            for (HttpEventReceiver.Post post : backend.posts) {
                assertThat(post.headers().getFirst("Authorization"))
                        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)));
                assertThat(post.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec("sign-me".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                assertThat(post.headers().getFirst("X-Portunus-Signature"))
                        .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(post.body())));
            }
        }
    }

    @Test
    void withJanusBehaviourA5xxCountsAsDelivered() throws Exception {
        try (HttpEventReceiver backend = new HttpEventReceiver();
             EventServer server = new EventServer("", "broadcast = true", Map.of("janus.eventhandler.sampleevh.jcfg", """
                     general: { enabled = true, events = "sessions", backend = "%s", fail_on_http_error = false }
                     """.formatted(backend.url())))) {
            backend.status.set(500);
            ApiClient api = new ApiClient();
            api.create(server.janus());
            long deadline = System.nanoTime() + 5_000_000_000L;
            JsonNode stats;
            do {
                Thread.sleep(20);
                stats = EventHandlerConfigTest.stats(api, server, SAMPLE);
            } while (stats.path("delivered").asLong() < 1 && System.nanoTime() < deadline);
            assertThat(stats.path("delivered").asLong()).isEqualTo(1);
            assertThat(stats.path("dropped").asLong()).isZero();
        }
    }
}
