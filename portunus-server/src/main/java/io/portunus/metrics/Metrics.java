package io.portunus.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portunus.core.Gateway;
import io.portunus.core.spi.OperatorRoutes;
import io.portunus.core.spi.Plugin;
import io.portunus.events.EventBus;
import io.portunus.webrtc.MediaTotals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Portunus's Prometheus metrics (Micrometer's Prometheus registry), served as {@code GET
 * /metrics} on the Admin API's HTTP server. Made at start-up but collecting nothing until a
 * transport serves the endpoint ({@link #activate()}), so that {@code metrics = false} costs
 * nothing at all.
 *
 * <p>Nothing here is on the packet path: media totals are summed from the streams' own
 * counters at scrape time ({@link MediaTotals}), the round-trip/jitter/loss histograms are fed
 * by the once-a-second stats tick, and everything about sessions is counted by walking them at
 * scrape time. No label carries a session, handle or room id.
 */
public final class Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Gateway gateway;
    private final EventBus events;
    private final MediaTotals media;
    private final Map<String, RequestMeters> requestMeters = new ConcurrentHashMap<>();
    private final GatewayMeters gatewayMeters;
    private final MediaMeters mediaMeters;
    private final AdminVerbs adminVerbs;
    private JvmGcMetrics gcMetrics;
    private volatile boolean active;

    /** Whether a name is an Admin API verb (the bounded set the verb label takes). */
    public interface AdminVerbs {
        boolean known(String verb);
    }

    public Metrics(Gateway gateway, EventBus events, MediaTotals media, AdminVerbs adminVerbs) {
        // Two of ProcessorMetrics' names break Prometheus's conventions (promtool: "_count" on a
        // gauge, "ns" as a unit); the CPU usage and load gauges stay.
        registry.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("system.cpu.count") || id.getName().equals("process.cpu.time")));
        this.gateway = gateway;
        this.events = events;
        this.media = media;
        this.adminVerbs = adminVerbs;
        this.gatewayMeters = new GatewayMeters(gateway);
        this.mediaMeters = new MediaMeters(media);
    }

    /** The registry, for tests and plugins ({@link Plugin#bindMetrics}). */
    public MeterRegistry registry() {
        return registry;
    }

    public boolean active() {
        return active;
    }

    /** Starts collecting: the core's meters, the JVM's, the event handlers', the plugins' own. Idempotent. */
    public synchronized void activate() {
        if (active) {
            return;
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        gatewayMeters.bindTo(registry);
        mediaMeters.bindTo(registry);
        media.sampler(mediaMeters);
        EventHandlerMeters.bindTo(registry, events.pipes());
        for (Plugin p : gateway.plugins().values()) {
            try {
                p.bindMetrics(registry);
            } catch (RuntimeException e) {
                LOG.warn("Plugin {} failed to register its metrics: {}", p.info().packageName(), e.toString());
            }
        }
        active = true;
    }

    /** The Prometheus text exposition, with the walked values (sessions, media totals) fresh. */
    public synchronized String scrape() {
        gatewayMeters.refresh();
        mediaMeters.refresh();
        return registry.scrape();
    }

    /**
     * Counts a request and its reply (requests, errors by code; Admin API latency by verb).
     * Returns {@code reply} itself when metrics are off.
     */
    public Consumer<ObjectNode> observe(String transport, JsonNode request, boolean admin, Consumer<ObjectNode> reply) {
        if (!active) {
            return reply;
        }
        RequestMeters meters = requestMeters.computeIfAbsent(transport, t -> new RequestMeters(registry, t, adminVerbs));
        return meters.observe(request, admin, reply);
    }

    /** The health and metrics endpoints of one HTTP transport. */
    public OperatorRoutes routes(Health health, boolean serveMetrics, String metricsToken) {
        if (serveMetrics) {
            activate();
        }
        return new OperatorHttp(health, serveMetrics ? this : null, metricsToken);
    }

    public synchronized void close() {
        media.sampler(null);
        if (gcMetrics != null) {
            gcMetrics.close();
            gcMetrics = null;
        }
        registry.close();
        active = false;
    }
}
