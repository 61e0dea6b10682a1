package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceRewriterTest {

    static byte[] rtp(long ssrc, int seq, long ts) {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[1] = 96;
        RtpHeader.ssrc(p, 0, ssrc);
        RtpHeader.sequence(p, 0, seq);
        RtpHeader.timestamp(p, 0, ts);
        return p;
    }

    @Test
    void firstSourcePassesUnchanged() {
        SequenceRewriter r = new SequenceRewriter(90_000);
        byte[] p = rtp(1, 100, 5000);
        r.rewrite(p, 0, 1_000_000);
        assertThat(RtpHeader.sequence(p, 0)).isEqualTo(100);
        assertThat(RtpHeader.timestamp(p, 0)).isEqualTo(5000);
    }

    @Test
    void switchingSourceContinuesSequenceAndTime() {
        SequenceRewriter r = new SequenceRewriter(90_000);
        byte[] a = rtp(1, 65534, 0xFFFFFF00L);
        r.rewrite(a, 0, 1_000_000);
        byte[] a2 = rtp(1, 65535, 0xFFFFFF00L + 3000);
        r.rewrite(a2, 0, 1_033_000);
        // Another layer, its own numbering: 33 ms later it goes on from 65535 and +2970 ticks.
        byte[] b = rtp(2, 7, 123);
        r.rewrite(b, 0, 1_066_000);
        assertThat(RtpHeader.sequence(b, 0)).isZero();
        assertThat(RtpHeader.timestamp(b, 0)).isEqualTo((0xFFFFFF00L + 3000 + 2970) & 0xFFFFFFFFL);
        byte[] b2 = rtp(2, 8, 123 + 3000);
        r.rewrite(b2, 0, 1_099_000);
        assertThat(RtpHeader.sequence(b2, 0)).isEqualTo(1);
        assertThat(RtpHeader.timestamp(b2, 0)).isEqualTo((0xFFFFFF00L + 3000 + 2970 + 3000) & 0xFFFFFFFFL);
    }

    @Test
    void skippedPacketsLeaveNoGap() {
        SequenceRewriter r = new SequenceRewriter(90_000);
        r.rewrite(rtp(1, 10, 0), 0, 1);
        r.skip(rtp(1, 11, 0), 0);
        r.skip(rtp(1, 12, 0), 0);
        byte[] p = rtp(1, 13, 3000);
        r.rewrite(p, 0, 2);
        assertThat(RtpHeader.sequence(p, 0)).isEqualTo(11);
        r.skip(rtp(1, 12, 0), 0); // old: not counted again
        byte[] q = rtp(1, 14, 3000);
        r.rewrite(q, 0, 3);
        assertThat(RtpHeader.sequence(q, 0)).isEqualTo(12);
    }

    @Test
    void resumingAfterAPauseLeavesNoGap() {
        SequenceRewriter r = new SequenceRewriter(90_000);
        r.rewrite(rtp(1, 100, 9000), 0, 1_000_000);
        // Paused for 2 s: the source went on to 300 meanwhile, nothing was forwarded.
        r.resume();
        byte[] p = rtp(1, 300, 9000 + 180_000);
        r.rewrite(p, 0, 3_000_000);
        assertThat(RtpHeader.sequence(p, 0)).isEqualTo(101);
        assertThat(RtpHeader.timestamp(p, 0)).isEqualTo(9000 + 180_000);
        byte[] q = rtp(1, 301, 9000 + 183_000);
        r.rewrite(q, 0, 3_033_000);
        assertThat(RtpHeader.sequence(q, 0)).isEqualTo(102);
        assertThat(RtpHeader.timestamp(q, 0)).isEqualTo(9000 + 183_000);
    }
}
