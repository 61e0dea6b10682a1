package io.portunus.transports.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.OperatorRoutes;
import io.portunus.core.spi.Transport;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.net.EventLoops;
import io.portunus.transports.Acl;
import io.portunus.transports.HttpConnectionGuard;
import io.portunus.transports.HttpLimits;
import io.portunus.transports.JsonFormat;
import io.portunus.transports.ServerEndpoint;
import io.portunus.transports.Servers;
import io.portunus.transports.Tls;
import io.portunus.transports.TransportControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code janus.transport.http}: the Janus API over REST with long polls, and the Admin API,
 * each on plain HTTP and/or HTTPS, with options named as in {@code janus.transport.http.jcfg}
 * (transports.md §1).
 */
public final class HttpTransport implements Transport {
    public static final String PACKAGE = "janus.transport.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    /** Portunus's own limit: Janus reads bodies of any size, which lets one client exhaust memory. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1 << 20;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus REST (HTTP/HTTPS) transport",
            "The Portunus authors", "This transport adds REST (HTTP/HTTPS) support to the Janus API via Netty.",
            2, "0.0.2", List.of("libjanus_http.so"));

    private EventLoops loops;
    private final List<Channel> channels = new ArrayList<>();
    private final Map<String, ChannelGroup> connections = new LinkedHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private TransportControl control;
    private boolean coreEvents;
    private boolean janusApi;
    private boolean adminApi;


    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean start(TransportContext context) throws Exception {
        loops = context.eventLoops();
        ConfigGroup cfg = context.config();
        ConfigGroup general = cfg.group("general");
        ConfigGroup admin = cfg.group("admin");
        ConfigGroup certificates = cfg.group("certificates");
        ConfigGroup cors = cfg.group("cors");
        String basePath = normalisePath(general.string("base_path", "/janus"));
        String adminBasePath = normalisePath(admin.string("admin_base_path", "/admin"));
        int maxRequest = (int) general.integer("max_request_size", DEFAULT_MAX_REQUEST_SIZE);
        control = new TransportControl(JsonFormat.of(general.string("json", "compact")), general.bool("events", true));
        coreEvents = context.core().eventHandlers;
        HttpLimits limits = HttpLimits.from(general);
        HttpOptions options = new HttpOptions(control,
                cors.string("allow_origin", null), cors.bool("enforce_cors", false), maxRequest,
                general.integer("max_queued_events", 10_000), limits);
        LongPollQueues queues = new LongPollQueues((int) options.maxQueuedEvents());
        AdminInstance adminInstance = new AdminInstance();
        // Health on every server; /metrics on the Admin server unless admin.metrics = false (Portunus's own).
        boolean adminServer = admin.bool("admin_http", false) || admin.bool("admin_https", false);
        OperatorRoutes routes = context.operatorRoutes(adminServer && admin.bool("metrics", true),
                admin.string("metrics_token", null));

        List<ServerEndpoint> endpoints = new ArrayList<>();
        Acl acl = new Acl(general.string("acl", null));
        Acl adminAcl = new Acl(admin.string("admin_acl", null));
        if (general.bool("http", false)) {
            endpoints.add(new ServerEndpoint("http", Servers.bindAddress(general, "interface", "ip", null), (int) general.integer("port", 8088),
                    false, basePath, null, acl));
        }
        if (general.bool("https", false)) {
            endpoints.add(new ServerEndpoint("https", Servers.bindAddress(general, "secure_interface", "secure_ip", null),
                    (int) general.integer("secure_port", 8089), false, basePath, Tls.fromConfig(certificates, PACKAGE), acl));
        }
        // Portunus binds the Admin API to loopback unless told otherwise: Janus binds it to every
        // address, which exposes the whole server to anyone who learns the admin secret.
        if (admin.bool("admin_http", false)) {
            endpoints.add(new ServerEndpoint("admin_http", Servers.bindAddress(admin, "admin_interface", "admin_ip", "127.0.0.1"),
                    (int) admin.integer("admin_port", 7088), true, adminBasePath, null, adminAcl));
        }
        if (admin.bool("admin_https", false)) {
            endpoints.add(new ServerEndpoint("admin_https", Servers.bindAddress(admin, "admin_secure_interface", "admin_secure_ip", "127.0.0.1"),
                    (int) admin.integer("admin_secure_port", 7889), true, adminBasePath,
                    Tls.fromConfig(certificates, PACKAGE), adminAcl));
        }
        for (ServerEndpoint ep : endpoints) {
            var group = new DefaultChannelGroup(ep.label(), GlobalEventExecutor.INSTANCE);
            connections.put(ep.label(), group);
            AtomicInteger open = new AtomicInteger();
            Channel ch = Servers.bind(loops, ep, sc -> {
                group.add(sc);
                if (ep.tls() != null) {
                    sc.pipeline().addLast(ep.tls().newHandler(sc.alloc()));
                }
                var guard = HttpConnectionGuard.install(sc.pipeline(), limits, ep.label(), open);
                sc.pipeline().addLast(limits.codec());
                sc.pipeline().addLast(guard);
                sc.pipeline().addLast(new BoundedAggregator(options));
                sc.pipeline().addLast(new HttpRequestHandler(context, ep, options, ep.admin() ? adminInstance : queues, queues, inFlight, routes));
            });
            channels.add(ch);
            janusApi |= !ep.admin();
            adminApi |= ep.admin();
            LOG.info("HTTP {} server listening on {}:{}{}", ep.label(), ep.bindAddress() == null ? "*" : ep.bindAddress(),
                    ep.port(), ep.basePath());
        }
        return !channels.isEmpty();
    }

    /** Janus requires a leading {@code /} and strips a trailing one. */
    static String normalisePath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(PACKAGE + ": base path must start with '/': " + path);
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    @Override
    public void stop() {
        channels.forEach(ch -> ch.close().syncUninterruptibly());
        channels.clear();
    }

    /** {@code configure} and {@code connections} (transports.md §1.5). */
    @Override
    public ObjectNode query(ObjectNode request) {
        return control.query(request, coreEvents, verb -> {
            if (!verb.equals("connections")) {
                return null;
            }
            var response = Json.object();
            response.put("result", 200);
            var counts = response.putObject("connections");
            connections.forEach((label, group) -> counts.put(label, group.size()));
            response.put("messages", inFlight.get());
            return response;
        });
    }

    /** Run-time switches shared with the request handlers. */
    public TransportControl control() {
        return control;
    }

    @Override
    public boolean servesJanusApi() {
        return janusApi;
    }

    @Override
    public boolean servesAdminApi() {
        return adminApi;
    }

    /** Admin requests never create sessions, so their instance has no events to deliver. */
    private static final class AdminInstance implements TransportSession {
        @Override
        public void sendEvent(ObjectNode event) {
        }

        @Override
        public String transportName() {
            return PACKAGE;
        }
    }
}
