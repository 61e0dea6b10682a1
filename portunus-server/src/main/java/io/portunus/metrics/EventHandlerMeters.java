package io.portunus.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portunus.events.HandlerPipe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per event handler (labelled with its package name, e.g. {@code janus.eventhandler.sampleevh}):
 * the counters every {@link HandlerPipe} already keeps, read at scrape time from its
 * {@code stats()} (the same numbers as {@code query_eventhandler} {@code "stats"}), and the
 * delivery latency (from the event's timestamp to the handler taking its batch) from the pipe's
 * delivery hook. Generic over handlers: whatever goes through a HandlerPipe is covered.
 */
final class EventHandlerMeters {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)};

    private EventHandlerMeters() {
    }

    static void bindTo(MeterRegistry registry, List<HandlerPipe> pipes) {
        for (HandlerPipe pipe : pipes) {
            String handler = pipe.name();
            counter(registry, pipe, "portunus.eventhandler.events.offered", "offered", "Events queued for the handler");
            counter(registry, pipe, "portunus.eventhandler.events.delivered", "delivered", "Events the handler took");
            counter(registry, pipe, "portunus.eventhandler.events.dropped", "dropped",
                    "Events dropped (queue full, delivery given up, spool full)");
            counter(registry, pipe, "portunus.eventhandler.delivery.retries", "failed_attempts",
                    "Failed delivery attempts (each retried, or its batch dropped)");
            Gauge.builder("portunus.eventhandler.queued.events", pipe,
                            p -> number(p.stats(), "queued") + number(p.stats(), "in_delivery"))
                    .tag("handler", handler).description("Events waiting in memory or being delivered").register(registry);
            Gauge.builder("portunus.eventhandler.spool.backlog.events", pipe, p -> number(p.stats().path("spool"), "backlog_events"))
                    .tag("handler", handler).description("Events waiting in the disk spool (0 without spool)").register(registry);
            Gauge.builder("portunus.eventhandler.spool.backlog", pipe, p -> number(p.stats().path("spool"), "backlog_bytes"))
                    .baseUnit("bytes").tag("handler", handler).description("Size of the disk spool's backlog").register(registry);
            Timer latency = Timer.builder("portunus.eventhandler.delivery.latency").tag("handler", handler)
                    .description("From an event's timestamp to the handler taking the batch it is the oldest of")
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
            pipe.observeDeliveries((events, oldestMicros) ->
                    latency.record(Math.max(0, System.currentTimeMillis() * 1000 - oldestMicros), TimeUnit.MICROSECONDS));
        }
    }

    private static void counter(MeterRegistry registry, HandlerPipe pipe, String name, String key, String description) {
        FunctionCounter.builder(name, pipe, p -> number(p.stats(), key))
                .tag("handler", pipe.name()).description(description).register(registry);
    }

    private static double number(JsonNode stats, String key) {
        return stats.path(key).asDouble(0);
    }
}
