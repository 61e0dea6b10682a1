package io.portunus.webrtc;

import io.portunus.core.event.MediaStats;
import io.portunus.media.rtp.LinkQuality;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media stats events and handle_info report only what was measured on the call (issue #12):
 * no jitter or link quality before packets and reports came, the figures the packets make after.
 */
class MeasuredFiguresTest {
    @Test
    void statsEventsLeaveOutWhatWasNotMeasured() {
        MediaStream stream = new MediaStream("1", 1, true, 1111, 2222);
        MediaStats.Rtp before = stream.snapshot(1).rtp();
        assertThat(before.jitterLocal()).isNull();
        assertThat(before.jitterRemote()).isNull();
        assertThat(before.inLinkQuality()).isNull();
        assertThat(before.outLinkQuality()).isNull();
        assertThat(stream.describe().at("/rtcp/main/in-link-quality").asInt()).as("handle_info: 0 as Janus").isZero();

        // A second of video with 10 of 100 packets missing, then the peer's report: 5 % lost.
        long t = 1_000_000_000L;
        for (int seq = 0; seq < 100; seq++) {
            if (seq % 10 == 5) {
                continue;
            }
            stream.loss.received(seq, t + seq * 10_000L);
            stream.jitter.arrived(t + seq * 10_000L, 900L * seq);
            stream.packetsIn++;
            stream.bytesIn += 1000;
        }
        stream.secondTick(); // the first tick sets the baseline
        for (int seq = 100; seq < 200; seq++) {
            if (seq % 10 == 5) {
                continue;
            }
            stream.loss.received(seq, t + seq * 10_000L);
            stream.jitter.arrived(t + seq * 10_000L, 900L * seq);
            stream.packetsIn++;
            stream.bytesIn += 1000;
        }
        stream.secondTick();
        stream.remoteReport(13, 5, 300, 180); // 13/256 = 5 %, jitter 180 units = 2 ms at 90 kHz
        MediaStats.Rtp after = stream.snapshot(1).rtp();
        assertThat(after.jitterLocal()).as("steady 10 ms spacing, 900 units: no jitter").isZero();
        assertThat(after.jitterRemote()).isEqualTo(2L);
        assertThat(after.inLinkQuality()).isEqualTo(90);
        assertThat(after.inMediaLinkQuality()).isEqualTo(90);
        assertThat(after.outLinkQuality()).isEqualTo(95);
        assertThat(after.outMediaLinkQuality()).as("needs two reports").isNull();
        assertThat(stream.describe().at("/stats/in/bytes_lastsec").asLong()).isEqualTo(90_000);
    }

    @Test
    void linkQualityFollowsLossAndJitterAtAQuarterPerInterval() {
        LinkQuality q = new LinkQuality();
        assertThat(q.measured()).isFalse();
        q.interval(0, 0, 0);
        assertThat(q.measured()).as("nothing expected: nothing measured").isFalse();
        q.interval(100, 0, 0);
        assertThat(q.value()).isEqualTo(100);
        q.interval(100, 40, 0); // a bad second: score 60, estimate 100 - 40/4
        assertThat(q.value()).isEqualTo(90);
        q.interval(100, 0, 80); // no loss but 80 ms jitter: score 100 - (80-30)/5 = 90
        assertThat(q.value()).isEqualTo(90);
    }
}
