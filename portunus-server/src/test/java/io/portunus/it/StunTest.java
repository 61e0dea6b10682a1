package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.ice.StunPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** test_stun against a STUN server on 127.0.0.1 that the test runs, and against silence. */
class StunTest {
    static final String SECRET = "stun-secret";
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();
    static DatagramSocket stun;
    static Thread stunThread;
    static volatile int answered;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"" + SECRET + "\"");
        stun = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        stunThread = Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[1500];
            while (!stun.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    stun.receive(p);
                    StunPacket request = StunPacket.parse(buf, 0, p.getLength());
                    if (request == null || request.type() != StunPacket.BINDING_REQUEST) {
                        continue;
                    }
                    byte[] resp = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, request.transactionId())
                            .xorMappedAddress((InetSocketAddress) p.getSocketAddress()).build(null, false);
                    stun.send(new DatagramPacket(resp, resp.length, p.getSocketAddress()));
                    answered++;
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        stun.close();
        server.close();
    }

    private static JsonNode testStun(int port, int localPort) throws Exception {
        ObjectNode r = Json.object();
        r.put("janus", "test_stun");
        r.put("admin_secret", SECRET);
        r.put("address", "127.0.0.1");
        r.put("port", port);
        r.put("localport", localPort);
        return http.request(server.admin(), r);
    }

    @Test
    void mappedAddressComesBackWithTheTimeItTook() throws Exception {
        int localPort = TestServer.freePort();
        JsonNode reply = testStun(stun.getLocalPort(), localPort);
        assertThat(reply.path("janus").asText()).as(reply.toString()).isEqualTo("success");
        assertThat(reply.path("public_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(reply.path("public_port").asInt()).as("the chosen local port, seen by the server").isEqualTo(localPort);
        assertThat(reply.path("elapsed").asLong()).isPositive();
        assertThat(Shapes.keys(reply)).containsExactly("janus:string", "transaction:string", "public_ip:string",
                "public_port:number", "elapsed:number");
        assertThat(answered).isPositive();
    }

    @Test
    void silenceIsAStunFailureAfterFiveSeconds() throws Exception {
        int nobody = TestServer.freePort();
        var pending = CompletableFuture.supplyAsync(() -> {
            try {
                return testStun(nobody, 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The wait happens on a worker: the Admin API answers other requests meanwhile.
        Thread.sleep(500);
        ObjectNode ping = Json.object();
        ping.put("janus", "ping");
        assertThat(http.request(server.admin(), ping).path("janus").asText()).isEqualTo("pong");
        assertThat(pending).as("still waiting for the STUN answer").isNotDone();
        JsonNode reply = pending.get(10, TimeUnit.SECONDS);
        assertThat(reply.path("error").path("code").asInt()).isEqualTo(490);
        assertThat(reply.path("error").path("reason").asText()).isEqualTo("STUN request failed");
    }

    @Test
    void codecRoundTripsIpv4AndIpv6() throws Exception {
        byte[] id = StunPacket.newTransactionId();
        for (String ip : new String[] {"203.0.113.7", "2001:db8::1"}) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(ip), 54321);
            byte[] resp = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, id).xorMappedAddress(a).build(null, false);
            assertThat(StunPacket.parse(resp, 0, resp.length).type()).isEqualTo(StunPacket.BINDING_SUCCESS);
            assertThat(StunPacket.parse(resp, 0, resp.length).mappedAddress()).isEqualTo(a);
        }
        assertThat(StunPacket.parse(new byte[10], 0, 10)).isNull();
    }
}
