package io.portunus.transports.nanomsg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.Transport;
import io.portunus.core.spi.TransportContext;
import io.portunus.net.sp.SpAddress;
import io.portunus.net.sp.SpSocket;
import io.portunus.transports.JsonFormat;
import io.portunus.transports.TransportControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code janus.transport.nanomsg} (transports.md §5): the Janus API and the Admin API over an
 * NN_PAIR socket each, bound or connected ({@code mode}) on a {@code tcp://} or {@code ipc://}
 * address, speaking the SP protocol directly ({@link io.portunus.net.sp}). As in Janus the
 * socket is the transport instance: sessions live on across peer reconnections.
 */
public final class NanomsgTransport implements Transport {
    public static final String PACKAGE = "janus.transport.nanomsg";
    private static final Logger LOG = LoggerFactory.getLogger(NanomsgTransport.class);
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus Nanomsg transport", "The Portunus authors",
            "This transport adds Nanomsg (NN_PAIR) support to the Janus API, speaking the SP protocol in Java.", 1, "0.0.1",
            List.of("libjanus_nanomsg.so"));

    private final List<NanomsgEndpoint> endpoints = new ArrayList<>();
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
        ConfigGroup general = context.config().group("general");
        ConfigGroup admin = context.config().group("admin");
        control = new TransportControl(JsonFormat.of(general.string("json", "compact")), general.bool("events", true));
        coreEvents = context.core().eventHandlers;
        long maxMessage = general.integer("max_message_size", DEFAULT_MAX_MESSAGE_SIZE);
        int socketNumber = 0;
        try {
            if (general.bool("enabled", false)) {
                endpoints.add(open(context, false, general.string("address", null), general.string("mode", "bind"),
                        maxMessage, socketNumber++));
                janusApi = true;
            }
            if (admin.bool("admin_enabled", false)) {
                endpoints.add(open(context, true, admin.string("admin_address", null), admin.string("admin_mode", "bind"),
                        maxMessage, socketNumber));
                adminApi = true;
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        return !endpoints.isEmpty();
    }

    private NanomsgEndpoint open(TransportContext context, boolean admin, String address, String mode, long maxMessage,
                                 int number) throws Exception {
        String what = admin ? "admin_address" : "address";
        if (address == null) {
            throw new IllegalArgumentException(PACKAGE + ": missing " + what + " (e.g. ipc:///tmp/janus.ipc)");
        }
        SpAddress where;
        try {
            where = SpAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PACKAGE + ": " + what + ": " + e.getMessage());
        }
        String m = mode.toLowerCase(Locale.ROOT);
        if (!m.equals("bind") && !m.equals("connect")) {
            throw new IllegalArgumentException(PACKAGE + ": invalid " + (admin ? "admin_mode" : "mode") + " '" + mode
                    + "' (bind or connect)");
        }
        NanomsgEndpoint ep = new NanomsgEndpoint(context, control, admin);
        SpSocket socket = SpSocket.pair(context.eventLoops(), PACKAGE + (admin ? " (admin)" : ""), maxMessage, ep);
        ep.socket = socket;
        if (m.equals("bind")) {
            socket.bind(where);
        } else {
            socket.connect(where);
        }
        LOG.info("Nanomsg {} server {} {}", admin ? "Admin API" : "Janus API", m.equals("bind") ? "bound to" : "connecting to", where);
        if (control.events() && context.eventsEnabled()) {
            ObjectNode data = Json.object();
            data.put("event", "created");
            data.put("admin_api", admin);
            data.put("socket", number);
            context.notifyEvent(ep, data);
        }
        return ep;
    }

    @Override
    public void stop() {
        endpoints.forEach(NanomsgEndpoint::close);
        endpoints.clear();
    }

    /** {@code configure} only (transports.md §5). */
    @Override
    public ObjectNode query(ObjectNode request) {
        return control.query(request, coreEvents, verb -> null);
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
