package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {

    private static byte[] rtp(int seq) {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[1] = 96;
        RtpHeader.sequence(p, 0, seq);
        p[19] = (byte) seq;
        return p;
    }

    @Test
    void expectedCountsFromTheFirstSequenceNumberAcrossAWrap() {
        LossDetector d = new LossDetector();
        assertThat(d.expectedCount()).isZero();
        d.received(65_530, 0);
        d.received(65_532, 0); // 65531 missing
        assertThat(d.expectedCount()).isEqualTo(3);
        d.received(2, 0); // wrapped: 65533..65535, 0, 1 missing
        assertThat(d.expectedCount()).isEqualTo(9);
        assertThat(d.lostCount()).isEqualTo(6);
    }

    @Test
    void gapsAreNackedAFewTimesThenGivenUpAndLatePacketsClearThem() {
        LossDetector d = new LossDetector();
        d.received(100, 0);
        d.received(101, 0);
        d.received(105, 1_000); // 102, 103, 104 missing
        assertThat(d.lostCount()).isEqualTo(3);
        assertThat(d.due(1_000, 50_000)).containsExactly(102, 103, 104);
        assertThat(d.due(20_000, 50_000)).as("not again before the retry interval").isEmpty();
        d.received(103, 30_000); // recovered
        assertThat(d.lostCount()).isEqualTo(2);
        assertThat(d.due(60_000, 50_000)).containsExactly(102, 104);
        assertThat(d.due(120_000, 50_000)).containsExactly(102, 104);
        assertThat(d.due(180_000, 50_000)).as("three tries, then given up").isEmpty();
        assertThat(d.received(101, 200_000)).as("duplicate").isFalse();
    }

    @Test
    void wrapAroundIsNotLoss() {
        LossDetector d = new LossDetector();
        d.received(65534, 0);
        d.received(65535, 0);
        d.received(0, 0);
        d.received(2, 0);
        assertThat(d.lostCount()).isEqualTo(1);
        assertThat(d.due(0, 1)).containsExactly(1);
    }

    @Test
    void bufferAnswersWithinItsWindowOnly() {
        RetransmissionBuffer b = new RetransmissionBuffer(64, 500_000);
        for (int seq = 65530; seq < 65536 + 10; seq++) {
            byte[] p = rtp(seq & 0xFFFF);
            b.add(p, 0, p.length, seq);
        }
        byte[] again = b.get(3, 70_000);
        assertThat(again).isNotNull();
        assertThat(RtpHeader.sequence(again, 0)).isEqualTo(3);
        assertThat(b.get(3, 10_000_000)).as("too old").isNull();
        assertThat(b.get(200, 70_000)).as("never sent").isNull();
        assertThat(b.retransmitted()).isEqualTo(1);
    }

    @Test
    void bufferHoldsWhatItsWindowNeedsAndGrowsWhenTheWindowNeedsMore() {
        RetransmissionBuffer b = new RetransmissionBuffer(1024, 200_000);
        long micros = 0;
        int seq = 0;
        for (; seq < 1200; seq++, micros += 8_333) { // 120 packets/s for 10 s, a 200 ms window
            byte[] p = rtp(seq);
            b.add(p, 0, p.length, micros);
        }
        assertThat(b.slots()).as("24 packets in 200 ms").isEqualTo(32);
        long now = micros - 8_333;
        assertThat(b.get(seq - 24, now)).as("inside the window").isNotNull();

        b.windowMicros(1_000_000);
        for (int end = seq + 2000; seq < end; seq++, micros += 1_000) { // 1,000 packets/s, 1 s window
            byte[] p = rtp(seq & 0xFFFF);
            b.add(p, 0, p.length, micros);
        }
        assertThat(b.slots()).isEqualTo(1024);
        now = micros - 1_000;
        for (int back = 1; back <= 1000; back++) {
            byte[] again = b.get((seq - back) & 0xFFFF, now);
            assertThat(again).as("%d packets back", back).isNotNull();
            assertThat(RtpHeader.sequence(again, 0)).isEqualTo((seq - back) & 0xFFFF);
        }
    }
}
