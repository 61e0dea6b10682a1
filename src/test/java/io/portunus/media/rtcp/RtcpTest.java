package io.portunus.media.rtcp;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {

    @Test
    void nackPacksSequencesIntoPidAndBitmaskAndReadsBack() {
        List<Integer> lost = List.of(100, 101, 105, 116, 117, 65535, 0);
        byte[] p = Rtcp.nack(1, 2, lost);
        var blocks = Rtcp.blocks(p, 0, p.length);
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0).type()).isEqualTo(Rtcp.RTPFB);
        assertThat(blocks.get(0).format()).isEqualTo(Rtcp.FMT_NACK);
        assertThat(Rtcp.mediaSsrc(p, blocks.get(0))).isEqualTo(2);
        assertThat(Rtcp.nackedSequences(p, blocks.get(0))).containsExactlyInAnyOrderElementsOf(lost);
    }

    @Test
    void compoundWalkAndRewrite() {
        byte[] sr = Rtcp.senderReport(0x11111111L, 1, 2, 3, 4, 5);
        byte[] pli = Rtcp.pli(0x22222222L, 0x33333333L);
        byte[] compound = new byte[sr.length + pli.length];
        System.arraycopy(sr, 0, compound, 0, sr.length);
        System.arraycopy(pli, 0, compound, sr.length, pli.length);
        var blocks = Rtcp.blocks(compound, 0, compound.length);
        assertThat(blocks).extracting(Rtcp.Block::type).containsExactly(Rtcp.SR, Rtcp.PSFB);
        Rtcp.rewriteFeedback(compound, blocks.get(1), 0xAAAAAAAAL, 0xBBBBBBBBL);
        assertThat(Rtcp.senderSsrc(compound, blocks.get(1))).isEqualTo(0xAAAAAAAAL);
        assertThat(Rtcp.mediaSsrc(compound, blocks.get(1))).isEqualTo(0xBBBBBBBBL);
    }

    @Test
    void garbageNeverThrows() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            if (b.length > 0 && r.nextBoolean()) {
                b[0] = (byte) (0x80 | (b[0] & 0x1F));
            }
            for (var block : Rtcp.blocks(b, 0, b.length)) {
                Rtcp.nackedSequences(b, block);
                Rtcp.mediaSsrc(b, block);
            }
        }
    }
}
