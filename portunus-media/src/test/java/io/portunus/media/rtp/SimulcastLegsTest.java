package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two receivers of one simulcast sender, as the VideoRoom serves two subscriber legs: each leg's
 * {@link SimulcastSelector} decides on the shared source packet (never changed), and the leg's
 * own copy is made continuous by its {@link ForwardRewriter}. Synthetic VP8 with three layers
 * and three temporal layers (TID 0, 2, 1, 2 ...), one packet per frame.
 */
class SimulcastLegsTest {
    private static final long[] SSRCS = {0x1111, 0x2222, 0x3333};
    private static final int[] TIDS = {0, 2, 1, 2};

    /** The sender: per layer its own SSRC, sequence numbers, timestamps, picture ids and TL0PICIDX. */
    private final int[] seq = {100, 30000, 65500};
    private final long[] ts = {10_000, 900_000, 4_000_000_000L};
    private final int[] pictureId = {7, 20000, 32760};
    private final int[] tl0 = {3, 100, 254};
    private final int[] frame = new int[3];
    /** Key frames come when asked (the first frames of each layer are not ones, as when a sender is already running). */
    private final boolean[] keyAsked = {false, false, false};

    /** One leg: its selector, its rewriter, what it sent and what it was told. */
    private static final class Leg {
        final SimulcastSelector selector = new SimulcastSelector("vp8");
        final ForwardRewriter rewriter = new ForwardRewriter(90_000);
        final List<byte[]> sent = new ArrayList<>();
        final List<Integer> layersSent = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<Integer> keyFramesAsked = new ArrayList<>();
    }

    private byte[] next(int layer) {
        int tid = TIDS[frame[layer] % TIDS.length];
        boolean key = keyAsked[layer] && tid == 0;
        if (key) {
            keyAsked[layer] = false;
        }
        if (tid == 0 && frame[layer] > 0) {
            tl0[layer] = (tl0[layer] + 1) & 0xFF;
        }
        frame[layer]++;
        byte[] p = new byte[12 + 6 + 2];
        p[0] = (byte) 0x80;
        p[1] = 96;
        RtpHeader.sequence(p, 0, seq[layer]);
        seq[layer] = (seq[layer] + 1) & 0xFFFF;
        ts[layer] = (ts[layer] + 3000) & 0xFFFFFFFFL;
        RtpHeader.timestamp(p, 0, ts[layer]);
        RtpHeader.ssrc(p, 0, SSRCS[layer]);
        p[12] = (byte) 0x90;                                        // X, S
        p[13] = (byte) 0xE0;                                        // I, L, T
        p[14] = (byte) (0x80 | (pictureId[layer] >>> 8));           // 15-bit picture id
        p[15] = (byte) pictureId[layer];
        pictureId[layer] = (pictureId[layer] + 1) & 0x7FFF;
        p[16] = (byte) tl0[layer];
        p[17] = (byte) (tid << 6);
        p[18] = (byte) (key ? 0x10 : 0x11);                         // VP8 header: P bit 0 = key frame
        p[19] = (byte) layer;                                       // marks the layer for the test
        return p;
    }

    /** One round: a frame of every layer, offered to every leg as the publisher's thread does. */
    private void round(long now, Leg... legs) {
        for (int layer = 0; layer < 3; layer++) {
            byte[] source = next(layer);
            byte[] before = source.clone();
            for (Leg leg : legs) {
                var d = leg.selector.packet(source, 0, source.length, layer, now);
                if (d.keyFrameLayer() >= 0) {
                    leg.keyFramesAsked.add(d.keyFrameLayer());
                    keyAsked[d.keyFrameLayer()] = true;
                }
                if (d.substreamNow() >= 0) {
                    leg.events.add("substream " + d.substreamNow());
                }
                if (d.temporalNow() >= 0) {
                    leg.events.add("temporal " + d.temporalNow());
                }
                if (d.forward()) {
                    byte[] copy = Arrays.copyOf(source, source.length); // the leg's own copy (the core makes it)
                    leg.rewriter.rewrite(copy, 0, copy.length, d.leftOut(), true, now);
                    leg.sent.add(copy);
                    leg.layersSent.add(layer);
                }
            }
            assertThat(source).as("the source packet is never modified").isEqualTo(before);
        }
    }

    private static Vp8Descriptor vp8(byte[] p) {
        return Vp8Descriptor.parse(p, 12, p.length - 12);
    }

    /** Sequence numbers +1 each, timestamps rising, picture ids +1 each (7 TID-2 frames left out aside). */
    private static void assertContinuous(Leg leg, boolean everyPicture) {
        for (int i = 1; i < leg.sent.size(); i++) {
            byte[] a = leg.sent.get(i - 1);
            byte[] b = leg.sent.get(i);
            assertThat(RtpHeader.sequence(b, 0)).as("sequence after packet %d", i - 1)
                    .isEqualTo((RtpHeader.sequence(a, 0) + 1) & 0xFFFF);
            long step = (RtpHeader.timestamp(b, 0) - RtpHeader.timestamp(a, 0)) & 0xFFFFFFFFL;
            assertThat(step).as("timestamp step after packet %d", i - 1).isBetween(1L, 90_000L);
            int pictureStep = (vp8(b).pictureId() - vp8(a).pictureId()) & 0x7FFF;
            if (everyPicture) {
                assertThat(pictureStep).as("picture id after packet %d", i - 1).isEqualTo(1);
            } else {
                assertThat(pictureStep).as("picture id after packet %d", i - 1).isBetween(1, 4);
            }
            int tl0Step = (vp8(b).tl0PicIdx() - vp8(a).tl0PicIdx()) & 0xFF;
            assertThat(tl0Step).as("TL0PICIDX after packet %d", i - 1).isBetween(0, 1);
        }
    }

