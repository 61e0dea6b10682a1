package io.portunus.unix;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import io.portunus.nanomsg.NanomsgServer;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code janus.transport.pfunix} with raw junixsocket clients: the Janus API on SOCK_SEQPACKET,
 * the Admin API on SOCK_DGRAM, then bad input.
 */
class PfUnixTransportTest {

    static final class Client implements AutoCloseable {
        final AFUNIXDatagramSocket socket;

        Client(AFSocketType type, Path server, Path self) throws Exception {
            socket = AFUNIXDatagramSocket.newInstance(type);
            if (self != null) {
                socket.bind(AFUNIXSocketAddress.of(self.toFile()));
            }
            socket.connect(AFUNIXSocketAddress.of(server.toFile()));
            socket.setSoTimeout(3000);
        }

        void send(String text) throws Exception {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length));
        }

        JsonNode receive() throws Exception {
            byte[] buf = new byte[1 << 20];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            // junixsocket can report a timeout early (a signal interrupting recv on a busy
            // machine); keep waiting until the real 3 s deadline.
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (true) {
                try {
                    socket.receive(p);
                    return Json.MAPPER.readTree(buf, 0, p.getLength());
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        }

        JsonNode call(String text) throws Exception {
            send(text);
            return receive();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private interface Call {
        JsonNode run() throws Exception;
    }

    private static String quietly(Call call) {
        try {
            return String.valueOf(call.run());
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void sessionOverSeqpacketAndAdminOverDgram() throws Exception {
        try (NanomsgServer server = new NanomsgServer("", """
                general: { enabled = true, path = "$DIR/ux-api" }
                admin: { admin_enabled = true, admin_path = "$DIR/ux-admin", admin_type = "SOCK_DGRAM" }
                """)) {
            Path dir = server.folder;
            String secret = NanomsgServer.ADMIN_SECRET;
            try (Client api = new Client(AFSocketType.SOCK_SEQPACKET, dir.resolve("ux-api"), null);
                 Client admin = new Client(AFSocketType.SOCK_DGRAM, dir.resolve("ux-admin"), dir.resolve("admin-client"))) {
                long session = api.call("{\"janus\":\"create\",\"transaction\":\"c1\"}").at("/data/id").asLong();
                assertThat(session).isPositive();
                JsonNode attached = api.call("""
                        {"janus":"attach","transaction":"a1","session_id":%d,"plugin":"janus.plugin.echotest"}""".formatted(session));
                long handle = attached.at("/data/id").asLong();
                api.send("""
                        {"janus":"message","transaction":"m1","session_id":%d,"handle_id":%d,"body":{"audio":false}}"""
                        .formatted(session, handle));
                assertThat(api.receive().path("janus").asText()).isEqualTo("ack");
                JsonNode event = api.receive();
                assertThat(event.path("janus").asText()).isEqualTo("event");
                assertThat(event.at("/plugindata/data/result").asText()).isEqualTo("ok");

                JsonNode sessions = admin.call("{\"janus\":\"list_sessions\",\"transaction\":\"l1\",\"admin_secret\":\"" + secret + "\"}");
                // Seen once in a full CI run: an empty list here. Should it come back, the message
                // says whether the session was gone (list_handles 458) or only missing from the list.
                assertThat(sessions.path("sessions").toString())
                        .as(() -> "list_sessions " + sessions + "; list_handles now " + quietly(() -> admin.call(
                                "{\"janus\":\"list_handles\",\"transaction\":\"l2\",\"admin_secret\":\"" + secret
                                        + "\",\"session_id\":" + session + "}")))
                        .contains(String.valueOf(session));
                JsonNode info = admin.call("""
                        {"janus":"handle_info","transaction":"h1","admin_secret":"%s","session_id":%d,"handle_id":%d}"""
                        .formatted(secret, session, handle));
                assertThat(info.at("/info/plugin").asText()).isEqualTo("janus.plugin.echotest");
                JsonNode connections = admin.call("""
                        {"janus":"query_transport","transaction":"q1","admin_secret":"%s","transport":"janus.transport.pfunix",
                         "request":{"request":"connections"}}""".formatted(secret));
                assertThat(connections.at("/response/result").asInt()).isEqualTo(200);
                assertThat(connections.at("/response/connections").asInt()).isEqualTo(2);

                // Janus sends the handle's "detached" event before the reply.
                assertThat(api.call("{\"janus\":\"destroy\",\"transaction\":\"d1\",\"session_id\":" + session + "}")
                        .path("janus").asText()).isEqualTo("detached");
                assertThat(api.receive().path("janus").asText()).isEqualTo("success");
            }
        }
    }

    @Test
    void badInputGetsAnErrorOrAClosedConnection() throws Exception {
        try (NanomsgServer server = new NanomsgServer("", """
                general: { enabled = true, path = "$DIR/ux-api", max_message_size = 4096 }
                admin: { admin_enabled = true, admin_path = "$DIR/ux-admin", admin_type = "SOCK_DGRAM" }
                """)) {
            Path dir = server.folder;
            try (Client api = new Client(AFSocketType.SOCK_SEQPACKET, dir.resolve("ux-api"), null)) {
                JsonNode error = api.call("{not json");
                assertThat(error.at("/error/code").asInt()).isEqualTo(454);
                // Still open after garbage:
                assertThat(api.call("{\"janus\":\"ping\",\"transaction\":\"p\"}").path("janus").asText()).isEqualTo("pong");
                // Oversized: a 454 that says so, then the connection is closed.
                JsonNode tooBig = api.call("{\"janus\":\"ping\",\"transaction\":\"" + "x".repeat(5000) + "\"}");
                assertThat(tooBig.at("/error/reason").asText()).contains("over 4096 bytes");
                assertThatThrownBy(api::receive).isInstanceOf(IOException.class);
            }
            // A half-open connection (says nothing) does not stop the others.
            try (Client idle = new Client(AFSocketType.SOCK_SEQPACKET, dir.resolve("ux-api"), null);
                 Client api = new Client(AFSocketType.SOCK_SEQPACKET, dir.resolve("ux-api"), null)) {
                assertThat(api.call("{\"janus\":\"ping\",\"transaction\":\"p2\"}").path("janus").asText()).isEqualTo("pong");
            }
            // A datagram from an unnamed socket has nowhere to be answered: dropped; named ones still served.
            try (Client unnamed = new Client(AFSocketType.SOCK_DGRAM, dir.resolve("ux-admin"), null);
                 Client named = new Client(AFSocketType.SOCK_DGRAM, dir.resolve("ux-admin"), dir.resolve("named"))) {
                unnamed.send("{\"janus\":\"ping\",\"transaction\":\"u\"}");
                JsonNode garbage = named.call("\u0000\u0001garbage");
                assertThat(garbage.at("/error/code").asInt()).isEqualTo(454);
                assertThat(garbage.at("/error/reason").asText()).startsWith("Invalid Admin API request");
                assertThat(named.call("{\"janus\":\"ping\",\"transaction\":\"n\"}").path("janus").asText()).isEqualTo("pong");
            }
        }
    }
}
