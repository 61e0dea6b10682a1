package io.portunus.metrics;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics: where it is served, its token, and what requests and event handlers show in it. */
class MetricsEndpointTest {

    @Test
    void bearerTokenWhenConfiguredAndOnlyOnTheAdminServer() throws Exception {
        try (OperatorServer s = new OperatorServer("metrics_token = \"s3cr3t\"", true)) {
            assertThat(s.get(s.admin() + "/metrics").statusCode()).isEqualTo(401);
            assertThat(s.get(s.admin() + "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = s.get(s.admin() + "/metrics", "Authorization", "Bearer s3cr3t");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(ok.body()).contains("# TYPE portunus_sessions gauge", "jvm_memory_used_bytes", "jvm_threads_live_threads");
            // Not on the Janus API's server; health needs no token.
            assertThat(s.get(s.janus() + "/metrics", "Authorization", "Bearer s3cr3t").statusCode()).isEqualTo(404);
            assertThat(s.get(s.admin() + "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void switchedOffMeansNoEndpointAndNoCollection() throws Exception {
        try (OperatorServer s = new OperatorServer("metrics = false", true)) {
            assertThat(s.get(s.admin() + "/metrics").statusCode()).isEqualTo(404);
            assertThat(s.get(s.admin() + "/health/live").statusCode()).isEqualTo(200);
            assertThat(s.server.metrics().active()).isFalse();
        }
    }

    @Test
    void requestsErrorsAndAdminLatencyWithBoundedLabels() throws Exception {
        try (OperatorServer s = new OperatorServer("", true)) {
            s.adminRequest("list_sessions", "");
            s.adminRequest("list_sessions", "");
            s.adminRequest("no_such_verb_" + System.nanoTime(), "");   // 457, verb label "other"
            s.post(s.janus() + "/janus", "{\"janus\":\"create\"}");      // 456: missing transaction
            s.post(s.janus() + "/janus/123", "{\"janus\":\"keepalive\",\"transaction\":\"k\"}"); // 458: no such session
            String m = s.get(s.admin() + "/metrics").body();
            assertThat(m).contains(
                    "portunus_admin_request_duration_seconds_count{verb=\"list_sessions\"} 2",
                    "portunus_admin_request_duration_seconds_count{verb=\"other\"} 1",
                    "portunus_admin_request_duration_seconds_bucket{verb=\"list_sessions\",le=\"5.0\"} 2",
                    "portunus_transport_errors_total{api=\"admin\",code=\"457\",transport=\"janus.transport.http\"} 1.0",
                    "portunus_transport_errors_total{api=\"janus\",code=\"456\",transport=\"janus.transport.http\"} 1.0",
                    "portunus_transport_errors_total{api=\"janus\",code=\"458\",transport=\"janus.transport.http\"} 1.0",
                    "portunus_transport_requests_total{api=\"admin\",transport=\"janus.transport.http\"} 3.0",
                    "portunus_transport_requests_total{api=\"janus\",transport=\"janus.transport.http\"} 2.0");
            assertThat(m).doesNotContain("no_such_verb");
        }
    }

    @Test
    void eventHandlerCountersAndDeliveryLatency() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        try (OperatorServer s = new OperatorServer("", true, "events: { broadcast = true }",
                Map.of("janus.eventhandler.sampleevh.jcfg", "general: { enabled = true, events = \"sessions,transports\", backend = \"http://127.0.0.1:"
                        + sink.getAddress().getPort() + "/\" }"))) {
            s.post(s.janus() + "/janus", "{\"janus\":\"create\",\"transaction\":\"c\"}");
            long deadline = System.nanoTime() + 20_000_000_000L;
            String m;
            do {
                Thread.sleep(200);
                m = s.get(s.admin() + "/metrics").body();
            } while (!m.contains("portunus_eventhandler_events_delivered_total{handler=\"janus.eventhandler.sampleevh\"} 2.0")
                    && System.nanoTime() < deadline);
            // The create's transport "request" event and the session's "created": the scrapes
            // above made no transport event (a scrape a second would flood the handlers).
            assertThat(posts.get()).isPositive();
            assertThat(m).contains(
                    "portunus_eventhandler_events_delivered_total{handler=\"janus.eventhandler.sampleevh\"} 2.0",
                    "portunus_eventhandler_events_offered_total{handler=\"janus.eventhandler.sampleevh\"} 2.0",
                    "portunus_eventhandler_events_dropped_total{handler=\"janus.eventhandler.sampleevh\"} 0.0",
                    "portunus_eventhandler_queued_events{handler=\"janus.eventhandler.sampleevh\"} 0.0",
                    "portunus_eventhandler_spool_backlog_events{handler=\"janus.eventhandler.sampleevh\"} 0.0",
                    "portunus_eventhandler_delivery_latency_seconds_bucket{handler=\"janus.eventhandler.sampleevh\",le=\"30.0\"}");
        } finally {
            sink.stop(0);
        }
    }
}
