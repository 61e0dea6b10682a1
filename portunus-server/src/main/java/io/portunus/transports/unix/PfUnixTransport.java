package io.portunus.transports.unix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.Transport;
import io.portunus.core.spi.TransportContext;
import io.portunus.transports.JsonFormat;
import io.portunus.transports.TransportControl;
import org.newsclub.net.unix.AFSocketType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code janus.transport.pfunix} (transports.md §6): the Janus API and the Admin API on Unix
 * sockets of type {@code SOCK_SEQPACKET} (one transport instance per connection) or
 * {@code SOCK_DGRAM} (one per client socket path). The JDK only has stream Unix sockets, so
 * this uses junixsocket, which has both types.
 */
public final class PfUnixTransport implements Transport {
    public static final String PACKAGE = "janus.transport.pfunix";
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus Unix Sockets transport", "The Portunus authors",
            "This transport adds Unix Sockets (SOCK_SEQPACKET, SOCK_DGRAM) support to the Janus API.", 1, "0.0.1",
            List.of("libjanus_pfunix.so"));

    private final List<UnixServer> servers = new ArrayList<>();
    final Set<UnixClient> clients = ConcurrentHashMap.newKeySet();
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
        int maxMessage = (int) Math.min(general.integer("max_message_size", DEFAULT_MAX_MESSAGE_SIZE), 64 << 20);
        try {
            if (general.bool("enabled", false)) {
                servers.add(open(context, false, general.string("path", null), general.string("type", "SOCK_SEQPACKET"), maxMessage));
                janusApi = true;
            }
            if (admin.bool("admin_enabled", false)) {
                servers.add(open(context, true, admin.string("admin_path", null), admin.string("admin_type", "SOCK_SEQPACKET"),
                        maxMessage));
                adminApi = true;
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        return !servers.isEmpty();
    }

    private UnixServer open(TransportContext context, boolean admin, String path, String type, int maxMessage) throws Exception {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(PACKAGE + ": missing " + (admin ? "admin_path" : "path")
                    + " (the Unix socket to bind to)");
        }
        AFSocketType socketType = switch (type.toUpperCase(Locale.ROOT)) {
            case "SOCK_SEQPACKET" -> AFSocketType.SOCK_SEQPACKET;
            case "SOCK_DGRAM" -> AFSocketType.SOCK_DGRAM;
            default -> throw new IllegalArgumentException(PACKAGE + ": invalid " + (admin ? "admin_type" : "type") + " '"
                    + type + "' (SOCK_SEQPACKET or SOCK_DGRAM)");
        };
        UnixServer server = new UnixServer(this, context, control, admin, Path.of(path), socketType, maxMessage);
        server.start();
        return server;
    }

    @Override
    public void stop() {
        servers.forEach(UnixServer::close);
        servers.clear();
    }

    /** {@code configure} and {@code connections} (transports.md §6). */
    @Override
    public ObjectNode query(ObjectNode request) {
        return control.query(request, coreEvents, verb -> verb.equals("connections")
                ? Json.object().put("result", 200).put("connections", clients.size()) : null);
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
