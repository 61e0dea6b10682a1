package io.portunus.transports.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.Transport;
import io.portunus.core.spi.TransportContext;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code janus.transport.websockets}: the Janus API on subprotocol {@code janus-protocol} and
 * the Admin API on {@code janus-admin-protocol}, plain and secure, with the options of
 * {@code janus.transport.websockets.jcfg} (transports.md §2). Each connection is one transport
 * instance and may carry many sessions.
 */
public final class WebSocketTransport implements Transport {
    public static final String PACKAGE = "janus.transport.websockets";
    public static final String API_PROTOCOL = "janus-protocol";
    public static final String ADMIN_PROTOCOL = "janus-admin-protocol";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus WebSockets transport", "The Portunus authors",
            "This transport adds WebSockets support to the Janus API via Netty.", 1, "0.0.1",
            List.of("libjanus_websockets.so"));

    private EventLoops loops;
    private final List<Channel> channels = new ArrayList<>();
    final Set<WsClient> clients = ConcurrentHashMap.newKeySet();
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
        control = new TransportControl(JsonFormat.of(general.string("json", "compact")), general.bool("events", true));
        coreEvents = context.core().eventHandlers;
        int maxMessage = (int) general.integer("max_message_size", DEFAULT_MAX_MESSAGE_SIZE);
        HttpLimits limits = HttpLimits.from(general);
        Acl acl = new Acl(general.string("ws_acl", null));
        Acl adminAcl = new Acl(admin.string("admin_ws_acl", null));

        List<ServerEndpoint> endpoints = new ArrayList<>();
        if (general.bool("ws", false)) {
            endpoints.add(new ServerEndpoint("ws", Servers.bindAddress(general, "ws_interface", "ws_ip", null),
                    (int) general.integer("ws_port", 8188), false, API_PROTOCOL, null, acl));
        }
        if (general.bool("wss", false)) {
            endpoints.add(new ServerEndpoint("wss", Servers.bindAddress(general, "wss_interface", "wss_ip", null),
                    (int) general.integer("wss_port", 8989), false, API_PROTOCOL, Tls.fromConfig(certificates, PACKAGE), acl));
        }
        // Admin servers default to loopback (see HttpTransport for why).
        if (admin.bool("admin_ws", false)) {
            endpoints.add(new ServerEndpoint("admin_ws", Servers.bindAddress(admin, "admin_ws_interface", "admin_ws_ip", "127.0.0.1"),
                    (int) admin.integer("admin_ws_port", 7188), true, ADMIN_PROTOCOL, null, adminAcl));
        }
        if (admin.bool("admin_wss", false)) {
            endpoints.add(new ServerEndpoint("admin_wss", Servers.bindAddress(admin, "admin_wss_interface", "admin_wss_ip", "127.0.0.1"),
                    (int) admin.integer("admin_wss_port", 7989), true, ADMIN_PROTOCOL,
                    Tls.fromConfig(certificates, PACKAGE), adminAcl));
        }
        for (ServerEndpoint ep : endpoints) {
            WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/")
                    .checkStartsWith(true)
                    .subprotocols(ep.basePath())
                    .handleCloseFrames(true)
                    .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxMessage)
                            .closeOnProtocolViolation(false).build())
                    .build();
            AtomicInteger open = new AtomicInteger();
            Channel ch = Servers.bind(loops, ep, sc -> {
                if (ep.tls() != null) {
                    sc.pipeline().addLast(ep.tls().newHandler(sc.alloc()));
                }
                var guard = HttpConnectionGuard.install(sc.pipeline(), limits, ep.label(), open);
                sc.pipeline().addLast(limits.codec());
                sc.pipeline().addLast(guard);
                sc.pipeline().addLast(new HttpObjectAggregator(65536));
                sc.pipeline().addLast(new HandshakeGuard(ep, limits));
                sc.pipeline().addLast(new ProtocolHandler(wsConfig));
                sc.pipeline().addLast(new WebSocketFrameAggregator(maxMessage));
                sc.pipeline().addLast(new WsClient(context, ep, control, this));
            });
            channels.add(ch);
            janusApi |= !ep.admin();
            adminApi |= ep.admin();
            LOG.info("WebSockets {} server listening on {}:{} ({})", ep.label(),
                    ep.bindAddress() == null ? "*" : ep.bindAddress(), ep.port(), ep.basePath());
        }
        return !channels.isEmpty();
    }

    @Override
    public void stop() {
        channels.forEach(ch -> ch.close().syncUninterruptibly());
        channels.clear();
        clients.forEach(WsClient::close);
    }

    /** {@code configure} and {@code connections} (transports.md §2). */
    @Override
    public ObjectNode query(ObjectNode request) {
        return control.query(request, coreEvents, verb -> verb.equals("connections")
                ? Json.object().put("result", 200).put("connections", clients.size()) : null);
    }

    /** Run-time switches shared with the connections. */
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
}
