package io.portunus.webrtc;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room the fan-out benchmark measures ({@link SimRoom}: the real VideoRoom plugin, one
 * publisher, subscribers made for the plugin's offers, all through ICE and DTLS): every
 * subscriber's browser decrypts each packet the publisher sends, under its own leg's SSRC and
 * with its own continuous sequence numbers.
 */
class VideoRoomFanOutTest {

    @Test
    void everySubscriberDecryptsEveryPublisherPacketUnderItsOwnSsrc() throws Exception {
        SimRoom room = new SimRoom(3, "AES128_CM_SHA1_80");
        try {
            for (int seq = 100; seq < 110; seq++) {
                assertThat(room.subscribersDecryptingOneMorePacket(seq)).as("packet " + seq).isEqualTo(3);
            }
            Set<Long> ssrcs = new HashSet<>();
            for (SimRoom.SimHandle s : room.subscribers) {
                BrowserPeer b = s.browser;
                ssrcs.add(b.serverVideoSsrc);
                assertThat(b.received).containsOnlyKeys(b.serverVideoSsrc);
                List<Integer> seqs = b.received.get(b.serverVideoSsrc);
                assertThat(seqs).hasSize(10);
                // The publisher's 1,200-byte packets carry 1,176 bytes of payload: the leg's copy
                // must not bring the room it keeps for a transport-wide number along as payload.
                assertThat(b.payloadLengths).as("payload lengths").containsOnly(1_176);
                for (int i = 1; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).isEqualTo((seqs.get(i - 1) + 1) & 0xFFFF);
                }
            }
            assertThat(ssrcs).hasSize(3).doesNotContain(BrowserPeer.VIDEO_SSRC);
        } finally {
            room.close();
        }
    }

    /**
     * Transport-wide congestion control per leg: the subscribers were offered transport-cc on
     * video, and each gets the server's own numbers for its PeerConnection (0, 1, 2, ... on every
     * one), not the publisher's, which its packets carry and which each leg's copy overwrites.
     */
    @Test
    void everySubscriberGetsItsOwnTransportWideSequenceNumbers() throws Exception {
        SimRoom room = new SimRoom(3, "AES128_CM_SHA1_80");
        try {
            room.twcc = 40_000; // the publisher's numbers from here on
            for (int seq = 200; seq < 220; seq++) {
                assertThat(room.subscribersDecryptingOneMorePacket(seq)).as("packet " + seq).isEqualTo(3);
            }
            for (SimRoom.SimHandle s : room.subscribers) {
                BrowserPeer b = s.browser;
                assertThat(b.transportCcId).as("transport-cc offered on the video leg").isPositive();
                List<Integer> numbers = b.transportSequences;
                assertThat(numbers).hasSize(20).allMatch(n -> n < 40_000);
                for (int i = 1; i < numbers.size(); i++) {
                    assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
                }
            }
        } finally {
            room.close();
        }
    }
}
