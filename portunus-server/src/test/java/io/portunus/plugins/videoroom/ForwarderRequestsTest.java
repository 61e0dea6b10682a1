package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicLong;

import static io.portunus.plugins.videoroom.RoomRequestsTest.assertError;
import static io.portunus.plugins.videoroom.VideoRoomClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rtp_forward}, {@code stop_rtp_forward} and {@code listforwarders} refused as Janus 1.1.2
 * refuses them (codes and texts recorded against it on 2026-12-05, lock_rtp_forward with an
 * admin_key, a joined publisher), over the Janus API and the Admin API; and Portunus's own
 * refusals: a destination outside {@code rtp_forward_allow}, a port outside 1-65535.
 */
class ForwarderRequestsTest {
    static VideoRoomServer server;
    static VideoRoomClient client;
    static long handle;
    static long room;
    static long publisher;
    static final AtomicLong nextRoom = new AtomicLong(9100);

    @BeforeAll
    static void start() throws Exception {
        server = new VideoRoomServer("""
                general: { admin_key = "ak", lock_rtp_forward = true, rtp_forward_allow = "127.0.0.0/8,::1/128" }
                """);
        client = server.client();
        handle = client.attach();
        room = nextRoom.incrementAndGet();
        assertThat(client.admin(request("create").put("room", room).put("admin_key", "ak").put("secret", "sec"))
                .path("videoroom").asText()).isEqualTo("created");
        long pub = client.attach();
        publisher = 777;
        assertThat(client.async(pub, request("join").put("ptype", "publisher").put("room", room).put("id", publisher))
                .path("videoroom").asText()).isEqualTo("joined");
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    static JsonNode ask(String via, ObjectNode body) throws Exception {
        return via.equals("admin") ? client.admin(body) : client.sync(handle, body);
    }

    static ObjectNode forward() {
        return request("rtp_forward").put("room", room).put("publisher_id", publisher).put("secret", "sec")
                .put("admin_key", "ak").put("host", "127.0.0.1");
    }

    static ObjectNode drop(ObjectNode body, String name) {
        body.remove(name);
        return body;
    }

    static ObjectNode stream(String mid, int port) {
        return Json.object().put("mid", mid).put("port", port);
    }

    static ObjectNode withStreams(ObjectNode body, ObjectNode... streams) {
        ArrayNode list = body.putArray("streams");
        for (ObjectNode s : streams) {
            list.add(s);
        }
        return body;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void refusedAsJanusRefuses(String via) throws Exception {
        assertError(ask(via, withStreams(drop(forward(), "admin_key"), stream("0", 5000))), 429,
                "Missing mandatory element (admin_key)");
        assertError(ask(via, withStreams(forward().put("admin_key", "x"), stream("0", 5000))), 433,
                "Unauthorized (wrong admin_key)");
        assertError(ask(via, drop(drop(forward(), "host"), "admin_key")), 429, "Missing mandatory element (host)");
        assertError(ask(via, forward().put("host", 5)), 430, "Invalid element type (host should be a string)");
        assertError(ask(via, forward().put("publisher_id", "x")), 430,
                "Invalid element type (publisher_id should be a positive integer)");
        assertError(ask(via, forward().put("streams", 5)), 430, "Invalid element type (streams should be an array)");
        // Each stream is checked before the room is looked up.
        assertError(ask(via, withStreams(forward().put("room", 999), Json.object().put("port", 1))), 429,
                "Missing mandatory element (mid)");
        assertError(ask(via, withStreams(forward(), stream("0", 1), Json.object().put("mid", "1"))), 429,
                "Missing mandatory element (port)");
        assertError(ask(via, withStreams(forward(), Json.object().put("mid", 0).put("port", 1))), 430,
                "Invalid element type (mid should be a string)");
        assertError(ask(via, withStreams(forward(), Json.object().put("mid", "0").put("port", "1"))), 430,
                "Invalid element type (port should be a positive integer)");
        assertError(ask(via, withStreams(forward(), stream("0", 1).put("rtcp_port", -1))), 430,
                "Invalid element type (rtcp_port should be a positive integer)");
        assertError(ask(via, withStreams(forward(), stream("0", 1).put("pt", "x"))), 430,
                "Invalid element type (pt should be a positive integer)");
        assertError(ask(via, withStreams(forward(), stream("0", 1).put("ssrc", "x"))), 430,
                "Invalid element type (ssrc should be a positive integer)");
        assertError(ask(via, withStreams(forward(), stream("0", 1).put("simulcast", "x"))), 430,
                "Invalid element type (simulcast should be a boolean)");
        assertError(ask(via, withStreams(forward(), stream("0", 1).put("port_2", "x"))), 430,
                "Invalid element type (port_2 should be a positive integer)");
        assertError(ask(via, withStreams(forward(), stream("0", 1).put("host", 5))), 430,
                "Invalid element type (host should be a string)");
        assertError(ask(via, withStreams(forward().put("host_family", 4), stream("0", 1))), 430,
                "Invalid element type (host_family should be a string)");
        assertError(ask(via, withStreams(forward().put("host_family", "ipv5").put("room", 999), stream("0", 1))), 430,
                "Unsupported protocol family (ipv5)");
        assertError(ask(via, withStreams(forward().put("srtp_suite", "32"), stream("0", 1))), 430,
                "Invalid element type (srtp_suite should be a positive integer)");
        assertError(ask(via, withStreams(forward().put("srtp_suite", 33).put("srtp_crypto", "x").put("room", 999),
                stream("0", 1))), 430, "Invalid SRTP suite (33)");
        assertError(ask(via, withStreams(forward().put("srtp_suite", 32).put("srtp_crypto", 5), stream("0", 1))), 430,
                "Invalid element type (srtp_crypto should be a string)");
        assertError(ask(via, forward().put("audio_port", "x")), 430,
                "Invalid element type (audio_port should be a positive integer)");
        assertError(ask(via, withStreams(forward().put("room", 999), stream("0", 1))), 426, "No such room (999)");
        assertError(ask(via, withStreams(drop(forward(), "secret"), stream("0", 1))), 429,
                "Missing mandatory element (secret)");
        assertError(ask(via, withStreams(forward().put("secret", "x"), stream("0", 1))), 433,
                "Unauthorized (wrong secret)");
        assertError(ask(via, withStreams(forward().put("publisher_id", 12345), stream("0", 1))), 428,
                "No such feed (12345)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void aPublisherWithNoMediaGetsNoForwarderAsFromJanus(String via) throws Exception {
        // Janus 1.1.2: streams of mids the publisher does not have are left out, and the legacy form says nothing.
        assertThat(ask(via, withStreams(forward(), stream("0", 5000))).toString()).isEqualTo("{\"publisher_id\":777,"
                + "\"forwarders\":[],\"room\":" + room + ",\"videoroom\":\"rtp_forward\"}");
        assertThat(ask(via, forward().put("video_port", 5000)).toString()).isEqualTo("{\"publisher_id\":777,"
                + "\"rtp_stream\":{\"warning\":\"deprecated_api\",\"host\":\"127.0.0.1\"},\"room\":" + room
                + ",\"videoroom\":\"rtp_forward\"}");
        assertThat(ask(via, request("listforwarders").put("room", room).put("secret", "sec")).toString())
                .isEqualTo("{\"videoroom\":\"forwarders\",\"room\":" + room + ",\"publishers\":[]}");
        assertError(ask(via, request("listforwarders").put("room", room)), 429, "Missing mandatory element (secret)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void stopIsRefusedAsJanusRefuses(String via) throws Exception {
        ObjectNode stop = request("stop_rtp_forward").put("room", room).put("publisher_id", publisher)
                .put("secret", "sec").put("admin_key", "ak").put("stream_id", 5);
        assertError(ask(via, drop(stop.deepCopy(), "admin_key")), 429, "Missing mandatory element (admin_key)");
        assertError(ask(via, drop(stop.deepCopy(), "admin_key").put("room", 999)), 429,
                "Missing mandatory element (admin_key)");
        assertError(ask(via, stop.deepCopy().put("admin_key", "x")), 433, "Unauthorized (wrong admin_key)");
        assertError(ask(via, stop.deepCopy().put("stream_id", "x")), 430,
                "Invalid element type (stream_id should be a positive integer)");
        assertError(ask(via, drop(stop.deepCopy(), "stream_id")), 429, "Missing mandatory element (stream_id)");
        assertError(ask(via, drop(stop.deepCopy(), "secret")), 429, "Missing mandatory element (secret)");
        assertError(ask(via, stop.deepCopy().put("publisher_id", 4444)), 428, "No such feed (4444)");
        assertError(ask(via, stop.deepCopy().put("stream_id", 999999)), 428, "No such stream (999999)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"janus", "admin"})
    void destinationsOutsideTheAllowListAreRefusedWithTheReason(String via) throws Exception {
        assertError(ask(via, withStreams(forward().put("host", "8.8.8.8"), stream("0", 5000))), 430,
                "Forwarding to 8.8.8.8 (8.8.8.8) is not allowed: outside rtp_forward_allow (127.0.0.0/8,::1/128)");
        // A private address is outside this server's list too, and a stream's own host is checked as well.
        assertError(ask(via, withStreams(forward(), stream("0", 5000).put("host", "192.168.1.20"))), 430,
                "Forwarding to 192.168.1.20 (192.168.1.20) is not allowed: outside rtp_forward_allow (127.0.0.0/8,::1/128)");
        assertError(ask(via, withStreams(forward().put("host", "::ffff:8.8.4.4").put("host_family", "ipv4"),
                stream("0", 5000))), 430, "Forwarding to ::ffff:8.8.4.4 (8.8.4.4) is not allowed: outside "
                + "rtp_forward_allow (127.0.0.0/8,::1/128)");
        // Janus takes 0 and wraps 70000; Portunus refuses both.
        assertError(ask(via, withStreams(forward(), stream("0", 0))), 430, "Invalid value (port should be 1-65535)");
        assertError(ask(via, withStreams(forward(), stream("0", 70000))), 430, "Invalid value (port should be 1-65535)");
        assertError(ask(via, withStreams(forward(), stream("0", 5000).put("pt", 300))), 430,
                "Invalid value (pt should be 0-127)");
        assertError(ask(via, withStreams(forward(), stream("1", 5000).put("simulcast", true))), 430,
                "simulcast: true (one switched stream) is not supported by Portunus: forward the layers with port, "
                        + "port_2 and port_3");
        // The server goes on serving: an allowed host is answered.
        assertThat(ask(via, withStreams(forward().put("host", "::1").put("host_family", "ipv6"), stream("0", 5000)))
                .path("videoroom").asText()).isEqualTo("rtp_forward");
    }
}
