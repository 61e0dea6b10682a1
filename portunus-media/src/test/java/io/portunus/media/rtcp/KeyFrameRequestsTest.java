package io.portunus.media.rtcp;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFrameRequestsTest {
    private static final long LOCAL = 0x1111_1111L;
    private static final long REMOTE = 0x2222_2222L;

    @Test
    void firBuilderFollowsRfc5104() {
        byte[] fir = Rtcp.fir(LOCAL, REMOTE, 300);
        assertThat(fir).hasSize(20);
        var block = Rtcp.blocks(fir, 0, fir.length).get(0);
        assertThat(block.type()).isEqualTo(Rtcp.PSFB);
        assertThat(block.format()).isEqualTo(Rtcp.FMT_FIR);
        assertThat(Rtcp.senderSsrc(fir, block)).isEqualTo(LOCAL);
        assertThat(Rtcp.mediaSsrc(fir, block)).as("media source unused in a FIR").isZero();
        var entries = Rtcp.firEntries(fir, block);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0)[0]).isEqualTo(REMOTE);
        assertThat(entries.get(0)[1]).as("8-bit sequence number").isEqualTo(300 & 0xFF);
        assertThat(fir[17] | fir[18] | fir[19]).as("reserved").isZero();
    }

    @Test
    void aPliBecomesAFirWithTheNextSequenceNumberWhenOnlyFirWasNegotiated() {
        AtomicInteger seq = new AtomicInteger();
        byte[] out = KeyFrameRequests.towardsPeer(Rtcp.pli(0, 0), LOCAL, REMOTE, true, seq::incrementAndGet);
        var block = Rtcp.blocks(out, 0, out.length).get(0);
        assertThat(block.format()).isEqualTo(Rtcp.FMT_FIR);
        assertThat(Rtcp.firEntries(out, block).get(0)).containsExactly(REMOTE, 1);
        byte[] again = KeyFrameRequests.towardsPeer(Rtcp.pli(0, 0), LOCAL, REMOTE, true, seq::incrementAndGet);
        assertThat(Rtcp.firEntries(again, Rtcp.blocks(again, 0, again.length).get(0)).get(0)[1])
                .as("a new request, a new number").isEqualTo(2);
    }

    /** The peer's own FIR about our stream, relayed back by a plugin: our SSRCs and our numbering. */
    @Test
    void aRelayedFirIsRetargetedAndRenumbered() {
        byte[] fromPeer = Rtcp.fir(REMOTE, LOCAL, 77);
        byte[] out = KeyFrameRequests.towardsPeer(fromPeer, LOCAL, REMOTE, true, () -> 5);
        var block = Rtcp.blocks(out, 0, out.length).get(0);
        assertThat(Rtcp.senderSsrc(out, block)).isEqualTo(LOCAL);
        assertThat(Rtcp.firEntries(out, block).get(0)).containsExactly(REMOTE, 5);
    }

    @Test
    void withPliNegotiatedAFirBecomesAPliAndAPliStaysOne() {
        byte[] out = KeyFrameRequests.towardsPeer(Rtcp.fir(9, 9, 1), LOCAL, REMOTE, false, () -> {
            throw new AssertionError("no FIR number for a PLI");
        });
        var block = Rtcp.blocks(out, 0, out.length).get(0);
        assertThat(block.format()).isEqualTo(Rtcp.FMT_PLI);
        assertThat(out).hasSize(12);
        byte[] pli = Rtcp.pli(0, 0);
        byte[] same = KeyFrameRequests.towardsPeer(pli, LOCAL, REMOTE, false, () -> 0);
        assertThat(same).isSameAs(pli);
        assertThat(Rtcp.senderSsrc(same, block)).isEqualTo(LOCAL);
        assertThat(Rtcp.mediaSsrc(same, block)).isEqualTo(REMOTE);
    }

    @Test
    void otherPacketsOfACompoundAreKeptAroundTheConvertedRequest() {
        byte[] nack = Rtcp.nack(0, 0, List.of(10, 12));
        byte[] pli = Rtcp.pli(0, 0);
        byte[] compound = new byte[nack.length + pli.length];
        System.arraycopy(nack, 0, compound, 0, nack.length);
        System.arraycopy(pli, 0, compound, nack.length, pli.length);
        byte[] out = KeyFrameRequests.towardsPeer(compound, LOCAL, REMOTE, true, () -> 3);
        var blocks = Rtcp.blocks(out, 0, out.length);
        assertThat(blocks).extracting(Rtcp.Block::type, Rtcp.Block::format)
                .containsExactly(Tuple.tuple(Rtcp.RTPFB, Rtcp.FMT_NACK),
                        Tuple.tuple(Rtcp.PSFB, Rtcp.FMT_FIR));
        assertThat(Rtcp.nackedSequences(out, blocks.get(0))).containsExactly(10, 12);
        assertThat(Rtcp.mediaSsrc(out, blocks.get(0))).isEqualTo(REMOTE);
    }

    @Test
    void somethingThatDoesNotParseIsLeftAlone() {
        byte[] junk = {(byte) 0x81, (byte) 206, 0, 9, 1, 2, 3};
        assertThat(KeyFrameRequests.towardsPeer(junk.clone(), LOCAL, REMOTE, true, () -> 1)).containsExactly(junk);
    }
}
