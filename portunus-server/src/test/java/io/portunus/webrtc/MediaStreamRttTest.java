package io.portunus.webrtc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaStreamRttTest {

    @Test
    void rttFromAReportBlockShowsInHandleInfoAndStatsEvents() {
        MediaStream video = new MediaStream("1", 1, true, 10, 11);
        assertThat(video.describe().at("/rtcp/main/rtt").asInt()).as("0 until measured, as Janus").isZero();
        assertThat(video.snapshot(1).rtp().rtt()).isZero();
        assertThat(video.snapshot(1).rtp().rttValues()).isNull();
        video.roundTrip(0x0001_8000L + 3277, 0x0001_0000L, 0x8000L);
        assertThat(video.describe().at("/rtcp/main/rtt").asInt()).isEqualTo(50);
        assertThat(video.describe().at("/rtcp/main/base").asInt()).isEqualTo(90_000);
        var rtp = video.snapshot(1).rtp();
        assertThat(rtp.rtt()).isEqualTo(50);
        assertThat(rtp.rttValues().lsr()).isEqualTo(0x0001_0000L);
        assertThat(rtp.rttValues().dlsr()).isEqualTo(0x8000L);
        assertThat(rtp.rttValues().ntp()).isEqualTo(0x0001_8000L + 3277);
        // A block without LSR (the peer has no SR of ours yet) keeps the last value.
        video.roundTrip(0x0002_0000L, 0, 0);
        assertThat(video.describe().at("/rtcp/main/rtt").asInt()).isEqualTo(50);
    }

    @Test
    void firSequenceNumbersCountUpAndWrapAtEightBits() {
        MediaStream video = new MediaStream("1", 1, true, 10, 11);
        int first = video.nextFirSequence();
        for (int i = 1; i < 256; i++) {
            video.nextFirSequence();
        }
        assertThat(video.nextFirSequence()).isEqualTo(first);
        assertThat(first).isBetween(0, 255);
    }
}