    @Test
    void twoLegsOnDifferentSubstreamsGetTheirOwnLayerAndOneSwitchesOnTheNextKeyFrame() {
        Leg low = new Leg();
        Leg high = new Leg();
        low.selector.substreamTarget(0);
        long now = 1_000_000;
        for (int i = 0; i < 20; i++, now += 33_000) {
            round(now, low, high);
        }
        assertThat(low.layersSent).isNotEmpty().allMatch(l -> l == 0);
        assertThat(high.layersSent).isNotEmpty().allMatch(l -> l == 2);
        assertThat(vp8(low.sent.get(0)).keyFrame()).as("a leg starts on a key frame").isTrue();
        assertThat(vp8(high.sent.get(0)).keyFrame()).isTrue();
        assertThat(low.events).containsExactly("substream 0", "temporal 2");
        assertThat(high.events).containsExactly("substream 2", "temporal 2");
        assertContinuous(low, true);
        assertContinuous(high, true);

        // The high leg goes to substream 0: it asks layer 0 for a key frame, keeps layer 2 until
        // that key frame comes, then goes on from there without a gap; the low leg is untouched.
        high.selector.substreamTarget(0);
        int sentBefore = high.sent.size();
        for (int i = 0; i < 20; i++, now += 33_000) {
            round(now, low, high);
        }
        assertThat(high.keyFramesAsked).contains(0);
        List<Integer> after = high.layersSent.subList(sentBefore, high.layersSent.size());
        int firstLow = after.indexOf(0);
        assertThat(firstLow).as("the switch happened").isGreaterThanOrEqualTo(0);
        assertThat(after.subList(0, firstLow)).allMatch(l -> l == 2);
        assertThat(after.subList(firstLow, after.size())).allMatch(l -> l == 0);
        assertThat(vp8(high.sent.get(sentBefore + firstLow)).keyFrame()).isTrue();
        assertThat(high.events).containsExactly("substream 2", "temporal 2", "substream 0");
        assertContinuous(high, true);
        assertThat(low.layersSent).allMatch(l -> l == 0);
        assertContinuous(low, true);
    }

    @Test
    void temporalLayersAboveTheTargetAreLeftOutWithoutAGapInSequenceNumbers() {
        Leg leg = new Leg();
        leg.selector.substreamTarget(1);
        long now = 1_000_000;
        for (int i = 0; i < 8; i++, now += 33_000) {
            round(now, leg);
        }
        int before = leg.sent.size();
        leg.selector.temporalTarget(0);
        for (int i = 0; i < 16; i++, now += 33_000) {
            round(now, leg);
        }
        assertThat(leg.events).containsExactly("substream 1", "temporal 2", "temporal 0");
        List<byte[]> after = leg.sent.subList(before, leg.sent.size());
        assertThat(after).hasSizeBetween(4, 5).allMatch(p -> vp8(p).temporalId() == 0);
        // The receiver sees no hole to NACK where TID 1 and 2 frames were left out.
        assertContinuous(leg, false);

        // Back up to temporal 2: at the next frame of TID <= 2 that can be decoded (a key frame here,
        // as the synthetic stream has no layer-sync frames).
        leg.selector.temporalTarget(2);
        keyAsked[1] = true;
        for (int i = 0; i < 8; i++, now += 33_000) {
            round(now, leg);
        }
        assertThat(leg.events).last().isEqualTo("temporal 2");
        assertContinuous(leg, false);
    }

    @Test
    void aLegWhoseLayerStopsFallsBackToALowerOneAndReturns() {
        Leg leg = new Leg();
        long now = 1_000_000;
        for (int i = 0; i < 10; i++, now += 33_000) {
            round(now, leg);
        }
        assertThat(leg.selector.substream()).isEqualTo(2);
        // Layer 2 stops (the sender's bandwidth dropped): after the fallback time, layer 1.
        for (int i = 0; i < 20; i++, now += 33_000) {
            for (int layer = 0; layer < 2; layer++) {
                byte[] p = next(layer);
                var d = leg.selector.packet(p, 0, p.length, layer, now);
                if (d.keyFrameLayer() >= 0) {
                    keyAsked[d.keyFrameLayer()] = true;
                }
                if (d.forward()) {
                    byte[] copy = p.clone();
                    leg.rewriter.rewrite(copy, 0, copy.length, d.leftOut(), true, now);
                    leg.sent.add(copy);
                    leg.layersSent.add(layer);
                }
            }
        }
        assertThat(leg.selector.substream()).isEqualTo(1);
        assertThat(leg.selector.substreamTarget()).isEqualTo(2);
        assertContinuous(leg, true);
    }
}
