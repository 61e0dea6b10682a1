package io.portunus.media.rtp;

import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtcp.TransportFeedback;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransportCcRecorderTest {
    /** A monotonic clock reading (µs) on a 64 ms boundary, so the first delta of a feedback is 0. */
    private static final long T0 = 64_000L * 12_345_678;

    private static List<TransportFeedback.Feedback> parse(List<byte[]> packets) {
        List<TransportFeedback.Feedback> out = new ArrayList<>();
        for (byte[] p : packets) {
            var blocks = Rtcp.blocks(p, 0, p.length);
            assertThat(blocks).hasSize(1);
            var f = TransportFeedback.parse(p, blocks.get(0));
            assertThat(f).isNotNull();
            out.add(f);
        }
        return out;
    }

    @Test
    void reportsEachPacketWithItsArrivalTime() {
        TransportCcRecorder r = new TransportCcRecorder();
        long[] at = {T0 + 30_000, T0 + 31_000, T0 + 31_250, T0 + 50_000, T0 + 50_100};
        for (int i = 0; i < at.length; i++) {
            r.received(100 + i, at[i]);
        }
        var f = parse(r.feedback(0xAAAAL, 0xBBBBL)).get(0);
        assertThat(f.senderSsrc()).isEqualTo(0xAAAAL);
        assertThat(f.mediaSsrc()).isEqualTo(0xBBBBL);
        assertThat(f.baseSequence()).isEqualTo(100);
        assertThat(f.statusCount()).isEqualTo(5);
        assertThat(f.feedbackCount()).isZero();
        assertThat(f.referenceTime()).isEqualTo((int) ((T0 / 64_000) & 0xFFFFFF));
        List<Long> arrivals = f.arrivalMicros();
        for (int i = 0; i < at.length; i++) {
            // Only the low 24 bits of the reference time travel: compare modulo that clock's span.
            long span = (1L << 24) * 64_000;
            assertThat(Math.floorMod(at[i] - arrivals.get(i), span)).as("packet %d", i).isLessThan(250);
        }
        assertThat(r.feedback(1, 2)).as("nothing new, nothing sent").isEmpty();
    }

    @Test
    void lostPacketsAreReportedAndTheNextFeedbackContinuesWhereTheLastEnded() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.received(10, T0);
        r.received(11, T0 + 5_000);
        r.received(14, T0 + 10_000);
        var first = parse(r.feedback(1, 2)).get(0);
        assertThat(first.baseSequence()).isEqualTo(10);
        assertThat(first.deltas()).containsExactly(0, 20, null, null, 20);
        r.received(17, T0 + 30_000);
        var second = parse(r.feedback(1, 2)).get(0);
        assertThat(second.baseSequence()).as("15 and 16 never came").isEqualTo(15);
        assertThat(second.deltas()).hasSize(3).startsWith(null, null);
        assertThat(second.feedbackCount()).isEqualTo(1);
    }

    @Test
    void sequenceNumbersWrapAround() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.received(65_534, T0);
        r.received(65_535, T0 + 1_000);
        r.received(1, T0 + 2_000); // 0 lost
        var f = parse(r.feedback(1, 2)).get(0);
        assertThat(f.baseSequence()).isEqualTo(65_534);
        assertThat(f.deltas()).containsExactly(0, 4, null, 4);
        r.received(2, T0 + 3_000);
        assertThat(parse(r.feedback(1, 2)).get(0).baseSequence()).isEqualTo(2);
    }

    @Test
    void reorderedPacketsGetNegativeDeltasAndLateOnesAreCountedNotReported() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.received(5, T0);
        r.received(7, T0 + 2_000);
        r.received(6, T0 + 3_000); // overtaken on the way
        r.received(7, T0 + 9_000); // a duplicate keeps the first arrival
        var f = parse(r.feedback(1, 2)).get(0);
        assertThat(f.deltas()).containsExactly(0, 12, -4);
        r.received(4, T0 + 10_000); // before the reported range
        assertThat(r.late()).isEqualTo(1);
        assertThat(r.feedback(1, 2)).isEmpty();
    }

    @Test
    void deltasOverOneByteUseTheTwoByteForm() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.received(1, T0);
        r.received(2, T0 + 100_000);  // 400 ticks
        r.received(3, T0 + 8_000_000); // 8 s: 31600 ticks still fit 16 bits
        var f = parse(r.feedback(1, 2));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).deltas()).containsExactly(0, 400, 31_600);
    }

    /** A gap of more than 8.19 s does not fit 16 bits: a new packet with its own reference time. */
    @Test
    void aDeltaTooLargeForSixteenBitsStartsAnotherPacket() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.received(1, T0);
        r.received(2, T0 + 10_000_000);
        r.received(3, T0 + 10_000_250);
        var f = parse(r.feedback(1, 2));
        assertThat(f).hasSize(2);
        assertThat(f.get(0).baseSequence()).isEqualTo(1);
        assertThat(f.get(0).statusCount()).isEqualTo(1);
        assertThat(f.get(1).baseSequence()).isEqualTo(2);
        assertThat(f.get(1).deltas()).hasSize(2).endsWith(1);
        assertThat(f.get(1).feedbackCount()).isEqualTo(1);
        long refDelta = (f.get(1).referenceTime() - f.get(0).referenceTime()) * 64_000L;
        assertThat(refDelta).isBetween(10_000_000L - 64_000, 10_000_000L + 64_000);
    }

    @Test
    void manyPacketsAreSplitIntoMtuSizedFeedbackCoveringEverySequenceOnce() {
        TransportCcRecorder r = new TransportCcRecorder();
        int start = 65_000;
        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            if (i % 13 == 5 || (i > 700 && i < 760)) {
                continue; // lost
            }
            int seq = (start + i) & 0xFFFF;
            r.received(seq, T0 + i * 700L + (i % 3) * 300L);
            received.add(seq);
        }
        List<byte[]> packets = r.feedback(1, 2);
        assertThat(packets.size()).isGreaterThan(1);
        int expectedBase = start;
        List<Integer> reported = new ArrayList<>();
        int count = 0;
        for (byte[] p : packets) {
            assertThat(p.length).isLessThanOrEqualTo(1200);
            var f = parse(List.of(p)).get(0);
            assertThat(f.baseSequence()).isEqualTo(expectedBase);
            assertThat(f.feedbackCount()).isEqualTo(count++);
            for (int i = 0; i < f.statusCount(); i++) {
                if (f.deltas().get(i) != null) {
                    reported.add((f.baseSequence() + i) & 0xFFFF);
                }
            }
            expectedBase = (f.baseSequence() + f.statusCount()) & 0xFFFF;
        }
        assertThat(reported).isEqualTo(received);
    }

    @Test
    void referenceTimeWrapsAt24Bits() {
        TransportCcRecorder r = new TransportCcRecorder();
        long wrap = (1L << 24) * 64_000;
        r.received(1, wrap + 64_000 * 3 + 100);
        var f = parse(r.feedback(1, 2)).get(0);
        assertThat(f.referenceTime()).isEqualTo(3);
        assertThat(f.deltas()).containsExactly(0);
    }

    /** 60000 missing sequence numbers cost a few run-length chunks, within the 16-bit status count. */
    @Test
    void aLongGapIsReportedCompactly() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.received(1, T0);
        r.feedback(1, 2);
        r.received(1 + 30_000, T0 + 1_000);
        r.received(1 + 60_000, T0 + 2_000);
        List<byte[]> packets = r.feedback(1, 2);
        assertThat(packets).hasSize(1);
        assertThat(packets.get(0).length).isLessThan(64);
        var f = parse(packets).get(0);
        assertThat(f.baseSequence()).isEqualTo(2);
        assertThat(f.statusCount()).isEqualTo(60_000);
        assertThat(f.receivedCount()).isEqualTo(2);
        assertThat(f.deltas().get(59_999)).isEqualTo(4);
    }
}
