package io.portunus.webrtc;

import io.portunus.core.Json;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VideoRoom publisher renegotiating (a new offer in {@code configure}, as janus.js sends for an
 * ICE restart or a changed track) on {@link SimRoom}: it gets a new answer and its subscribers go
 * on receiving its packets.
 */
class PublisherRenegotiationTest {

    @Test
    void subscribersGoOnReceivingAfterThePublishersNewOffer() throws Exception {
        SimRoom room = new SimRoom(2, "AES128_CM_SHA1_80");
        try {
            int seq = 100;
            assertThat(room.subscribersDecryptingOneMorePacket(seq++)).isEqualTo(2);
            String offer = room.publisher.browser.offer().replace("o=- 4611731400430051336 2", "o=- 4611731400430051336 3");
            room.publisher.pc.remoteOffer(Sdp.parse(offer)); // the core's part, then the plugin's
            int events = room.publisher.events.size();
            room.request(room.publisher, Json.object().put("request", "configure"), SimRoom.jsep("offer", offer));
            assertThat(room.publisher.events).hasSize(events + 1);
            assertThat(room.publisher.events.getLast().path("configured").asText()).isEqualTo("ok");
            assertThat(room.publisher.jsep.path("type").asText()).isEqualTo("answer");
            for (int i = 0; i < 5; i++) {
                assertThat(room.subscribersDecryptingOneMorePacket(seq++)).as("packet after the renegotiation").isEqualTo(2);
            }
        } finally {
            room.close();
        }
    }
}
