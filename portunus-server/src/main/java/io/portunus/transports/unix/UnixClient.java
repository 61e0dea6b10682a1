package io.portunus.transports.unix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.spi.TransportSession;
import io.portunus.transports.nanomsg.JsonRequests;
import org.newsclub.net.unix.AFDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A transport instance of {@code janus.transport.pfunix}: one SOCK_SEQPACKET connection, or
 * one SOCK_DGRAM client path. Each packet is one message of one or more JSON requests; each
 * reply and event is one packet. A packet over the size limit gets a 454 error (and, on a
 * connection, the connection is closed).
 */
final class UnixClient implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(UnixClient.class);

    final UnixServer server;
    private final AFDatagramSocket<?> conn;
    private final SocketAddress dgramPeer;
    private final int fd;
    private volatile boolean open = true;

    UnixClient(UnixServer server, AFDatagramSocket<?> conn, SocketAddress dgramPeer, int fd) {
        this.server = server;
        this.conn = conn;
        this.dgramPeer = dgramPeer;
        this.fd = fd;
    }

    void connected() {
        server.transport.clients.add(this);
        if (server.control.events() && server.context.eventsEnabled()) {
            ObjectNode data = Json.object();
            data.put("event", "connected");
            data.put("admin_api", server.admin);
            data.put("fd", fd);
            if (conn == null) {
                data.put("type", "SOCK_DGRAM");
            }
            server.context.notifyEvent(this, data);
        }
    }

    void readLoop() {
        // The channel API: a blocking read that returns -1 at the end (the socket API reports
        // the end of a SOCK_SEQPACKET connection, and spurious wake-ups, as timeouts).
        var channel = conn.getChannel();
        ByteBuffer buf = ByteBuffer.allocate(server.maxMessage + 1);
        try {
            while (open) {
                buf.clear();
                int n;
                try {
                    n = channel.read(buf);
                } catch (IOException e) {
                    LOG.info("{}: connection on {} ended ({})", PfUnixTransport.PACKAGE, server.path, e.toString());
                    break;
                }
                if (n < 0) {
                    // End of stream: the client closed. Logged because its sessions go with it
                    // (or wait for a reclaim), which an operator wants to be able to explain.
                    LOG.info("{}: a client on {} disconnected", PfUnixTransport.PACKAGE, server.path);
                    break;
                }
                if (n == 0) {
                    continue; // an empty packet, or a wake-up with nothing read: not the end
                }
                if (!packet(buf.array(), n)) {
                    break;
                }
            }
        } finally {
            close();
            gone();
        }
    }

    /** Handles one packet; false when it was over the limit (the connection is then closed). */
    boolean packet(byte[] buf, int length) {
        if (length > server.maxMessage) {
            LOG.warn("{}: a message over {} bytes on {}, {}", PfUnixTransport.PACKAGE, server.maxMessage, server.path,
                    conn != null ? "closing the connection" : "refused");
            send(Json.error(0, null, JanusError.INVALID_JSON.code(), "Invalid " + (server.admin ? "Admin" : "Janus")
                    + " API request - message over " + server.maxMessage + " bytes"));
            return false;
        }
        String text = new String(buf, 0, length, StandardCharsets.UTF_8);
        JsonRequests.dispatch(text, server.admin,
                request -> server.context.incomingRequest(this, request, server.admin, this::send), this::send);
        return true;
    }

    private void send(ObjectNode message) {
        if (!open) {
            LOG.debug("{}: client gone, dropping {}", PfUnixTransport.PACKAGE, message.path("janus").asText());
            return;
        }
        byte[] data = server.control.json().bytes(message);
        try {
            if (conn != null) {
                synchronized (this) {
                    conn.send(new DatagramPacket(data, data.length));
                }
            } else {
                server.sendTo(dgramPeer, data);
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot send to a client on {}: {}", PfUnixTransport.PACKAGE, server.path, e.toString());
            if (conn == null) {
                // The datagram client's socket is gone: forget it, as a closed connection.
                open = false;
                server.forget(this, dgramPeer);
                gone();
            } else {
                close();
            }
        }
    }

    @Override
    public void sendEvent(ObjectNode event) {
        send(event);
    }

    /** Janus closes a SEQPACKET client whose session timed out, once what was queued is sent. */
    @Override
    public void sessionOver(long sessionId, boolean timeout, boolean claimed) {
        if (timeout && conn != null) {
            close();
        }
    }

    @Override
    public String transportName() {
        return PfUnixTransport.PACKAGE;
    }

    void close() {
        if (conn != null) {
            open = false;
            conn.close();
        }
    }

    private volatile boolean reported;

    /** Once: the disconnected event, then the core drops or keeps this instance's sessions. */
    void gone() {
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
        }
        open = false;
        server.transport.clients.remove(this);
        if (server.control.events() && server.context.eventsEnabled()) {
            server.context.notifyEvent(this, Json.object().put("event", "disconnected"));
        }
        server.context.transportGone(this);
    }
}
