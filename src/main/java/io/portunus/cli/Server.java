package io.portunus.cli;

import io.portunus.admin.AdminApi;
import io.portunus.api.JanusApi;
import io.portunus.api.ServerInfo;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.core.Clock;
import io.portunus.core.Gateway;
import io.portunus.core.ModuleInfo;
import io.portunus.core.PluginRuntime;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.Transport;
import io.portunus.events.Event;
import io.portunus.events.EventHandlerLoader;
import io.portunus.events.ShutdownSignal;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.pc.MediaEngine;
import io.portunus.net.EventLoops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

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
    private final List<Transport> transports = new ArrayList<>();
    private final List<Plugin> plugins = new ArrayList<>();
    private EventLoops loops;
    private Gateway gateway;

    public Server(CoreSettings settings, ConfigFolder configs) {
        this.settings = settings;
        this.configs = configs;
    }

    public Gateway gateway() {
        return gateway;
    }

    public Server start() throws Exception {
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

        gateway = new Gateway(settings, loaded, Clock.SYSTEM);
        // Event handlers first, so that they see everything the plugins and transports report.
        gateway.events(EventHandlerLoader.load(settings, configs, eventHandlers, this::disabled, Clock.SYSTEM));
        for (Plugin p : loaded.values()) {
            p.init(new PluginRuntime(gateway, p, configs.load(p.info().packageName() + ".jcfg")));
            plugins.add(p);
            LOG.info("Loaded plugin {}", p.info().packageName());
        }
        gateway.start();
        ServerInfo info = new ServerInfo(gateway, gateway.events()::handlerInfos);
        JanusApi janusApi = new JanusApi(gateway, info);
        AdminApi adminApi = new AdminApi(gateway, info);
        loops = new EventLoops(Math.max(1, Runtime.getRuntime().availableProcessors()));
        gateway.mediaEngine(new MediaEngine(settings, gateway.live(), loops, certificate()));
        for (Transport t : candidates) {
            io.portunus.config.jcfg.ConfigGroup transportConfig;
            try {
                transportConfig = configs.load(t.info().packageName() + ".jcfg");
            } catch (io.portunus.config.jcfg.JcfgException e) {
                // As Janus: a transport whose file does not parse is not loaded; the others still are.
                LOG.error("Transport {} not loaded: {}", t.info().packageName(), e.getMessage());
                continue;
            }
            TransportRuntime runtime = new TransportRuntime(gateway, janusApi, adminApi, transportConfig, loops);
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
        if (gateway.events().enabled()) {
            ShutdownSignal.install();
            gateway.events().emit(new Event.CoreStarted(info.build(null)));
        }
        return this;
    }

    /**
     * The DTLS certificate: janus.jcfg's certificates (loaded now, so a bad file stops start-up),
     * or one made for this run in the background.
     */
    private java.util.concurrent.CompletableFuture<DtlsCertificate> certificate() throws java.io.IOException {
        if (settings.certPem != null && settings.certKey != null) {
            LOG.info("DTLS certificate from {}", settings.certPem);
            return java.util.concurrent.CompletableFuture.completedFuture(DtlsCertificate.load(
                    java.nio.file.Path.of(settings.certPem), java.nio.file.Path.of(settings.certKey), settings.certPwd));
        }
        return java.util.concurrent.CompletableFuture.supplyAsync(DtlsCertificate::generate,
                task -> Thread.ofVirtual().name("portunus-dtls-certificate").start(task));
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
            gateway.events().close(SHUTDOWN_GRACE_MS);
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }

}
