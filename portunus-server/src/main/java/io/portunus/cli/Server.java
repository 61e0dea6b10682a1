package io.portunus.cli;

import io.portunus.admin.AdminApi;
import io.portunus.api.JanusApi;
import io.portunus.api.ServerInfo;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgException;
import io.portunus.core.Clock;
import io.portunus.core.Gateway;
import io.portunus.core.ModuleInfo;
import io.portunus.core.PluginRuntime;
import io.portunus.core.event.Event;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.Transport;
import io.portunus.dashboard.Dashboard;
import io.portunus.dashboard.DashboardSettings;
import io.portunus.events.EventBus;
import io.portunus.events.EventHandlerLoader;
import io.portunus.events.ShutdownSignal;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.metrics.Health;
import io.portunus.metrics.Metrics;
import io.portunus.net.EventLoops;
import io.portunus.net.Threads;
import io.portunus.webrtc.MediaEngine;
import io.portunus.webrtc.WebRtc;
import io.portunus.webrtc.recording.MjrRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Start-up and shutdown order: plugins, then the core, then transports (so no request arrives
 * before there is something to answer it), and the reverse on the way down. Modules are found
 * with {@link ServiceLoader}, each reading its own {@code <package>.jcfg}.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /**
     * How long event handlers get at shutdown, all told, to deliver what they hold (the shutdown
     * event included) and close, even with a backend stuck: the whole shutdown stays under 2 s.
     */
    private static final long SHUTDOWN_GRACE_MS = 1_500;

    private final CoreSettings settings;
    private final ConfigFolder configs;
    private final Clock clock;
    private final List<Transport> transports = new ArrayList<>();
    private final List<Plugin> plugins = new ArrayList<>();
    private EventLoops loops;
    private Gateway gateway;
    private EventBus events = EventBus.disabled();
    private Health health;
    private Metrics metrics;
    private ServerInfo info;
    private Dashboard dashboard;

    public Server(CoreSettings settings, ConfigFolder configs) {
        this(settings, configs, Clock.SYSTEM);
    }

    /** With the clock the core, its timeouts and its events go by (tests move it). */
    public Server(CoreSettings settings, ConfigFolder configs, Clock clock) {
        this.settings = settings;
        this.configs = configs;
        this.clock = clock;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Readiness for {@code /health/ready}: starting until {@link #start()} is over. */
    public Health health() {
        return health;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Loads every module, opens the transports, and announces the start: {@link #listen()} then {@link #started()}. */
    public Server start() throws Exception {
        listen();
        return started();
    }

    /**
     * Everything up to the transports listening; {@code /health/ready} says "starting" until
     * {@link #started()}. Split from {@link #start()} so that a test can see that state.
     */
    public Server listen() throws Exception {
        Set<String> known = new HashSet<>();
        Map<String, Plugin> loaded = new LinkedHashMap<>();
        for (Plugin p : ServiceLoader.load(Plugin.class)) {
            known.add(p.info().packageName());
            if (disabled(p.info())) {
                LOG.info("Plugin {} disabled by configuration", p.info().packageName());
                continue;
            }
            loaded.put(p.info().packageName(), p);
        }
        List<Transport> candidates = new ArrayList<>();
        for (Transport t : ServiceLoader.load(Transport.class)) {
            known.add(t.info().packageName());
            if (disabled(t.info())) {
                LOG.info("Transport {} disabled by configuration", t.info().packageName());
                continue;
            }
            candidates.add(t);
        }
        List<EventHandler> eventHandlers = new ArrayList<>();
        for (EventHandler h : ServiceLoader.load(EventHandler.class)) {
            known.add(h.info().packageName());
            eventHandlers.add(h);
        }
        for (String module : configs.moduleConfigurations()) {
            if (!known.contains(module)) {
                LOG.warn("Ignoring {}.jcfg: Portunus has no module {} yet", module, module);
            }
        }
        warnUnknownDisables(known);

        gateway = new Gateway(settings, loaded, clock);
        // Event handlers first, so that they see everything the plugins and transports report.
        events = EventHandlerLoader.load(settings, configs, eventHandlers, this::disabled, clock);
        DashboardSettings dashboardSettings = DashboardSettings.from(configs.load("janus.jcfg").group("dashboard"));
        if (dashboardSettings.enabled() && !events.enabled()) {
            // The dashboard records calls from their events: they are built even with no handler to take them.
            events = new EventBus(true, settings.serverName, clock, settings.events.sequenceNumbers());
        }
        gateway.events(events);
        loops = new EventLoops(Math.max(1, Runtime.getRuntime().availableProcessors()));
        MediaEngine mediaEngine = new MediaEngine(settings, gateway.live(), loops, certificate());
        mediaEngine.statsEventsWithoutHandlers(dashboardSettings.enabled());
        mediaEngine.warmUpDtls();
        WebRtc webRtc = new WebRtc(gateway, mediaEngine);
        gateway.webRtc(webRtc);
        MjrRecorder recorder = MjrRecorder.start(settings, clock);
        for (Plugin p : loaded.values()) {
            p.init(new PluginRuntime(gateway, p, configs.load(p.info().packageName() + ".jcfg"), recorder));
            plugins.add(p);
            LOG.info("Loaded plugin {}", p.info().packageName());
        }
        gateway.start();
        ServerInfo info = new ServerInfo(gateway, events::handlerInfos);
        JanusApi janusApi = new JanusApi(gateway, info);
        AdminApi adminApi = new AdminApi(gateway, info, webRtc, events);
        if (dashboardSettings.enabled()) {
            dashboard = Dashboard.start(dashboardSettings, gateway, events, adminApi);
        }
        this.info = info;
        health = new Health(gateway);
        metrics = new Metrics(gateway, events, mediaEngine.totals(), adminApi::knowsVerb);
        for (Transport t : candidates) {
            ConfigGroup transportConfig;
            try {
                transportConfig = configs.load(t.info().packageName() + ".jcfg");
            } catch (JcfgException e) {
                // As Janus: a transport whose file does not parse is not loaded; the others still are.
                LOG.error("Transport {} not loaded: {}", t.info().packageName(), e.getMessage());
                continue;
            }
            TransportRuntime runtime = new TransportRuntime(gateway, janusApi, adminApi, transportConfig, loops,
                    t.info().packageName(), metrics, health, dashboard);
            if (t.start(runtime)) {
                transports.add(t);
                gateway.addTransport(t);
            } else {
                LOG.info("Transport {} has no server enabled", t.info().packageName());
            }
        }
        if (transports.stream().noneMatch(Transport::servesJanusApi)) {
            close();
            throw new IllegalStateException("No Janus API transport is available: enable one in the transport configuration");
        }
        if (settings.storedTokens() && transports.stream().noneMatch(Transport::servesAdminApi)) {
            close();
            throw new IllegalStateException("Stored-token authentication needs the Admin API to manage tokens, and no Admin API transport is enabled");
        }
        return this;
    }

    /** Start-up is over: the core-started event goes out and {@code /health/ready} turns 200. */
    public Server started() {
        if (gateway.events().enabled()) {
            ShutdownSignal.install();
            gateway.events().emit(new Event.CoreStarted(info.build(null)));
        }
        health.started();
        return this;
    }

    /**
     * The DTLS certificate: janus.jcfg's certificates (loaded now, so a bad file stops start-up),
     * or one made for this run in the background.
     */
    private CompletableFuture<DtlsCertificate> certificate() throws IOException {
        if (settings.certPem != null && settings.certKey != null) {
            LOG.info("DTLS certificate from {}", settings.certPem);
            return CompletableFuture.completedFuture(DtlsCertificate.load(
                    Path.of(settings.certPem), Path.of(settings.certKey), settings.certPwd));
        }
        return CompletableFuture.supplyAsync(DtlsCertificate::generate,
                task -> Threads.startVirtual("portunus-dtls-certificate", task));
    }

    private boolean disabled(ModuleInfo info) {
        return settings.disabledModules.contains(info.packageName())
                || info.moduleFiles().stream().anyMatch(settings.disabledModules::contains);
    }

    private void warnUnknownDisables(Set<String> known) {
        for (String name : settings.disabledModules) {
            if (!known.contains(name) && !name.isBlank()) {
                LOG.debug("Disable list names {}, which Portunus does not have", name);
            }
        }
    }

    @Override
    public void close() {
        if (health != null) {
            health.stopping();
        }
        for (Transport t : transports) {
            try {
                t.stop();
            } catch (RuntimeException e) {
                LOG.warn("Transport {} failed to stop: {}", t.info().packageName(), e.toString());
            }
        }
        transports.clear();
        if (gateway != null) {
            gateway.stop();
        }
        for (Plugin p : plugins) {
            p.destroy();
        }
        plugins.clear();
        if (gateway != null && gateway.events().enabled()) {
            gateway.events().emit(new Event.CoreShutdown(ShutdownSignal.last()));
            events.close(SHUTDOWN_GRACE_MS);
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
        if (metrics != null) {
            metrics.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
    }

}
