package io.portunus.eventhandlers.gelf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.events.Gzip;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/**
 * {@code janus.eventhandler.gelfevh}: each event as one GELF message (no grouping) to Graylog
 * over UDP (chunked, optionally gzipped) or TCP (null-byte framed, never compressed), as
 * event-handlers.md §6 describes.
 */
public final class GelfEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.gelfevh";
    private static final Logger LOG = LoggerFactory.getLogger(GelfEventHandler.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus GELF event handler", "The Portunus authors",
            "This event handler forwards events to Graylog as GELF messages.", 1, "0.0.1",
            List.of("libjanus_gelfevh.so"));

    /** Where and how to send; replaced whole by {@code tweak}. */
    record Target(InetSocketAddress address, boolean tcp, int maxMessageLen, boolean compress, int compression) {
    }

    private final SecureRandom random = new SecureRandom();
    private HandlerOptions options;
    private String emitter;
    private volatile Target target;
    private volatile boolean reconnect;
    private DatagramSocket udp;
    private Socket tcp;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean init(ConfigGroup config, EventHandlerContext context) {
        ConfigGroup general = config.group("general");
        options = new HandlerOptions(general, PACKAGE);
        if (!options.enabled) {
            return false;
        }
        emitter = context.serverName();
        String backend = general.string("backend", null);
        String port = general.string("port", null);
        if (backend == null || port == null) {
            throw new IllegalArgumentException("missing backend or port (the Graylog host and port)");
        }
        int maxLen = (int) general.integer("max_message_len", 500);
        if (maxLen <= 0) {
            throw new IllegalArgumentException("invalid max_message_len " + maxLen + ": must be positive");
        }
        int level = (int) general.integer("compression", 6);
        target = target(backend, port, general.string("protocol", "udp"), maxLen,
                general.bool("compress", false), level < 0 || level > 9 ? 6 : level);
        return true;
    }

    private static Target target(String backend, String port, String protocol, int maxLen, boolean compress, int level) {
        int p;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + port + "'");
        }
        boolean tcp = switch (protocol.toLowerCase(Locale.ROOT)) {
            case "tcp" -> true;
            case "udp" -> false;
            default -> throw new IllegalArgumentException("invalid protocol '" + protocol + "': udp or tcp");
        };
        // GELF over TCP has no compression (the NUL framing would break), as in Janus.
        return new Target(new InetSocketAddress(backend, p), tcp, maxLen, compress && !tcp, level);
    }

    @Override
    public int mask() {
        return options.mask();
    }

    @Override
    public int maxBatch() {
        return HandlerOptions.GROUP_SIZE;
    }

    @Override
    public void deliver(List<SerializedEvent> batch) throws IOException {
        Target t = target;
        if (reconnect) {
            reconnect = false;
            closeSockets();
        }
        for (SerializedEvent e : batch) {
            byte[] message = GelfMessage.wrap(e, emitter);
            if (t.tcp()) {
                sendTcp(t, message);
            } else {
                sendUdp(t, message);
            }
        }
    }

    private void sendUdp(Target t, byte[] message) throws IOException {
        byte[] payload = t.compress() ? Gzip.compress(message, t.compression()) : message;
        List<byte[]> datagrams = GelfChunker.chunks(payload, t.maxMessageLen(), random.nextLong());
        if (datagrams.isEmpty()) {
            throw new IOException("GELF message of " + payload.length + " bytes needs more than "
                    + GelfChunker.MAX_CHUNKS + " chunks of " + t.maxMessageLen());
        }
        if (udp == null) {
            udp = new DatagramSocket();
        }
        for (byte[] d : datagrams) {
            udp.send(new DatagramPacket(d, d.length, t.address()));
        }
    }

    /** On a send error the socket is closed and the event given up; the next one reconnects. */
    private void sendTcp(Target t, byte[] message) throws IOException {
        try {
            if (tcp == null) {
                tcp = new Socket();
                tcp.connect(t.address(), CONNECT_TIMEOUT_MS);
                tcp.setTcpNoDelay(true);
            }
            OutputStream out = tcp.getOutputStream();
            out.write(message);
            out.write(0);
            out.flush();
        } catch (IOException e) {
            closeSockets();
            throw e;
        }
    }

    private void closeSockets() {
        if (udp != null) {
            udp.close();
            udp = null;
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException e) {
                LOG.debug("{}: close: {}", PACKAGE, e.toString());
            }
            tcp = null;
        }
    }

    @Override
    public ObjectNode handleRequest(JsonNode request) {
        ObjectNode invalid = HandlerRequests.checkTweak(request,
                HandlerRequests.field("events", Kind.STRING),
                HandlerRequests.field("backend", Kind.STRING),
                HandlerRequests.field("port", Kind.STRING),
                HandlerRequests.field("protocol", Kind.STRING),
                HandlerRequests.field("max_message_len", Kind.POSITIVE_INTEGER),
                HandlerRequests.field("compress", Kind.BOOLEAN),
                HandlerRequests.field("compression", Kind.POSITIVE_INTEGER));
        if (invalid != null) {
            return invalid;
        }
        Target t = target;
        String backend = request.path("backend").asText(null);
        String port = request.path("port").asText(null);
        if (backend != null || port != null) {
            // Janus wants both together (and crashes without protocol); Portunus keeps the old protocol.
            if (backend == null || port == null) {
                return HandlerRequests.error(HandlerRequests.INVALID_ELEMENT, "Invalid backend URI '" + backend + ":" + port + "'");
            }
        }
        try {
            int maxLen = request.path("max_message_len").asInt(t.maxMessageLen());
            int level = request.path("compression").asInt(t.compression());
            t = target(backend != null ? backend : t.address().getHostString(),
                    port != null ? port : String.valueOf(t.address().getPort()),
                    request.path("protocol").asText(t.tcp() ? "tcp" : "udp"), maxLen <= 0 ? t.maxMessageLen() : maxLen,
                    request.path("compress").asBoolean(t.compress()), level <= 9 ? level : t.compression());
        } catch (IllegalArgumentException e) {
            return HandlerRequests.error(HandlerRequests.INVALID_ELEMENT, "Invalid backend URI '" + backend + ":" + port + "'");
        }
        if (request.has("events")) {
            options.setEvents(request.get("events").asText());
        }
        target = t;
        reconnect = true;
        return HandlerRequests.ok();
    }

    @Override
    public void destroy() {
        closeSockets();
    }
}
