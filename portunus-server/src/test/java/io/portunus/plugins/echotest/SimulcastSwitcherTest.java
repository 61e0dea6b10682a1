package io.portunus.plugins.echotest;

import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.SimulcastSelector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class SimulcastSwitcherTest {
    private static final long[] SSRCS = {0x100, 0x200, 0x300};
    private final int[] seq = {1000, 20000, 40000};
    private final long[] ts = {1_000_000, 2_000_000, 3_000_000};

    /** A VP8 packet of a layer: its own SSRC and numbering; frame start, key frame and TID as asked. */
    private byte[] vp8(int layer, boolean start, boolean key, int tid, boolean sync) {
        byte[] p = new byte[12 + 4 + 8];
        p[0] = (byte) 0x80;
        p[1] = 96;
        RtpHeader.ssrc(p, 0, SSRCS[layer]);
        RtpHeader.sequence(p, 0, seq[layer]++ & 0xFFFF);
        if (start) {
            ts[layer] += 3000;
        }
        RtpHeader.timestamp(p, 0, ts[layer]);
        p[12] = (byte) (0x80 | (start ? 0x10 : 0));
        p[13] = (byte) 0x60; // L, T
        p[14] = 1;
        p[15] = (byte) ((tid << 6) | (sync ? 0x20 : 0));
        p[16] = (byte) (key ? 0x10 : 0x11);
        return p;
    }

    private SimulcastSelector.Decision feed(SimulcastSwitcher s, byte[] p, int layer, long now) {
        return s.packet(p, 0, p.length, layer, now);
    }

    @Test
    void startsOnTheHighestLayerAtItsKeyFrameAndAsksForIt() {
        SimulcastSwitcher s = new SimulcastSwitcher("vp8");
        long now = 1_000_000;
        // All three layers flowing, no key frame yet: nothing forwarded, a PLI for layer 2.
        var d0 = feed(s, vp8(0, true, false, 0, false), 0, now);
        var d1 = feed(s, vp8(1, true, false, 0, false), 1, now);
        var d2 = feed(s, vp8(2, true, false, 0, false), 2, now);
        assertThat(d0.forward() || d1.forward() || d2.forward()).isFalse();
        assertThat(d2.keyFrameLayer()).isEqualTo(2);
        // Layer 2's key frame: the switch happens there.
        var key = feed(s, vp8(2, true, true, 0, false), 2, now + 10_000);
        assertThat(key.forward()).isTrue();
        assertThat(key.substreamNow()).isEqualTo(2);
        assertThat(s.substream()).isEqualTo(2);
        assertThat(feed(s, vp8(0, true, true, 0, false), 0, now + 11_000).forward()).isFalse();
    }

    @Test
    void switchingDownWaitsForTheKeyFrameAndKeepsTheStreamContinuous() {
        SimulcastSwitcher s = new SimulcastSwitcher("vp8");
        long now = 1_000_000;
        feed(s, vp8(0, true, true, 0, false), 0, now);
        feed(s, vp8(1, true, true, 0, false), 1, now);
        byte[] last = vp8(2, true, true, 0, false);
        feed(s, last, 2, now);
        assertThat(s.substream()).isEqualTo(2);
        int lastSeq = RtpHeader.sequence(last, 0);
        long lastTs = RtpHeader.timestamp(last, 0);

        s.substreamTarget(0);
        var ask = feed(s, vp8(0, true, false, 0, false), 0, now + 33_000);
        assertThat(ask.forward()).isFalse();
        assertThat(ask.keyFrameLayer()).isEqualTo(0);
        byte[] stillHigh = vp8(2, true, false, 0, false);
        assertThat(feed(s, stillHigh, 2, now + 33_000).forward()).isTrue(); // until the switch
        lastSeq = RtpHeader.sequence(stillHigh, 0);
        lastTs = RtpHeader.timestamp(stillHigh, 0);

        byte[] key = vp8(0, true, true, 0, false);
        var switched = feed(s, key, 0, now + 66_000);
        assertThat(switched.forward()).isTrue();
        assertThat(switched.substreamNow()).isZero();
        assertThat(RtpHeader.sequence(key, 0)).isEqualTo((lastSeq + 1) & 0xFFFF);
        assertThat(RtpHeader.timestamp(key, 0)).isEqualTo(lastTs + 2970);
        assertThat(feed(s, vp8(2, true, true, 0, false), 2, now + 67_000).forward()).isFalse();
    }

    @Test
    void fallsBackWhenTheTargetLayerStops() {
        SimulcastSwitcher s = new SimulcastSwitcher("vp8");
        s.fallback(100_000);
        long now = 1_000_000;
        feed(s, vp8(1, true, true, 0, false), 1, now);
        feed(s, vp8(2, true, true, 0, false), 2, now);
        assertThat(s.substream()).isEqualTo(2);
        // Layer 2 goes quiet for longer than the fallback: layer 1 takes over at its key frame.
        var d = feed(s, vp8(1, true, false, 0, false), 1, now + 200_000);
        assertThat(d.keyFrameLayer()).isEqualTo(1);
        assertThat(feed(s, vp8(1, true, true, 0, false), 1, now + 230_000).substreamNow()).isEqualTo(1);
    }

    @Test
    void temporalTargetDropsHigherLayersWithoutGaps() {
        SimulcastSwitcher s = new SimulcastSwitcher("vp8");
        long now = 1_000_000;
        byte[] key = vp8(0, true, true, 0, false);
        feed(s, key, 0, now);
        s.substreamTarget(0);
        s.temporalTarget(0);
        int base = RtpHeader.sequence(key, 0);
        byte[] t1 = vp8(0, true, false, 1, true);
        var dropped = feed(s, t1, 0, now + 33_000);
        assertThat(dropped.forward()).isFalse();
        assertThat(dropped.temporalNow()).isZero();
        byte[] t0 = vp8(0, true, false, 0, false);
        assertThat(feed(s, t0, 0, now + 66_000).forward()).isTrue();
        assertThat(RtpHeader.sequence(t0, 0)).isEqualTo(base + 1);
        // Up again: at the next layer-sync frame of TID 1.
        s.temporalTarget(1);
        assertThat(feed(s, vp8(0, true, false, 1, false), 0, now + 99_000).forward()).isFalse();
        var up = feed(s, vp8(0, true, false, 1, true), 0, now + 132_000);
        assertThat(up.forward()).isTrue();
        assertThat(up.temporalNow()).isEqualTo(1);
    }

    /** A VP8 key frame start with a 15-bit picture id and a TL0PICIDX. */
    private byte[] vp8Picture(int layer, int pictureId, int tl0, boolean key) {
        byte[] p = new byte[12 + 6 + 4];
        p[0] = (byte) 0x80;
        p[1] = 96;
        RtpHeader.ssrc(p, 0, SSRCS[layer]);
        RtpHeader.sequence(p, 0, seq[layer]++ & 0xFFFF);
        RtpHeader.timestamp(p, 0, ts[layer] += 3000);
        p[12] = (byte) 0x90; // X, S
        p[13] = (byte) 0xE0; // I, L, T
        p[14] = (byte) (0x80 | (pictureId >>> 8));
        p[15] = (byte) pictureId;
        p[16] = (byte) tl0;
        p[17] = 0;
        p[18] = (byte) (key ? 0x10 : 0x11);
        return p;
    }

    private static int pictureId(byte[] p) {
        return ((p[14] & 0x7F) << 8) | (p[15] & 0xFF);
    }

    @Test
    void pictureIdsAndTl0GoOnAcrossASwitch() {
        SimulcastSwitcher s = new SimulcastSwitcher("vp8");
        long now = 1_000_000;
        feed(s, vp8Picture(1, 500, 20, true), 1, now);
        s.substreamTarget(1);
        byte[] a = vp8Picture(1, 32767, 255, false); // wraps next
        feed(s, a, 1, now + 1000);
        assertThat(pictureId(a)).isEqualTo(32767);
        s.substreamTarget(0);
        byte[] key = vp8Picture(0, 7000, 90, true);
        assertThat(feed(s, key, 0, now + 40_000).substreamNow()).isZero();
        assertThat(pictureId(key)).isZero();
        assertThat(key[16] & 0xFF).isZero();
        assertThat(key[14] & 0x80).isEqualTo(0x80); // still a 15-bit picture id
        byte[] next = vp8Picture(0, 7001, 91, false);
        feed(s, next, 0, now + 70_000);
        assertThat(pictureId(next)).isEqualTo(1);
        assertThat(next[16] & 0xFF).isEqualTo(1);
    }

    @Test
    void badLayersAndPayloadsAreDroppedQuietly() {
        SimulcastSwitcher s = new SimulcastSwitcher("vp8");
        byte[] p = vp8(0, true, true, 0, false);
        assertThat(s.packet(p, 0, p.length, 5, 1).forward()).isFalse();
        assertThat(s.packet(p, 0, p.length, -1, 1).forward()).isFalse();
        byte[] empty = Arrays.copyOf(p, 12);
        assertThat(s.packet(empty, 0, empty.length, 0, 1).forward()).isFalse();
    }
}
