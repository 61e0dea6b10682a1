package io.portunus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.admin.AdminApi;
import io.portunus.api.JanusApi;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Gateway;
import io.portunus.core.event.Event;
import io.portunus.core.event.EventType;
import io.portunus.core.event.TransportIds;
import io.portunus.core.spi.OperatorRoutes;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.dashboard.Dashboard;
import io.portunus.metrics.Health;
import io.portunus.metrics.Metrics;
import io.portunus.net.EventLoops;

import java.util.function.Consumer;

/** The core's side of the transport interface, one per loaded transport: routes to the right API. */
final class TransportRuntime implements TransportContext {
    private final Gateway gateway;
    private final JanusApi janusApi;
    private final AdminApi adminApi;
    private final ConfigGroup config;
    private final EventLoops loops;
    private final String transportName;
    private final Metrics metrics;
    private final Health health;
    /** The dashboard, whose routes go in front of health and metrics on the Admin server; or null. */
    private final Dashboard dashboard;

    TransportRuntime(Gateway gateway, JanusApi janusApi, AdminApi adminApi, ConfigGroup config, EventLoops loops,
                     String transportName, Metrics metrics, Health health, Dashboard dashboard) {
        this.dashboard = dashboard;
        this.gateway = gateway;
        this.transportName = transportName;
        this.metrics = metrics;
        this.health = health;
        this.janusApi = janusApi;
        this.adminApi = adminApi;
        this.config = config;
        this.loops = loops;
    }

    @Override
    public ConfigGroup config() {
        return config;
    }

    @Override
    public CoreSettings core() {
        return gateway.settings();
    }

    @Override
    public EventLoops eventLoops() {
        return loops;
    }

    @Override
    public void incomingRequest(TransportSession instance, JsonNode request, boolean admin, Consumer<ObjectNode> reply) {
        reply = metrics.observe(transportName, request, admin, reply);
        if (admin) {
            adminApi.handle(request, reply);
        } else {
            janusApi.handle(instance, request, reply);
        }
    }

    @Override
    public OperatorRoutes operatorRoutes(boolean serveMetrics, String metricsToken) {
        OperatorRoutes routes = metrics.routes(health, serveMetrics, metricsToken);
        return dashboard == null ? routes : dashboard.routes(routes);
    }

    @Override
    public boolean isAuthorized(String apisecret, String token) {
        return janusApi.isAuthorized(apisecret, token);
    }

    @Override
    public void transportGone(TransportSession instance) {
        gateway.transportGone(instance);
    }

    @Override
    public boolean eventsEnabled() {
        return gateway.events().wants(EventType.TRANSPORT);
    }

    @Override
    public void notifyEvent(TransportSession instance, ObjectNode data) {
        gateway.events().emit(new Event.TransportEvent(instance.transportName(), TransportIds.of(instance), data));
    }
}
