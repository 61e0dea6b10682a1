package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.schema.Schemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offers on a handle that already has a PeerConnection, over the Janus API with the EchoTest:
 * a renegotiation and an ICE restart are answered (not 469), with the right ICE credentials;
 * what stays an error gets Janus's code and text. No peer connects: this is the signalling.
 */
class RenegotiationTest {
    static final String SECRET = "reneg-secret";
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();
    static String chromiumOffer;

    @BeforeAll
    static void start() throws Exception {
        // TestServer writes a general section only: close it and add nat (media on loopback).
        server = new TestServer("admin_secret = \"" + SECRET + "\"\n}\nnat: {\nice_enforce_list = \"127.0.0.1\"");
        try (InputStream in = RenegotiationTest.class.getResourceAsStream("/sdp/chromium-offer.sdp")) {
            chromiumOffer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String offer(String ufrag, String pwd) {
        return chromiumOffer.replace("a=ice-ufrag:/uNR", "a=ice-ufrag:" + ufrag)
                .replace("a=ice-pwd:ij9Cl5srgALGdXXthmIjxcYj", "a=ice-pwd:" + pwd);
    }

    static JsonNode message(String base, String type, String sdp) throws Exception {
        ObjectNode body = Json.object();
        body.put("janus", "message");
        body.putObject("body").put("audio", true).put("video", true);
        body.putObject("jsep").put("type", type).put("sdp", sdp);
        return http.request(base, body);
    }

    /** Long-polls the session until an event with a JSEP arrives; returns its SDP. */
    static String nextAnswer(long session) throws Exception {
        for (int i = 0; i < 10; i++) {
            JsonNode e = http.get(server.janus() + "/" + session + "?maxev=1").json();
            if (e.has("jsep")) {
                assertThat(e.path("jsep").path("type").asText()).isEqualTo("answer");
                return e.path("jsep").path("sdp").asText();
            }
        }
        throw new AssertionError("no answer");
    }

    static String value(String sdp, String attribute) {
        return sdp.lines().filter(l -> l.startsWith("a=" + attribute + ":")).findFirst().orElseThrow()
                .substring(attribute.length() + 3);
    }

    static JsonNode handleInfo(long session, long handle) throws Exception {
        ObjectNode r = Json.object();
        r.put("janus", "handle_info");
        r.put("admin_secret", SECRET);
        r.put("session_id", session);
        r.put("handle_id", handle);
        JsonNode reply = http.request(server.admin(), r);
        Schemas.assertValidAdminReply("handle_info", reply);
        return reply.path("info");
    }

    @Test
    void renegotiationAndIceRestartAreAnsweredOnTheSamePeerConnection() throws Exception {
        long session = http.createSession(server.janus());
        long handle = http.attach(server.janus(), session, "janus.plugin.echotest");
        String base = server.janus() + "/" + session + "/" + handle;

        JsonNode noOffer = message(base, "answer", offer("peerA", "peer-password-generation-1"));
        assertThat(noOffer.path("error").path("code").asInt()).as(noOffer.toString()).isEqualTo(469);
        assertThat(noOffer.path("error").path("reason").asText()).isEqualTo("Unexpected ANSWER (did we offer?)");

        assertThat(message(base, "offer", offer("peerA", "peer-password-generation-1")).path("janus").asText()).isEqualTo("ack");
        String first = nextAnswer(session);

        // Same credentials (e.g. a direction change): answered with the same ICE, DTLS and SSRCs.
        assertThat(message(base, "offer", offer("peerA", "peer-password-generation-1")).path("janus").asText()).isEqualTo("ack");
        String renegotiated = nextAnswer(session);
        assertThat(value(renegotiated, "ice-ufrag")).isEqualTo(value(first, "ice-ufrag"));
        assertThat(value(renegotiated, "ice-pwd")).isEqualTo(value(first, "ice-pwd"));
        assertThat(value(renegotiated, "fingerprint")).isEqualTo(value(first, "fingerprint"));
        assertThat(value(renegotiated, "ssrc")).isEqualTo(value(first, "ssrc"));
        assertThat(handleInfo(session, handle).path("flags").path("ice-restart").asBoolean()).isFalse();

        // New credentials: an ICE restart, our credentials change too, DTLS stays.
        assertThat(message(base, "offer", offer("peerB", "peer-password-generation-2")).path("janus").asText()).isEqualTo("ack");
        String restarted = nextAnswer(session);
        assertThat(value(restarted, "ice-ufrag")).isNotEqualTo(value(first, "ice-ufrag"));
        assertThat(value(restarted, "ice-pwd")).isNotEqualTo(value(first, "ice-pwd"));
        assertThat(value(restarted, "fingerprint")).isEqualTo(value(first, "fingerprint"));
        assertThat(value(restarted, "setup")).isEqualTo(value(first, "setup"));
        JsonNode info = handleInfo(session, handle);
        assertThat(info.path("flags").path("ice-restart").asBoolean()).as("no peer, so the restart is still running").isTrue();
        assertThat(info.path("sdps").path("local").asText()).contains("a=ice-ufrag:" + value(restarted, "ice-ufrag"));
        assertThat(info.path("sdps").path("remote").asText()).contains("a=ice-ufrag:peerB");

        // Still errors: an answer (we never offer) and an offer Portunus cannot use.
        JsonNode answer = message(base, "answer", offer("peerB", "peer-password-generation-2"));
        assertThat(answer.path("error").path("code").asInt()).isEqualTo(469);
        assertThat(answer.path("error").path("reason").asText()).isEqualTo("Unexpected ANSWER (did we offer?)");
        JsonNode noCredentials = message(base, "offer", offer("peerB", "peer-password-generation-2")
                .replaceAll("a=ice-(ufrag|pwd):[^\\r\\n]*\\r?\\n", ""));
        assertThat(noCredentials.path("error").path("code").asInt()).as(noCredentials.toString()).isEqualTo(469);
        assertThat(noCredentials.path("error").path("reason").asText()).isEqualTo("Error processing SDP");
        assertThat(handleInfo(session, handle).path("flags").path("processing-offer").asBoolean())
                .as("cleared after a refused offer too").isFalse();
    }
}
