package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14, must-show 2: a WebSocket backend that completes the handshake and then does not
 * read. The handler stops writing when the socket is not writable, keeps the rest in its bounded
 * queue (what does not fit is dropped and counted), never reconnects over it (which would throw
 * away what sits in the socket buffers), and once the backend reads, what it received equals
 * the handler's "delivered" count, in order. Stopping the server with such a backend takes
 * under 2 s.
 */
class NeverReadingBackendTest {
    static final int QUEUE = 200;
    static final int EVENTS = 1_000;
    static final int MAX_EVENTS = 20_000;

    @Test
    void deliveredEqualsWhatTheBackendGetsOnceItReads() throws Exception {
        try (StalledBackend backend = new StalledBackend();
             EventServer server = new EventServer("", "broadcast = true\nsequence_numbers = true", Map.of(
                     "janus.eventhandler.wsevh.jcfg", """
                             general: { enabled = true, events = "sessions", grouping = false, queue_size = %d,
                                        backend = "ws://127.0.0.1:%d/" }
                             """.formatted(QUEUE, backend.port())))) {
            ApiClient api = new ApiClient();
            // Until the socket buffers and the queue are full and events start to drop (how many
            // the kernel buffers take depends on the machine).
            long events = 0;
            while (events < MAX_EVENTS) {
                for (int i = 0; i < 100; i++, events++) {
                    api.create(server.janus());
                }
                if (EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh").path("dropped").asLong() > 0) {
                    break;
                }
            }
            JsonNode stalled = settled(api, server);
            assertThat(stalled.path("queued").asLong()).as("memory bounded by the queue").isLessThanOrEqualTo(QUEUE);
            assertThat(stalled.path("dropped").asLong()).as("what did not fit was dropped and counted").isPositive();
            assertThat(stalled.path("delivered").asLong()).as("writes stopped: events wait").isLessThan(events);
            assertThat(backend.connectionsMade()).as("no reconnect over a slow reader").isEqualTo(1);

            backend.startReading();
            long deadline = System.nanoTime() + 60_000_000_000L;
            JsonNode done;
            do {
                Thread.sleep(100);
                done = EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh");
            } while ((done.path("delivered").asLong() + done.path("dropped").asLong() < events
                    || backend.messages.size() < done.path("delivered").asLong()) && System.nanoTime() < deadline);
            Thread.sleep(500);
            done = EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh");
            System.out.printf("never-reading backend: stalled at %d delivered, %d queued, %d dropped; after reading: "
                            + "%d delivered, %d received, %d dropped%n", stalled.path("delivered").asLong(),
                    stalled.path("queued").asLong(), stalled.path("dropped").asLong(), done.path("delivered").asLong(),
                    backend.messages.size(), done.path("dropped").asLong());
            assertThat((long) backend.messages.size()).as("the delivered counter tells the truth")
                    .isEqualTo(done.path("delivered").asLong());
            assertThat(done.path("delivered").asLong() + done.path("dropped").asLong()).isEqualTo(events);
            long previous = -1;
            for (String m : backend.messages) {
                long seq = Json.MAPPER.readTree(m).path("seq").asLong();
                assertThat(seq).as("in order").isGreaterThan(previous);
                previous = seq;
            }
        }
    }

    @Test
    void shutdownTakesUnderTwoSecondsWithTheBackendStuck() throws Exception {
        try (StalledBackend backend = new StalledBackend()) {
            EventServer server = new EventServer("", "broadcast = true", Map.of("janus.eventhandler.wsevh.jcfg", """
                    general: { enabled = true, events = "sessions", grouping = false, backend = "ws://127.0.0.1:%d/" }
                    """.formatted(backend.port())));
            ApiClient api = new ApiClient();
            for (int i = 0; i < EVENTS; i++) {
                api.create(server.janus());
            }
            settled(api, server);
            long t0 = System.nanoTime();
            server.close();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("shutdown with a stuck WebSocket backend: %d ms%n", millis);
            assertThat(millis).isLessThan(2_000);
        }
    }

    /** Waits until the handler's counters stop moving (the socket buffers are full). */
    private static JsonNode settled(ApiClient api, EventServer server) throws Exception {
        JsonNode last = EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh");
        for (int stable = 0; stable < 10; ) {
            Thread.sleep(200);
            JsonNode now = EventHandlerConfigTest.stats(api, server, "janus.eventhandler.wsevh");
            stable = now.path("delivered").asLong() == last.path("delivered").asLong()
                    && now.path("offered").asLong() == last.path("offered").asLong() ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    /**
     * A WebSocket server that answers the handshake and then reads nothing until told to; small
     * socket buffers, so that the stall shows after a few events rather than megabytes.
     */
    static final class StalledBackend implements AutoCloseable {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CountDownLatch connections = new CountDownLatch(1_000);
        private final ServerSocket server = new ServerSocket();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final CountDownLatch read = new CountDownLatch(1);
        private final Thread acceptor;

        StalledBackend() throws IOException {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        sockets.add(s);
                        connections.countDown();
                        Thread.ofPlatform().daemon().start(() -> serve(s));
                    }
                } catch (IOException closed) {
                    // close()
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        long connectionsMade() {
            return 1_000 - connections.getCount();
        }

        void startReading() {
            read.countDown();
        }

        private void serve(Socket s) {
            try {
                InputStream in = s.getInputStream();
                String key = null;
                String protocol = null;
                for (String line : head(in)) {
                    String lower = line.toLowerCase();
                    if (lower.startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).trim();
                    } else if (lower.startsWith("sec-websocket-protocol:")) {
                        protocol = line.substring(line.indexOf(':') + 1).split(",")[0].trim();
                    }
                }
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                        (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n"
                        + (protocol != null ? "Sec-WebSocket-Protocol: " + protocol + "\r\n" : "") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                read.await();
                DataInputStream frames = new DataInputStream(in);
                while (true) {
                    int b0 = frames.readUnsignedByte();
                    int b1 = frames.readUnsignedByte();
                    long len = b1 & 0x7F;
                    if (len == 126) {
                        len = frames.readUnsignedShort();
                    } else if (len == 127) {
                        len = frames.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        frames.readFully(mask);
                    }
                    byte[] payload = new byte[(int) len];
                    frames.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                    if ((b0 & 0x0F) == 1) { // the handler sends each event as one unfragmented text frame
                        messages.add(new String(payload, StandardCharsets.UTF_8));
                    }
                }
            } catch (Exception closed) {
                // the connection ended
            }
        }

        private static List<String> head(InputStream in) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String l = line.toString().trim();
                    if (l.isEmpty()) {
                        return lines;
                    }
                    lines.add(l);
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            throw new IOException("closed during the handshake");
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
