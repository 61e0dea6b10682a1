package io.portunus.metrics;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** /health/live and /health/ready on the Janus API and Admin API HTTP servers, in each state. */
class HealthTest {

    @Test
    void readyOnlyWhenStartedAndAcceptingSessions() throws Exception {
        try (OperatorServer s = new OperatorServer("", false)) {
            for (String base : new String[] {s.janus(), s.admin()}) {
                assertAnswer(s.get(base + "/health/live"), 200, "{\"status\":\"live\"}");
                assertAnswer(s.get(base + "/health/ready"), 503, "{\"status\":\"starting\"}");
            }

            s.finishStart();
            for (String base : new String[] {s.janus(), s.admin()}) {
                assertAnswer(s.get(base + "/health/live"), 200, "{\"status\":\"live\"}");
                assertAnswer(s.get(base + "/health/ready"), 200, "{\"status\":\"ready\"}");
            }

            // Draining: the Admin API stops new sessions; probes say so, existing work goes on.
            assertThat(s.adminRequest("accept_new_sessions", ",\"accept\":false")).contains("\"success\"");
            for (String base : new String[] {s.janus(), s.admin()}) {
                assertAnswer(s.get(base + "/health/ready"), 503, "{\"status\":\"draining\"}");
                assertAnswer(s.get(base + "/health/live"), 200, "{\"status\":\"live\"}");
            }
            assertThat(s.post(s.janus() + "/janus", "{\"janus\":\"create\",\"transaction\":\"x\"}").body())
                    .contains("\"error\"");

            assertThat(s.adminRequest("accept_new_sessions", ",\"accept\":true")).contains("\"success\"");
            assertAnswer(s.get(s.janus() + "/health/ready"), 200, "{\"status\":\"ready\"}");
        }
    }

    @Test
    void stoppingIsNotReady() throws Exception {
        try (OperatorServer s = new OperatorServer("", true)) {
            s.server.health().stopping();
            assertAnswer(s.get(s.janus() + "/health/ready"), 503, "{\"status\":\"stopping\"}");
        }
    }

    @Test
    void onlyGetAndTheApiStillAnswers() throws Exception {
        try (OperatorServer s = new OperatorServer("", true)) {
            HttpResponse<String> post = s.post(s.janus() + "/health/ready", "{}");
            assertThat(post.statusCode()).isEqualTo(405);
            // The Janus API next to it is untouched.
            assertThat(s.get(s.janus() + "/janus/info").body()).contains("\"server_info\"");
            assertThat(s.get(s.janus() + "/health").statusCode()).isEqualTo(404);
        }
    }

    private static void assertAnswer(HttpResponse<String> r, int status, String body) {
        assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }
}
