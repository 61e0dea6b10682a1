package io.portunus.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One transport's requests and error replies by Janus error code, and the Admin API's latency
 * by verb (from the request reaching the core to its reply). Label values are bounded: error
 * codes are Janus's (4xx, anything else is "other"), verbs are the Admin API's own (anything
 * else is "other").
 */
final class RequestMeters {
    private static final Duration[] ADMIN_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    private final String transport;
    private final Metrics.AdminVerbs verbs;
    private final Counter janusRequests;
    private final Counter adminRequests;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> adminLatency = new ConcurrentHashMap<>();

    RequestMeters(MeterRegistry registry, String transport, Metrics.AdminVerbs verbs) {
        this.registry = registry;
        this.transport = transport;
        this.verbs = verbs;
        this.janusRequests = requests("janus");
        this.adminRequests = requests("admin");
    }

    private Counter requests(String api) {
        return Counter.builder("portunus.transport.requests").tag("transport", transport).tag("api", api)
                .description("Requests a transport handed to the core").register(registry);
    }

    Consumer<ObjectNode> observe(JsonNode request, boolean admin, Consumer<ObjectNode> reply) {
        (admin ? adminRequests : janusRequests).increment();
        long start = System.nanoTime();
        Timer timer = admin ? adminTimer(request.path("janus").asText("")) : null;
        return answer -> {
            if (timer != null) {
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            if ("error".equals(answer.path("janus").asText(null))) {
                error(admin ? "admin" : "janus", answer.path("error").path("code").asInt(0));
            }
            reply.accept(answer);
        };
    }

    private Timer adminTimer(String rawVerb) {
        String verb = rawVerb.toLowerCase(Locale.ROOT);
        String label = verbs.known(verb) ? verb : "other";
        return adminLatency.computeIfAbsent(label, v -> Timer.builder("portunus.admin.request.duration").tag("verb", v)
                .description("Admin API requests by verb, from the core receiving one to its reply")
                .serviceLevelObjectives(ADMIN_BUCKETS).register(registry));
    }

    private void error(String api, int code) {
        String label = code >= 400 && code <= 499 ? Integer.toString(code) : "other";
        errors.computeIfAbsent(api + label, k -> Counter.builder("portunus.transport.errors").tag("transport", transport)
                .tag("api", api).tag("code", label).description("Error replies by Janus error code")
                .register(registry)).increment();
    }
}
