package io.portunus.media.sctp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages on a {@code maxRetransmits: 0} channel (RFC 3758) are given up only when they would
 * need a retransmission: never for lack of window, never before they were sent.
 */
class PartialReliabilityTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The browser (a) opens an unordered channel that never retransmits; b is the server's side of it. */
    private static DataChannel lossyChannelAtB(SctpSim sim) {
        assertNotNull(sim.ca.open("lossy", "", DataChannel.PARTIAL_RELIABLE_REXMIT | DataChannel.UNORDERED_FLAG, 0, 0,
            sim.now));
        assertTrue(sim.runUntil(() -> !sim.rb.opened.isEmpty(), 5_000));
        sim.run(1_000); // the DCEP ACK is in: b sends unordered from now on
        return sim.rb.opened.get(0);
    }

    @Test
    void twoHundredShortMessagesAtOnceAllArriveThroughAReceiverThatBuffersSixtyFourPackets() {
        SctpSim sim = new SctpSim(50).connect();
        DataChannel lossy = lossyChannelAtB(sim);
        sim.delay = 1;
        sim.bufferAtA = 64;
        for (int i = 0; i < 200; i++) {
            assertTrue(sim.cb.send(lossy, text("Janus EchoTest here! You wrote: u " + i), false, sim.now));
        }
        sim.run(5_000);
        assertEquals(200, sim.ra.messages.size(),
            () -> "got " + sim.ra.messages.size() + ", dropped at a " + sim.droppedAtA + ", " + sim.b.stats());
        assertEquals(0, sim.droppedAtA, "the burst fitted the receiver's buffer");
        assertEquals(0, sim.b.stats().t3Expiries());
        assertEquals(0, sim.b.stats().abandonedMessages());
    }

    @Test
    void aMessageNeverSentIsNotGivenUpWhenTheSentOnesTimeOut() {
        SctpSim sim = new SctpSim(51).connect();
        lossyChannelAtB(sim);
        DataChannel atA = sim.ca.byLabel("lossy");
        assertNotNull(atA);
        // Every packet a sends is lost until its T3: what T3 lets go next (window and all) arrives.
        sim.toB = p -> sim.a.stats().t3Expiries() == 0 ? null : p;
        for (int i = 0; i < 200; i++) {
            sim.ca.send(atA, text("m" + i), false, sim.now);
        }
        assertTrue(sim.a.bufferedAmount() > 0, "the window held some back");
        assertTrue(sim.runUntil(() -> sim.a.stats().t3Expiries() == 1, 10_000));
        long givenUp = sim.a.stats().abandonedMessages();
        assertTrue(givenUp > 0 && givenUp < 200, "only the sent ones are given up: " + givenUp);
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 200 - givenUp && sim.a.bufferedAmount() == 0, 30_000),
            () -> "got " + sim.rb.messages.size() + " of " + (200 - givenUp) + " " + sim.a.stats());
        assertEquals(givenUp, sim.a.stats().abandonedMessages(), "nothing more given up once the link is back");
        assertEquals(1, sim.a.stats().t3Expiries());
    }

    @Test
    void aSentAndLostMessageIsGivenUpWithAForwardTsnAfterItsTimeout() {
        SctpSim sim = new SctpSim(52).connect();
        DataChannel lossy = lossyChannelAtB(sim);
        List<Long> forwardTsnAt = new ArrayList<>();
        boolean[] dropNextData = {true};
        // b -> a has no hook; use the a -> b side by sending from a instead, on a's own channel.
        DataChannel atA = sim.ca.byLabel("lossy");
        assertNotNull(atA);
        sim.toB = p -> {
            if (p.length > 16 && p[12] == SctpPacket.DATA && dropNextData[0]) {
                dropNextData[0] = false;
                return null;
            }
            for (int pos = 12; pos + 4 <= p.length; ) {
                if ((p[pos] & 0xFF) == SctpPacket.FORWARD_TSN) {
                    forwardTsnAt.add(sim.now);
                }
                int len = SctpPacket.u16(p, pos + 2);
                if (len < 4) {
                    break;
                }
                pos += SctpPacket.padded(len);
            }
            return p;
        };
        long sentAt = sim.now;
        sim.ca.send(atA, text("lost"), false, sim.now);
        sim.run(SendQueue.RTO_MIN - 50);
        assertEquals(0, sim.a.stats().abandonedMessages(), "not given up before its retransmission is due");
        assertTrue(forwardTsnAt.isEmpty());
        sim.run(SendQueue.RTO_MAX);
        assertEquals(1, sim.a.stats().abandonedMessages());
        assertEquals(0, sim.a.stats().retransmissions(), "never sent again");
        assertTrue(!forwardTsnAt.isEmpty() && forwardTsnAt.get(0) - sentAt >= SendQueue.RTO_MIN, "FORWARD-TSN at " + forwardTsnAt);
        sim.ca.send(atA, text("next"), false, sim.now);
        assertTrue(sim.runUntil(() -> sim.rb.messages.stream().anyMatch(m -> new String(m, StandardCharsets.UTF_8)
            .equals("next")), 5_000));
        assertTrue(sim.rb.messages.stream().noneMatch(m -> new String(m, StandardCharsets.UTF_8).equals("lost")));
        assertNotNull(lossy);
    }
}
