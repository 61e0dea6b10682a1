package io.portunus.transports.unix;

import io.portunus.core.spi.TransportContext;
import io.portunus.net.Threads;
import io.portunus.transports.TransportControl;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bound Unix socket (Janus API or Admin API). SOCK_SEQPACKET: an accept thread and one
 * reader thread per connection, each connection a transport instance. SOCK_DGRAM: one reader
 * thread; each sender path is a transport instance, replies go to that path, packets from
 * unnamed sockets are dropped (there is nowhere to answer).
 */
final class UnixServer {
    private static final Logger LOG = LoggerFactory.getLogger(UnixServer.class);
    private static final int BACKLOG = 64;

    final PfUnixTransport transport;
    final TransportContext context;
    final TransportControl control;
    final boolean admin;
    final Path path;
    final AFSocketType type;
    final int maxMessage;
    private AFUNIXDatagramSocket socket;
    private final Map<String, UnixClient> dgramClients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    UnixServer(PfUnixTransport transport, TransportContext context, TransportControl control, boolean admin, Path path,
               AFSocketType type, int maxMessage) {
        this.transport = transport;
        this.context = context;
        this.control = control;
        this.admin = admin;
        this.path = path;
        this.type = type;
        this.maxMessage = maxMessage;
    }

    void start() throws IOException {
        // As Janus: whatever is at the path is replaced.
        Files.deleteIfExists(path);
        socket = AFUNIXDatagramSocket.newInstance(type);
        try {
            socket.bind(AFUNIXSocketAddress.of(path.toFile()));
            if (type == AFSocketType.SOCK_SEQPACKET) {
                socket.listen(BACKLOG);
            } else {
                socket.setReceiveBufferSize(Math.max(maxMessage + 1, 212_992));
            }
        } catch (IOException e) {
            socket.close();
            throw new IOException(PfUnixTransport.PACKAGE + ": cannot bind " + path + ": " + e.getMessage(), e);
        }
        String label = (admin ? "admin-" : "") + type.name() + " " + path;
        Threads.startDaemon("portunus-pfunix-" + (admin ? "admin" : "api"),
                type == AFSocketType.SOCK_SEQPACKET ? this::acceptLoop : this::datagramLoop);
        LOG.info("Unix Sockets {} server listening on {} ({})", admin ? "Admin API" : "Janus API", path, type.name());
        LOG.debug("{} started", label);
    }

    private void acceptLoop() {
        while (!closed) {
            AFDatagramSocket<?> conn;
            try {
                conn = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: accept on {} failed: {}", PfUnixTransport.PACKAGE, path, e.toString());
                    sleepQuietly();
                }
                continue;
            }
            UnixClient client = new UnixClient(this, conn, null, fd(conn));
            client.connected();
            Threads.startDaemon("portunus-pfunix-client", client::readLoop);
        }
    }

    private void datagramLoop() {
        // The channel API gives the sender's AF_UNIX address (DatagramPacket only takes IP ones).
        var channel = socket.getChannel();
        ByteBuffer buf = ByteBuffer.allocate(maxMessage + 1);
        while (!closed) {
            SocketAddress from;
            buf.clear();
            try {
                from = channel.receive(buf);
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("{}: receive on {} failed: {}", PfUnixTransport.PACKAGE, path, e.toString());
                }
                continue;
            }
            if (from == null && buf.position() == 0) {
                continue; // nothing received (a wake-up without a datagram)
            }
            String fromPath = from instanceof AFUNIXSocketAddress a && a.hasFilename() ? a.getPath() : null;
            if (fromPath == null || fromPath.isEmpty()) {
                LOG.warn("{}: dropping a datagram on {} from an unnamed socket (bind the client to a path to get answers)",
                        PfUnixTransport.PACKAGE, path);
                continue;
            }
            UnixClient client = dgramClients.computeIfAbsent(fromPath, k -> {
                UnixClient c = new UnixClient(this, null, from, -1);
                c.connected();
                return c;
            });
            client.packet(buf.array(), buf.position());
        }
    }

    /** Sends a datagram to a DGRAM client's path. */
    void sendTo(SocketAddress to, byte[] data) throws IOException {
        socket.getChannel().send(ByteBuffer.wrap(data), to);
    }

    void forget(UnixClient client, SocketAddress address) {
        if (address instanceof AFUNIXSocketAddress a) {
            dgramClients.remove(a.getPath(), client);
        }
    }

    private static int fd(AFDatagramSocket<?> s) {
        try {
            return FileDescriptorCast.using(s.getFileDescriptor()).as(Integer.class);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        closed = true;
        socket.close();
        for (UnixClient c : transport.clients) {
            if (c.server == this) {
                c.close();
            }
        }
        dgramClients.values().forEach(UnixClient::gone);
        dgramClients.clear();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("remove {}: {}", path, e.toString());
        }
    }
}
