package io.portunus.media.sctp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SctpAssociationTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static DataChannel openOnA(SctpSim sim, String label, int type, long reliability) {
        DataChannel c = sim.ca.open(label, "", type, reliability, 0, sim.now);
        assertNotNull(c);
        assertTrue(sim.runUntil(() -> sim.rb.opened.stream().anyMatch(o -> o.label().equals(label)), 5_000));
        return c;
    }

    @Test
    void handshakeOpensAChannelBothWays() {
        SctpSim sim = new SctpSim(1).connect();
        assertTrue(sim.ra.connected && sim.rb.connected);
        DataChannel c = openOnA(sim, "chat", DataChannel.RELIABLE, 0);
        assertEquals(0, c.stream(), "the DTLS client opens even streams");
        DataChannel atB = sim.rb.opened.get(0);
        assertEquals("chat", atB.label());
        assertTrue(sim.cb.send(atB, text("hello"), false, sim.now));
        assertTrue(sim.ca.send(c, new byte[] {1, 2, 3}, true, sim.now));
        sim.run(200);
        assertEquals("hello", new String(sim.ra.messages.get(0), StandardCharsets.UTF_8));
        assertFalse(sim.ra.binary.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, sim.rb.messages.get(0));
        assertTrue(sim.rb.binary.get(0));
    }

    @Test
    void emptyMessagesKeepTheirKind() {
        SctpSim sim = new SctpSim(2).connect();
        DataChannel c = openOnA(sim, "e", DataChannel.RELIABLE, 0);
        sim.ca.send(c, new byte[0], false, sim.now);
        sim.ca.send(c, new byte[0], true, sim.now);
        sim.run(300);
        assertEquals(2, sim.rb.messages.size());
        assertEquals(0, sim.rb.messages.get(0).length);
        assertFalse(sim.rb.binary.get(0));
        assertTrue(sim.rb.binary.get(1));
    }

    @Test
    void aThousandOrderedMessagesArriveInOrderUnderLossReorderingAndDuplicates() {
        SctpSim sim = new SctpSim(3).connect();
        DataChannel c = openOnA(sim, "ordered", DataChannel.RELIABLE, 0);
        sim.loss = 0.05;
        sim.jitter = 30;
        sim.duplicate = 0.02;
        for (int i = 0; i < 1000; i++) {
            assertTrue(sim.ca.send(c, text("message " + i), false, sim.now));
        }
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 1000, 120_000));
        for (int i = 0; i < 1000; i++) {
            assertEquals("message " + i, new String(sim.rb.messages.get(i), StandardCharsets.UTF_8));
        }
        assertTrue(sim.a.stats().retransmissions() > 0, "loss made some retransmissions");
        assertTrue(sim.runUntil(() -> sim.a.bufferedAmount() == 0, 30_000));
    }

    @Test
    void largeMessagesAreFragmentedAndReassembledUnderLoss() {
        SctpSim sim = new SctpSim(4).connect();
        DataChannel c = openOnA(sim, "files", DataChannel.RELIABLE, 0);
        sim.loss = 0.05;
        sim.jitter = 20;
        byte[] big = new byte[65_536];
        byte[] bigger = new byte[262_144];
        new Random(9).nextBytes(big);
        new Random(10).nextBytes(bigger);
        sim.ca.send(c, big, true, sim.now);
        sim.ca.send(c, bigger, true, sim.now);
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 2, 120_000));
        assertArrayEquals(big, sim.rb.messages.get(0));
        assertArrayEquals(bigger, sim.rb.messages.get(1));
    }

    @Test
    void unorderedReliableMessagesAllArrive() {
        SctpSim sim = new SctpSim(5).connect();
        DataChannel c = openOnA(sim, "u", DataChannel.RELIABLE | DataChannel.UNORDERED_FLAG, 0);
        sim.loss = 0.1;
        sim.jitter = 40;
        for (int i = 0; i < 300; i++) {
            sim.ca.send(c, text(Integer.toString(i)), false, sim.now);
        }
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 300, 120_000));
        List<String> got = sim.rb.messages.stream().map(m -> new String(m, StandardCharsets.UTF_8)).sorted().toList();
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            want.add(Integer.toString(i));
        }
        assertEquals(want.stream().sorted().toList(), got);
    }

    @Test
    void partiallyReliableMessagesAreGivenUpWithoutStallingOthers() {
        SctpSim sim = new SctpSim(6).connect();
        DataChannel lossy = openOnA(sim, "lossy", DataChannel.PARTIAL_RELIABLE_REXMIT | DataChannel.UNORDERED_FLAG, 0);
        DataChannel reliable = openOnA(sim, "reliable", DataChannel.RELIABLE, 0);
        sim.loss = 0.2;
        sim.jitter = 10;
        for (int i = 0; i < 500; i++) {
            sim.ca.send(lossy, text("l" + i), false, sim.now);
            sim.ca.send(reliable, text("r" + i), false, sim.now);
        }
        assertTrue(sim.runUntil(() -> sim.a.bufferedAmount() == 0 && sim.rb.labels.stream()
            .filter("reliable"::equals).count() == 500, 180_000), () -> sim.a.stats() + " " + sim.b.stats() + " got "
            + sim.rb.labels.stream().filter("reliable"::equals).count() + " buffered " + sim.a.bufferedAmount());
        long lossyGot = sim.rb.labels.stream().filter("lossy"::equals).count();
        assertTrue(lossyGot < 500 && lossyGot > 200, "some lossy messages were given up: " + lossyGot);
        assertTrue(sim.a.stats().abandonedMessages() > 0);
        List<String> rel = new ArrayList<>();
        for (int i = 0; i < sim.rb.messages.size(); i++) {
            if (sim.rb.labels.get(i).equals("reliable")) {
                rel.add(new String(sim.rb.messages.get(i), StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < 500; i++) {
            assertEquals("r" + i, rel.get(i));
        }
    }

    @Test
    void orderedTimedChannelSkipsExpiredMessagesAndGoesOn() {
        SctpSim sim = new SctpSim(7).connect();
        DataChannel timed = openOnA(sim, "timed", DataChannel.PARTIAL_RELIABLE_TIMED, 50);
        sim.loss = 0.3;
        for (int i = 0; i < 200; i++) {
            sim.ca.send(timed, text("t" + i), false, sim.now);
            sim.run(5);
        }
        sim.loss = 0;
        sim.ca.send(timed, text("last"), false, sim.now);
        assertTrue(sim.runUntil(() -> !sim.rb.messages.isEmpty()
            && "last".equals(new String(sim.rb.messages.getLast(), StandardCharsets.UTF_8)), 60_000));
        int previous = -1;
        for (byte[] m : sim.rb.messages.subList(0, sim.rb.messages.size() - 1)) {
            int n = Integer.parseInt(new String(m, StandardCharsets.UTF_8).substring(1));
            assertTrue(n > previous, "still in order");
            previous = n;
        }
        assertTrue(sim.rb.messages.size() < 201);
    }

    @Test
    void closingAChannelResetsBothSidesAndTheStreamCanBeUsedAgain() {
        SctpSim sim = new SctpSim(8).connect();
        DataChannel c = openOnA(sim, "first", DataChannel.RELIABLE, 0);
        sim.ca.send(c, text("one"), false, sim.now);
        sim.ca.close(c, sim.now);
        assertTrue(sim.runUntil(() -> sim.ra.closed.size() == 1 && sim.rb.closed.size() == 1, 5_000));
        assertEquals(1, sim.rb.messages.size(), "the message sent before the close arrived");
        DataChannel again = sim.ca.open("second", "", DataChannel.RELIABLE, 0, 0, sim.now);
        sim.ca.send(again, text("two"), false, sim.now);
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 2, 5_000));
        assertEquals("second", sim.rb.labels.get(1));
    }

    @Test
    void thePeerClosingAChannelClosesItHere() {
        SctpSim sim = new SctpSim(9).connect();
        openOnA(sim, "x", DataChannel.RELIABLE, 0);
        DataChannel atB = sim.rb.opened.get(0);
        sim.cb.close(atB, sim.now);
        assertTrue(sim.runUntil(() -> sim.ra.closed.size() == 1 && sim.rb.closed.size() == 1, 5_000));
        assertTrue(sim.ca.channels().isEmpty());
    }

    @Test
    void bothSidesStartingAtOnceStillConnect() {
        SctpSim sim = new SctpSim(10);
        sim.a.connect(sim.now);
        sim.b.connect(sim.now);
        sim.run(2_000);
        assertTrue(sim.a.established() && sim.b.established());
        DataChannel c = openOnA(sim, "both", DataChannel.RELIABLE, 0);
        sim.ca.send(c, text("hi"), false, sim.now);
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 1, 2_000));
    }

    @Test
    void theHandshakeSurvivesLoss() {
        SctpSim sim = new SctpSim(11);
        sim.loss = 0.4;
        sim.a.connect(sim.now);
        assertTrue(sim.runUntil(() -> sim.a.established() && sim.b.established(), 60_000));
    }

    @Test
    void aLinkThatGoesSilentForSecondsRecovers() {
        SctpSim sim = new SctpSim(12).connect();
        DataChannel c = openOnA(sim, "x", DataChannel.RELIABLE, 0);
        sim.loss = 1;
        for (int i = 0; i < 50; i++) {
            sim.ca.send(c, text("m" + i), false, sim.now);
        }
        sim.run(5_000);
        assertTrue(sim.a.stats().t3Expiries() > 0);
        sim.loss = 0;
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 50, 30_000));
        assertTrue(sim.a.established());
    }

    @Test
    void aForgedCookieIsRefused() {
        SctpSim sim = new SctpSim(13);
        sim.toB = p -> {
            if (p[12] == SctpPacket.COOKIE_ECHO) {
                p = p.clone();
                p[20] ^= 1;
                SctpPacket.writeChecksum(p, 0, p.length);
            }
            return p;
        };
        sim.a.connect(sim.now);
        sim.run(3_000);
        assertFalse(sim.b.established());
        assertTrue(sim.b.stats().badPackets() > 0);
    }

    @Test
    void badChecksumsAndWrongTagsAreDropped() {
        SctpSim sim = new SctpSim(14).connect();
        DataChannel c = openOnA(sim, "x", DataChannel.RELIABLE, 0);
        long bad = sim.b.stats().badPackets();
        sim.toB = p -> {
            byte[] q = p.clone();
            q[q.length - 1] ^= 0x55; // checksum no longer matches
            return q;
        };
        sim.ca.send(c, text("dropped first"), false, sim.now);
        sim.run(100);
        assertTrue(sim.rb.messages.isEmpty());
        assertTrue(sim.b.stats().badPackets() > bad);
        sim.toB = p -> p;
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 1, 10_000), "retransmitted after the drop");
    }

    @Test
    void heartbeatsAreAnswered() {
        SctpSim sim = new SctpSim(15).connect();
        PacketWriter w = new PacketWriter(200, 5000, 5000, sim.b.localTag());
        w.begin(SctpPacket.HEARTBEAT, 0).u16(1).u16(8).u32(0xCAFEBABEL).end();
        byte[] hb = w.finish();
        sim.b.receive(hb, 0, hb.length, sim.now);
        byte[] ack = sim.b.pollTransmit();
        assertNotNull(ack);
        assertEquals(SctpPacket.HEARTBEAT_ACK, ack[12] & 0xFF);
        assertEquals(0xCAFEBABEL, SctpPacket.u32(ack, 20));
    }

    @Test
    void abortEndsTheAssociation() {
        SctpSim sim = new SctpSim(16).connect();
        openOnA(sim, "x", DataChannel.RELIABLE, 0);
        sim.a.abort(sim.now);
        sim.run(100);
        assertEquals("abort", sim.rb.associationClosed);
        assertEquals(1, sim.rb.closed.size());
        assertFalse(sim.b.established());
    }

    @Test
    void manyChannelsAtOnce() {
        SctpSim sim = new SctpSim(17).connect();
        List<DataChannel> chans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            chans.add(sim.ca.open("c" + i, "", DataChannel.RELIABLE, 0, 0, sim.now));
        }
        sim.loss = 0.05;
        for (int round = 0; round < 20; round++) {
            for (DataChannel c : chans) {
                sim.ca.send(c, text(c.label() + ":" + round), false, sim.now);
            }
        }
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 1000, 120_000));
        for (DataChannel c : chans) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < sim.rb.messages.size(); i++) {
                if (sim.rb.labels.get(i).equals(c.label())) {
                    mine.add(new String(sim.rb.messages.get(i), StandardCharsets.UTF_8));
                }
            }
            for (int round = 0; round < 20; round++) {
                assertEquals(c.label() + ":" + round, mine.get(round));
            }
        }
    }

    @Test
    void aChunkAGapBlockAckedAndTheNextSackLeftOutIsSentAgain() {
        SctpSim sim = new SctpSim(30).connect();
        DataChannel c = openOnA(sim, "x", DataChannel.RELIABLE, 0);
        sim.run(1_000);
        long[] lost = {-1};
        sim.toB = p -> {
            if (lost[0] < 0 && p.length > 16 && p[12] == SctpPacket.DATA) {
                lost[0] = SctpPacket.u32(p, 16);
                return null;
            }
            return p;
        };
        sim.ca.send(c, text("first"), false, sim.now);
        sim.run(1);
        assertTrue(lost[0] >= 0, "the first message's DATA was dropped");
        // A SACK that gap-acks the chunk b never got (a wrong one: b's next SACK leaves it out).
        PacketWriter w = new PacketWriter(1100, 5000, 5000, sim.a.localTag());
        w.begin(SctpPacket.SACK, 0).u32((lost[0] - 1) & 0xFFFFFFFFL).u32(1 << 20).u16(1).u16(0).u16(1).u16(1).end();
        byte[] sack = w.finish();
        sim.ca.receive(sack, 0, sack.length, sim.now);
        sim.ca.send(c, text("second"), false, sim.now);
        assertTrue(sim.runUntil(() -> sim.rb.messages.size() == 2, 30_000), "both messages arrive");
        assertEquals("first", new String(sim.rb.messages.get(0), StandardCharsets.UTF_8));
        assertEquals("second", new String(sim.rb.messages.get(1), StandardCharsets.UTF_8));
    }

    @Test
    void fuzzedPacketsLeaveTheAssociationWorking() {
        SctpSim sim = new SctpSim(18).connect();
        DataChannel c = openOnA(sim, "x", DataChannel.RELIABLE, 0);
        Random r = new Random(99);
        List<byte[]> seen = new ArrayList<>();
        sim.toB = p -> {
            seen.add(p);
            return p;
        };
        for (int i = 0; i < 20; i++) {
            sim.ca.send(c, text("seed " + i), false, sim.now);
        }
        sim.run(500);
        int before = sim.rb.messages.size();
        for (int i = 0; i < 20_000; i++) {
            byte[] base = seen.get(r.nextInt(seen.size()));
            byte[] p = mutate(base, r);
            if (r.nextBoolean()) {
                SctpPacket.writeChecksum(p, 0, p.length); // most get past the checksum, to reach the parsers
            }
            if (endsTheAssociation(p)) {
                continue; // a well-formed ABORT or SHUTDOWN with the right tag is the peer's word, not garbage
            }
            sim.b.receive(p, 0, p.length, sim.now);
            for (SctpEvent e; (e = sim.b.pollEvent()) != null; ) {
                if (e instanceof SctpEvent.Closed closed) {
                    throw new AssertionError("closed by " + closed.reason() + " after packet " + i + ": "
                        + java.util.HexFormat.of().formatHex(p));
                }
            }
            while (sim.b.pollTransmit() != null) {
                // answers to garbage go nowhere
            }
            if (i % 1000 == 0) {
                sim.run(50);
            }
        }
        assertTrue(sim.b.established(), "still established");
        assertTrue(sim.b.stats().badPackets() > 5_000, "most were refused: " + sim.b.stats());
        sim.toB = p -> p;
        sim.run(2_000);
        // The peer's own garbage with a right checksum is its word: a DATA chunk with a made-up
        // TSN is taken as data (as by any SCTP stack), so the fuzzed direction may lose messages.
        // The association, its channels and the other direction go on.
        DataChannel atB = sim.cb.byLabel("x");
        assertNotNull(atB, "the channel is still open");
        assertTrue(sim.cb.send(atB, text("after the fuzz"), false, sim.now));
        DataChannel fresh = sim.cb.open("fresh", "", DataChannel.RELIABLE, 0, 0, sim.now);
        assertNotNull(fresh);
        assertTrue(sim.cb.send(fresh, text("new channel"), false, sim.now));
        assertTrue(sim.runUntil(() -> sim.ra.labels.contains("fresh"), 30_000));
        assertTrue(sim.ra.labels.contains("x"));
        assertTrue(sim.rb.messages.size() >= before);
        assertNull(sim.rb.associationClosed);
        assertNull(sim.ra.associationClosed);
    }

    /** Whether a packet carries a chunk that ends an association when it comes from the peer. */
    static boolean endsTheAssociation(byte[] p) {
        int pos = 12;
        while (pos + 4 <= p.length) {
            int type = p[pos] & 0xFF;
            int len = SctpPacket.u16(p, pos + 2);
            if (type == SctpPacket.ABORT || type == SctpPacket.SHUTDOWN || type == SctpPacket.SHUTDOWN_ACK
                || type == SctpPacket.SHUTDOWN_COMPLETE) {
                return true;
            }
            if (len < 4) {
                return false;
            }
            pos += SctpPacket.padded(len);
        }
        return false;
    }

    private static byte[] mutate(byte[] base, Random r) {
        byte[] p = base.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    int at = 12 + r.nextInt(Math.max(1, p.length - 12));
                    p[Math.min(at, p.length - 1)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> p = Arrays.copyOf(p, 12 + r.nextInt(Math.max(1, p.length - 11)));
            case 2 -> {
                int at = 12 + r.nextInt(Math.max(1, p.length - 12));
                p[Math.min(at, p.length - 1)] = (byte) r.nextInt(256);
            }
            case 3 -> {
                // chunk length fields set to random values
                if (p.length > 16) {
                    SctpPacket.put16(p, 14, r.nextInt(65536));
                }
            }
            default -> {
                byte[] tail = new byte[r.nextInt(64)];
                r.nextBytes(tail);
                byte[] q = Arrays.copyOf(p, p.length + tail.length);
                System.arraycopy(tail, 0, q, p.length, tail.length);
                p = q;
            }
        }
        if (p.length < 12) {
            p = Arrays.copyOf(p, 12);
        }
        return p;
    }
}
