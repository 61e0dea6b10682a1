package io.portunus.dashboard;

import io.portunus.admin.AdminApi;
import io.portunus.core.Gateway;
import io.portunus.core.spi.OperatorRoutes;
import io.portunus.events.EventBus;

/**
 * The live dashboard (issue #20): the recorder on the event bus, the calls that ended, the
 * live feed, the Admin requests it adds, and the routes the Admin HTTP server serves it on.
 */
public final class Dashboard implements AutoCloseable {
    private final CallRecorder recorder;
    private final LiveFeed feed;
    private final Gateway gateway;

    private Dashboard(CallRecorder recorder, LiveFeed feed, Gateway gateway) {
        this.recorder = recorder;
        this.feed = feed;
        this.gateway = gateway;
    }

    /**
     * Subscribes to {@code events} (which must be enabled: the caller makes one when
     * {@code events.broadcast} is off) and registers the Admin requests with {@code admin}.
     */
    public static Dashboard start(DashboardSettings settings, Gateway gateway, EventBus events, AdminApi admin) {
        LiveFeed feed = new LiveFeed(settings.feedQueue(), settings.feedBrowsers(),
                (event, timestamp) -> events.serialize(event, timestamp).json());
        CallHistory history = new CallHistory(settings.historyCalls(), settings.historySeconds(),
                () -> gateway.clock().wallMicros());
        CallRecorder recorder = new CallRecorder(settings, gateway, admin::handleInfo, history, feed);
        events.listen(recorder);
        gateway.observeDetach(recorder::beforeDetach);
        new DashboardRequests(gateway, events, recorder, feed, System.currentTimeMillis()).register(admin);
        feed.start();
        return new Dashboard(recorder, feed, gateway);
    }

    /** The dashboard's routes in front of {@code next} (health and metrics). */
    public OperatorRoutes routes(OperatorRoutes next) {
        return new DashboardRoutes(gateway::adminSecret, feed,
                new CaptureDownload(gateway.settings().capturesFolder), next);
    }

    @Override
    public void close() {
        feed.close();
    }

    CallRecorder recorder() {
        return recorder;
    }
}
