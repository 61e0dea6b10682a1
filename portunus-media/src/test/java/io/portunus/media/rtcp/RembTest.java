package io.portunus.media.rtcp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RembTest {

    private static Rtcp.Block only(byte[] p) {
        var blocks = Rtcp.blocks(p, 0, p.length);
        assertThat(blocks).hasSize(1);
        return blocks.get(0);
    }

    @Test
    void roundTripKeepsBitrateAndSsrcs() {
        byte[] p = Remb.build(0x11223344L, 128_000, List.of(0xAABBCCDDL, 5L));
        Rtcp.Block b = only(p);
        assertThat(b.type()).isEqualTo(Rtcp.PSFB);
        assertThat(b.format()).isEqualTo(Rtcp.FMT_AFB);
        assertThat(Remb.isRemb(p, b)).isTrue();
        assertThat(Remb.bitrate(p, b)).isEqualTo(128_000);
        assertThat(Remb.ssrcs(p, b)).containsExactly(0xAABBCCDDL, 5L);
        assertThat(Rtcp.senderSsrc(p, b)).isEqualTo(0x11223344L);
        assertThat(Rtcp.mediaSsrc(p, b)).isZero(); // the draft: media source 0
        assertThat(new String(p, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("REMB");
    }

    @Test
    void mantissaAndExponentEdges() {
        // Exact up to 18 bits; above that the low bits are dropped, never rounded up past the cap.
        for (long bps : new long[] {0, 1, 262_143, 262_144, 262_145, 1_000_000, 2_500_001, 10_000_000,
                (1L << 40) + 12345, Long.MAX_VALUE}) {
            byte[] p = Remb.build(1, bps, List.of(2L));
            long read = Remb.bitrate(p, only(p));
            assertThat(read).isLessThanOrEqualTo(bps);
            assertThat(read).isGreaterThanOrEqualTo(bps - (bps >>> 17)); // 18-bit precision
            if (bps < (1 << 18)) {
                assertThat(read).isEqualTo(bps);
            }
        }
        byte[] p = Remb.build(1, 262_144, List.of());
        assertThat(p[17] >>> 2).isEqualTo(1); // exponent 1, mantissa 131072
        assertThat(Remb.ssrcs(p, only(p))).isEmpty();
    }

    @Test
    void hugeExponentSaturates() {
        byte[] p = Remb.build(1, 1, List.of(2L));
        p[17] = (byte) (63 << 2 | 0x03);
        p[18] = (byte) 0xFF;
        p[19] = (byte) 0xFF;
        assertThat(Remb.bitrate(p, only(p))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void capLowersOnlyWhenAbove() {
        byte[] p = Remb.build(1, 2_000_000, List.of(2L));
        assertThat(Remb.cap(p, only(p), 128_000)).isEqualTo(128_000);
        assertThat(Remb.bitrate(p, only(p))).isEqualTo(128_000);
        assertThat(Remb.cap(p, only(p), 500_000)).isEqualTo(128_000);
        assertThat(Remb.ssrcs(p, only(p))).containsExactly(2L);
    }

    @Test
    void coreRewriteFillsTheSsrcListAndKeepsMediaSourceZero() {
        byte[] p = Remb.build(0, 300_000, List.of(0L));
        Rtcp.rewriteFeedback(p, only(p), 0x1111L, 0x2222L);
        assertThat(Rtcp.senderSsrc(p, only(p))).isEqualTo(0x1111L);
        assertThat(Rtcp.mediaSsrc(p, only(p))).isZero();
        assertThat(Remb.ssrcs(p, only(p))).containsExactly(0x2222L);
        assertThat(Remb.bitrate(p, only(p))).isEqualTo(300_000);
    }

    @Test
    void otherFeedbackIsNotRemb() {
        byte[] pli = Rtcp.pli(1, 2);
        assertThat(Remb.isRemb(pli, only(pli))).isFalse();
        assertThat(Remb.bitrate(pli, only(pli))).isEqualTo(-1);
        byte[] afb = Remb.build(1, 1000, List.of(3L));
        afb[13] = 'X'; // another application's AFB
        assertThat(Remb.bitrate(afb, only(afb))).isEqualTo(-1);
        assertThat(Remb.ssrcs(afb, only(afb))).isEmpty();
    }

    @Test
    void malformedInputNeverThrows() {
        Random r = new Random(7);
        byte[] good = Remb.build(1, 777_777, List.of(1L, 2L, 3L));
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(good, r.nextInt(good.length + 8));
            for (int f = r.nextInt(4); f > 0 && b.length > 0; f--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            // Blocks as the walker finds them, and blocks that lie about their length.
            for (Rtcp.Block block : Rtcp.blocks(b, 0, b.length)) {
                Remb.bitrate(b, block);
                Remb.ssrcs(b, block);
                Remb.cap(b, block, 1000);
                Rtcp.rewriteFeedback(b, block, 1, 2);
            }
            Rtcp.Block liar = new Rtcp.Block(0, r.nextInt(64), Rtcp.PSFB, Rtcp.FMT_AFB);
            Remb.bitrate(b, liar);
            Remb.ssrcs(b, liar);
            Remb.cap(b, liar, 1000);
            Remb.rewriteSsrcs(b, liar, 1, 2);
        }
    }
}
