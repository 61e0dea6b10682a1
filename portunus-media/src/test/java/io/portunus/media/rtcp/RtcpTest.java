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
        byte[] sr = Rtcp.report(0x11111111L, true, 1, 2, 3, 4, 5, null, "janus");
        byte[] pli = Rtcp.pli(0x22222222L, 0x33333333L);
        byte[] compound = new byte[sr.length + pli.length];
        System.arraycopy(sr, 0, compound, 0, sr.length);
        System.arraycopy(pli, 0, compound, sr.length, pli.length);
        var blocks = Rtcp.blocks(compound, 0, compound.length);
        assertThat(blocks).extracting(Rtcp.Block::type).containsExactly(Rtcp.SR, Rtcp.SDES, Rtcp.PSFB);
        Rtcp.rewriteFeedback(compound, blocks.get(2), 0xAAAAAAAAL, 0xBBBBBBBBL);
        assertThat(Rtcp.senderSsrc(compound, blocks.get(2))).isEqualTo(0xAAAAAAAAL);
        assertThat(Rtcp.mediaSsrc(compound, blocks.get(2))).isEqualTo(0xBBBBBBBBL);
    }

    @Test
    void senderAndReceiverReportsWithSdes() {
        var block = new Rtcp.ReportBlock(0x2222L, 25, 7, 0x1_0005L, 0, 0xABCD1234L, 65_536);
        byte[] sr = Rtcp.report(0x1111L, true, 3_900_000_000L, 1L << 31, 90_000, 100, 120_000, block, "janus");
        var blocks = Rtcp.blocks(sr, 0, sr.length);
        assertThat(blocks).extracting(Rtcp.Block::type).containsExactly(Rtcp.SR, Rtcp.SDES);
        assertThat(blocks.get(0).format()).as("one report block").isEqualTo(1);
        assertThat(Rtcp.senderSsrc(sr, blocks.get(0))).isEqualTo(0x1111L);
        int rb = blocks.get(0).offset() + 28;
        assertThat(Rtcp.read32(sr, rb)).isEqualTo(0x2222L);
        assertThat(sr[rb + 4] & 0xFF).isEqualTo(25);
        assertThat(Rtcp.read32(sr, rb + 4) & 0xFFFFFF).isEqualTo(7);
        assertThat(Rtcp.read32(sr, rb + 8)).isEqualTo(0x1_0005L);
        assertThat(Rtcp.read32(sr, rb + 16)).isEqualTo(0xABCD1234L);
        int sdes = blocks.get(1).offset();
        assertThat(sr[sdes + 8]).as("CNAME item").isEqualTo((byte) 1);
        assertThat(new String(sr, sdes + 10, sr[sdes + 9])).isEqualTo("janus");
        byte[] rr = Rtcp.report(0x1111L, false, 0, 0, 0, 0, 0, block, "janus");
        assertThat(Rtcp.blocks(rr, 0, rr.length)).extracting(Rtcp.Block::type).containsExactly(Rtcp.RR, Rtcp.SDES);
        byte[] bare = Rtcp.report(0x1111L, true, 1, 2, 3, 4, 5, null, "janus");
        assertThat(Rtcp.blocks(bare, 0, bare.length)).hasSize(2);
    }

    @Test
    void byeListsItsSsrcsAndReason() {
        byte[] bye = {(byte) 0x82, (byte) 203, 0, 4, 0, 0, 0, 7, 0, 0, 0, 8, 4, 'b', 'y', 'e', '!', 0, 0, 0};
        var block = Rtcp.blocks(bye, 0, bye.length).get(0);
        assertThat(Rtcp.byeSsrcs(bye, block)).containsExactly(7L, 8L);
        assertThat(Rtcp.byeReason(bye, block)).isEqualTo("bye!");
        byte[] bare = {(byte) 0x81, (byte) 203, 0, 1, 0, 0, 0, 9};
        var bareBlock = Rtcp.blocks(bare, 0, bare.length).get(0);
        assertThat(Rtcp.byeSsrcs(bare, bareBlock)).containsExactly(9L);
        assertThat(Rtcp.byeReason(bare, bareBlock)).isNull();
        // A count that claims more SSRCs than the packet holds, and a reason longer than it.
        byte[] lying = {(byte) 0x9F, (byte) 203, 0, 2, 0, 0, 0, 1, 60, 'x', 0, 0};
        var lyingBlock = Rtcp.blocks(lying, 0, lying.length).get(0);
        assertThat(Rtcp.byeSsrcs(lying, lyingBlock)).hasSize(2);
        assertThat(Rtcp.byeReason(lying, lyingBlock)).isNull();
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
                Rtcp.byeSsrcs(b, block);
                Rtcp.byeReason(b, block);
                Rtcp.firEntries(b, block);
                TransportFeedback.parse(b, block);
            }
        }
    }
}
