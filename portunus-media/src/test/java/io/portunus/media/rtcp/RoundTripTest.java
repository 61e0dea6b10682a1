package io.portunus.media.rtcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTest {

    @Test
    void ntpTimestampFromWallClockMicros() {
        assertThat(RoundTrip.ntp(0) >>> 32).isEqualTo(2_208_988_800L);
        assertThat(RoundTrip.ntp(0) & 0xFFFFFFFFL).isZero();
        assertThat(RoundTrip.ntp(1_500_000) & 0xFFFFFFFFL).isEqualTo(1L << 31);
        assertThat(RoundTrip.ntp(1_500_000) >>> 32).isEqualTo(2_208_988_801L);
        // 2036's NTP era rollover: the 32-bit seconds wrap to 0.
        long era = (1L << 32) - 2_208_988_800L;
        assertThat(RoundTrip.ntp(era * 1_000_000L + 250_000) >>> 32).isZero();
        assertThat(RoundTrip.ntp(era * 1_000_000L + 250_000) & 0xFFFFFFFFL).isEqualTo(1L << 30);
    }

    @Test
    void compactIsTheMiddle32Bits() {
        assertThat(RoundTrip.compact(0x1234_5678_9ABC_DEF0L)).isEqualTo(0x5678_9ABCL);
    }

    @Test
    void rttIsArrivalMinusLsrMinusDlsr() {
        long lsr = 0x0001_0000L;               // our SR at 1 s (compact)
        long dlsr = 0x0000_8000L;              // the peer held it 0.5 s
        long arrival = 0x0001_8000L + 3277;    // back 0.5 s + ~50 ms later
        long units = RoundTrip.units(arrival, lsr, dlsr);
        assertThat(units).isEqualTo(3277);
        assertThat(RoundTrip.millis(units)).isEqualTo(50);
    }

    /** The middle 32 bits wrap every 65536 s: an SR just before and a report just after. */
    @Test
    void rttAcrossTheWrapOfTheMiddle32Bits() {
        long lsr = 0xFFFF_F000L;               // our SR 1/16 s before the wrap
        long dlsr = 0x0000_2000L;              // the peer held it 1/8 s
        long arrival = 0x0000_1CCDL;           // back 1/16 s + 1/8 s + ~50 ms after the SR, past the wrap
        long units = RoundTrip.units(arrival, lsr, dlsr);
        assertThat(units).isEqualTo(0xCCD);
        assertThat(RoundTrip.millis(units)).isEqualTo(50);
    }

    @Test
    void noLsrMeansNoMeasurementAndTinyNegativesAreZero() {
        assertThat(RoundTrip.units(12345, 0, 0)).isEqualTo(-1);
        assertThat(RoundTrip.units(0x1_0000L, 0x1_0000L, 3)).isZero();
        assertThat(RoundTrip.millis(0)).isZero();
        assertThat(RoundTrip.millis(65_536)).isEqualTo(1000);
        assertThat(RoundTrip.millis(33)).isEqualTo(1); // 0.5 ms rounds up
    }

    /** Our SR and the arrival come from the same clock: 40 ms later with no peer delay is 40 ms. */
    @Test
    void sameClockMeasuresTheElapsedTime() {
        long wall = 1_733_300_000_123_456L;
        long sent = RoundTrip.compact(RoundTrip.ntp(wall));
        long arrival = RoundTrip.compact(RoundTrip.ntp(wall + 40_000));
        assertThat(RoundTrip.millis(RoundTrip.units(arrival, sent, 0))).isEqualTo(40);
        assertThat(RoundTrip.millis(RoundTrip.units(sent, sent, 0))).isZero();
    }
}
