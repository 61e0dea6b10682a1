package io.portunus.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VideoRoom subscriber's {@code configure} with {@code restart} and {@code update} (issue #13),
 * on {@link SimRoom}: the real plugin and PeerConnections connected to simulated browsers through
 * ICE and DTLS. {@code restart}: the {@code configured} event carries our new offer with new ICE
 * credentials; the browser answers with its new ones, a pair of the new generation is selected
 * and the publisher's packets go on reaching the subscriber over one DTLS session.
 * {@code update}: a new offer with ICE as it was. Either asked while an offer awaits its answer
 * gets no reply, and its offer comes in an {@code updated} event once that answer is in (as Janus
 * 1.1.2 does).
 */
class SubscriberIceRestartTest {
    private static final String UFRAG_2 = "brw2";
    private static final String PWD_2 = "browser-ice-password-0002";

    private SimRoom room;
    private SimRoom.SimHandle sub;
    private int seq = 100;

    @BeforeEach
    void setUp() throws Exception {
        room = new SimRoom(1, "AES128_CM_SHA1_80");
        sub = room.subscribers.get(0);
        assertThat(room.subscribersDecryptingOneMorePacket(seq++)).isEqualTo(1);
    }

    @AfterEach
    void tearDown() {
        room.close();
    }

    @Test
    void restartOffersNewIceCredentialsAndTheNewPairCarriesTheMedia() throws Exception {
        String firstOffer = offer();
        int pairs = sub.selectedRemotes.size();
        configure(Json.object().put("restart", true));
        assertThat(lastEvent()).isEqualTo(event("configured", "ok"));
        String restartOffer = offer();
        assertThat(attribute(restartOffer, "ice-ufrag")).isNotEqualTo(attribute(firstOffer, "ice-ufrag"));
        assertThat(attribute(restartOffer, "ice-pwd")).isNotEqualTo(attribute(firstOffer, "ice-pwd"));
        assertThat(attribute(restartOffer, "fingerprint")).isEqualTo(attribute(firstOffer, "fingerprint"));
        assertThat(PeerConnectionIceTest.ssrcLines(restartOffer)).isEqualTo(PeerConnectionIceTest.ssrcLines(firstOffer));
        assertThat(attribute(restartOffer, "ice-ufrag")).isEqualTo("a=ice-ufrag:" + sub.pc.localUfrag());
        // Until the answer, the old pair carries on.
        assertThat(room.subscribersDecryptingOneMorePacket(seq++)).isEqualTo(1);

        String answer = sub.browser.answerToRestart(restartOffer, UFRAG_2, PWD_2);
        start(answer);
        assertThat(lastEvent()).isEqualTo(event("started", "ok"));
        sub.pc.addRemoteCandidate(sub.browser.candidate(), sub.browser.candidate().toSdpValue()); // its trickle
        assertThat(room.sim.runUntil(room.sim.now + 5_000_000, () -> sub.selectedRemotes.size() > pairs))
                .as("a pair of the new generation is selected").isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(room.subscribersDecryptingOneMorePacket(seq++)).as("packet after the restart").isEqualTo(1);
        }
        assertThat(sub.browser.undecryptable).isZero();
        assertThat(sub.browser.dtlsFailure).isNull();
    }

    @Test
    void updateOffersAgainWithIceAsItWas() throws Exception {
        String firstOffer = offer();
        configure(Json.object().put("update", true));
        assertThat(lastEvent()).isEqualTo(event("configured", "ok"));
        String again = offer();
        assertThat(again).isNotEqualTo(firstOffer);
        assertThat(attribute(again, "ice-ufrag")).isEqualTo(attribute(firstOffer, "ice-ufrag"));
        assertThat(attribute(again, "ice-pwd")).isEqualTo(attribute(firstOffer, "ice-pwd"));
        assertThat(originVersion(again)).isEqualTo(originVersion(firstOffer) + 1);
        start(sub.browser.answerSdp(again, "brws", "browser-ice-password-0001"));
        assertThat(lastEvent()).isEqualTo(event("started", "ok"));
        assertThat(room.subscribersDecryptingOneMorePacket(seq++)).isEqualTo(1);

        // false for both, or neither: configured, no offer.
        int events = sub.events.size();
        configure(Json.object().put("restart", false).put("update", false));
        assertThat(sub.events).hasSize(events + 1);
        assertThat(lastEvent()).isEqualTo(event("configured", "ok"));
        assertThat(offer()).isEqualTo(again);
    }

    @Test
    void askedWhileAnOfferAwaitsItsAnswerTheOfferComesInUpdatedAfterIt() throws Exception {
        configure(Json.object().put("update", true));
        String pending = offer();
        int events = sub.events.size();
        configure(Json.object().put("restart", true));
        assertThat(sub.events).as("no reply while the offer awaits its answer").hasSize(events);
        assertThat(offer()).isEqualTo(pending);

        start(sub.browser.answerSdp(pending, "brws", "browser-ice-password-0001"));
        assertThat(sub.events).hasSize(events + 2);
        assertThat(sub.events.get(events)).isEqualTo(event("started", "ok"));
        JsonNode updated = lastEvent();
        assertThat(updated.path("videoroom").asText()).isEqualTo("updated");
        assertThat(updated.path("room").asLong()).isEqualTo(SimRoom.ROOM);
        assertThat(updated.path("streams")).hasSize(2);
        String restartOffer = offer();
        assertThat(attribute(restartOffer, "ice-ufrag")).as("the held restart").isNotEqualTo(attribute(pending, "ice-ufrag"));

        int pairs = sub.selectedRemotes.size();
        start(sub.browser.answerToRestart(restartOffer, UFRAG_2, PWD_2));
        assertThat(lastEvent()).isEqualTo(event("started", "ok"));
        sub.pc.addRemoteCandidate(sub.browser.candidate(), sub.browser.candidate().toSdpValue());
        assertThat(room.sim.runUntil(room.sim.now + 5_000_000, () -> sub.selectedRemotes.size() > pairs)).isTrue();
        assertThat(room.subscribersDecryptingOneMorePacket(seq++)).isEqualTo(1);
    }

    @Test
    void notBooleansGetJanusErrorsAndChangeNothing() throws Exception {
        String before = offer();
        configure(Json.object().put("restart", "x"));
        assertThat(lastEvent()).isEqualTo(error("Invalid element type (restart should be a boolean)"));
        configure(Json.object().put("update", 1));
        assertThat(lastEvent()).isEqualTo(error("Invalid element type (update should be a boolean)"));
        assertThat(offer()).isEqualTo(before);
        assertThat(room.subscribersDecryptingOneMorePacket(seq++)).isEqualTo(1);
    }

    private void configure(ObjectNode fields) {
        room.request(sub, Json.object().put("request", "configure").setAll(fields), null);
    }

    /** As the core does with a {@code start} carrying the answer: applied to the PeerConnection, then the plugin's turn. */
    private void start(String answer) throws Exception {
        sub.pc.remoteAnswer(Sdp.parse(answer));
        room.request(sub, Json.object().put("request", "start"), SimRoom.jsep("answer", answer));
    }

    private String offer() {
        assertThat(sub.jsep.path("type").asText()).isEqualTo("offer");
        return sub.jsep.path("sdp").asText();
    }

    private JsonNode lastEvent() {
        return sub.events.getLast();
    }

    private static ObjectNode event(String key, String value) {
        return Json.object().put("videoroom", "event").put("room", SimRoom.ROOM).put(key, value);
    }

    private static ObjectNode error(String text) {
        return Json.object().put("videoroom", "event").put("error_code", 430).put("error", text);
    }

    private static String attribute(String sdp, String name) {
        return sdp.lines().filter(l -> l.startsWith("a=" + name + ":")).findFirst().orElseThrow();
    }

    private static long originVersion(String sdp) {
        String o = sdp.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
        return Long.parseLong(o.split(" ")[2]);
    }
}
