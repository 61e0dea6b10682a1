package io.portunus.nanomsg;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import io.portunus.net.sp.SpCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code janus.transport.nanomsg} against Debian's real {@code nanocat}: the Janus API on an
 * {@code ipc://} socket the server binds, the Admin API on {@code tcp://} in {@code connect}
 * mode (nanocat binds), then bad input over raw TCP.
 */
class NanomsgTransportTest {

    static JsonNode reply(List<JsonNode> got, String transaction) {
        return got.stream().filter(n -> transaction.equals(n.path("transaction").asText())
                && !"ack".equals(n.path("janus").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no reply to " + transaction + " in " + got));
    }

    /** One request with a fresh nanocat; retried once if the previous nanocat still held the PAIR slot. */
    static List<JsonNode> call(String how, String address, String request, int seconds) throws Exception {
        List<JsonNode> got = Nanocat.pair(how, address, request, seconds);
        return got.isEmpty() ? Nanocat.pair(how, address, request, seconds) : got;
    }

    @Test
    void sessionOverIpcAndAdminOverTcpConnectMode() throws Exception {
        int adminPort = NanomsgServer.freePort();
        String admin = "tcp://127.0.0.1:" + adminPort;
        try (NanomsgServer server = new NanomsgServer("""
                general: { enabled = true, json = "indented", address = "ipc://$DIR/api.ipc" }
                admin: { admin_enabled = true, admin_mode = "connect", admin_address = "%s" }
                """.formatted(admin), "")) {
            String api = "ipc://" + server.folder.resolve("api.ipc");
            long session = reply(call("--connect", api, "{\"janus\":\"create\",\"transaction\":\"c1\"}", 1), "c1")
                    .at("/data/id").asLong();
            assertThat(session).isPositive();
            JsonNode attached = reply(call("--connect", api, """
                    {"janus":"attach","transaction":"a1","session_id":%d,"plugin":"janus.plugin.echotest"}""".formatted(session), 1), "a1");
            assertThat(attached.path("janus").asText()).isEqualTo("success");
            long handle = attached.at("/data/id").asLong();

            List<JsonNode> exchange = call("--connect", api, """
                    {"janus":"message","transaction":"m1","session_id":%d,"handle_id":%d,"body":{"audio":false}}"""
                    .formatted(session, handle), 1);
            assertThat(exchange).anySatisfy(n -> assertThat(n.path("janus").asText()).isEqualTo("ack"));
            JsonNode event = reply(exchange, "m1");
            assertThat(event.path("janus").asText()).isEqualTo("event");
            assertThat(event.at("/plugindata/plugin").asText()).isEqualTo("janus.plugin.echotest");
            assertThat(event.at("/plugindata/data/result").asText()).isEqualTo("ok");

            // The Admin API, the server connecting to nanocat.
            String secret = NanomsgServer.ADMIN_SECRET;
            JsonNode sessions = reply(call("--bind", admin,
                    "{\"janus\":\"list_sessions\",\"transaction\":\"l1\",\"admin_secret\":\"" + secret + "\"}", 1), "l1");
            assertThat(sessions.path("sessions").toString()).contains(String.valueOf(session));
            JsonNode info = reply(call("--bind", admin, """
                    {"janus":"handle_info","transaction":"h1","admin_secret":"%s","session_id":%d,"handle_id":%d}"""
                    .formatted(secret, session, handle), 1), "h1");
            assertThat(info.at("/info/plugin").asText()).isEqualTo("janus.plugin.echotest");
            assertThat(info.at("/info/session_transport").asText()).isIn("janus.transport.nanomsg", "");
            JsonNode configure = reply(call("--bind", admin, """
                    {"janus":"query_transport","transaction":"q1","admin_secret":"%s","transport":"janus.transport.nanomsg",
                     "request":{"request":"configure","events":true,"json":"compact"}}""".formatted(secret), 1), "q1");
            assertThat(configure.at("/response/result").asInt()).isEqualTo(200);
            JsonNode connections = reply(call("--bind", admin, """
                    {"janus":"query_transport","transaction":"q2","admin_secret":"%s","transport":"janus.transport.nanomsg",
                     "request":{"request":"connections"}}""".formatted(secret), 1), "q2");
            assertThat(connections.at("/response/error").asText()).isEqualTo("Unknown request 'connections'");

            JsonNode destroyed = reply(call("--connect", api,
                    "{\"janus\":\"destroy\",\"transaction\":\"d1\",\"session_id\":" + session + "}", 1), "d1");
            assertThat(destroyed.path("janus").asText()).isEqualTo("success");
        }
    }

    /** Reads until the server closes; returns the bytes it sent (its SP header first). */
    private static byte[] untilClosed(Socket s, int seconds) throws Exception {
        s.setSoTimeout(seconds * 1000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = s.getInputStream()) {
            byte[] buf = new byte[256];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // a reset is a close too (the server closed with our bytes unread)
        }
        return got.toByteArray();
    }

    @Test
    void badInputClosesThatConnectionAndTheServerKeepsServing() throws Exception {
        int port = NanomsgServer.freePort();
        String api = "tcp://127.0.0.1:" + port;
        try (NanomsgServer server = new NanomsgServer("""
                general: { enabled = true, address = "%s", max_message_size = 4096 }
                """.formatted(api), "")) {
            // Not SP at all: the header is refused and the connection closed.
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(untilClosed(s, 3)).containsExactly(SpCodec.header(SpCodec.PAIR));
            }
            settle();
            // Another protocol (NN_SUB) is refused the same way.
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(SpCodec.header(SpCodec.SUB));
                assertThat(untilClosed(s, 3)).hasSize(8);
            }
            settle();
            // An oversized frame is refused from its length, before its bytes.
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write(SpCodec.header(SpCodec.PAIR));
                out.write(SpCodec.frameHeader(1L << 40, false));
                assertThat(untilClosed(s, 3)).hasSizeLessThanOrEqualTo(8);
            }
            settle();
            // Garbage JSON in a good frame: Janus's 454 error, connection kept. The PAIR slot is
            // freed a moment after the previous connection closes: try again until it is.
            JsonNode error = null;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (error == null) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    OutputStream out = s.getOutputStream();
                    out.write(SpCodec.header(SpCodec.PAIR));
                    out.write(SpCodec.frame("{not json".getBytes(), false));
                    s.setSoTimeout(3000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] header = new byte[8];
                    in.readFully(header);
                    long length = in.readLong();
                    byte[] body = new byte[(int) length];
                    in.readFully(body);
                    error = Json.MAPPER.readTree(body);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            assertThat(error.at("/error/code").asInt()).isEqualTo(454);
            assertThat(error.at("/error/reason").asText()).startsWith("Invalid Janus API request - ");
            settle();
            // Half-open: connects and says nothing; dropped after the handshake timeout.
            long t0 = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertThat(untilClosed(s, 8)).hasSize(8);
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(4_000L, 8_000L);
            settle();
            // A second connection while the PAIR slot is taken is closed at once.
            try (Socket first = new Socket("127.0.0.1", port)) {
                first.getOutputStream().write(SpCodec.header(SpCodec.PAIR));
                // Wait for the server's header: only then is the slot surely the first one's.
                first.setSoTimeout(3000);
                new DataInputStream(first.getInputStream()).readFully(new byte[8]);
                try (Socket second = new Socket("127.0.0.1", port)) {
                    assertThat(untilClosed(second, 3)).isEmpty();
                }
            }
            settle();
            // Still serving: the real client works.
            JsonNode created = reply(call("--connect", api, "{\"janus\":\"create\",\"transaction\":\"ok\"}", 1), "ok");
            assertThat(created.path("janus").asText()).isEqualTo("success");
            assertThat(ByteBuffer.wrap(new byte[8]).getLong()).isZero();
        }
    }

    /**
     * The client sees a refused connection close a moment before the server has freed the
     * PAIR slot; give it that moment before the next connection.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(250);
    }
}
