package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * RFC 3550 §6.4.1 jitter with delays large enough to matter (tens of ms), in each clock's units:
 * a known delay pattern whose |D| is exact, random delays against the RFC's formula computed
 * in floating point, RTP timestamps wrapping past 2^32, and arrival times of a machine up for
 * years.
 */
class InterarrivalJitterTest {
    /** Feeds packets sent every {@code spacingUs} with the given extra delays; returns the estimator. */
    private static InterarrivalJitter feed(int clockRate, long firstTimestamp, long startUs, long spacingUs, long[] delaysUs) {
        InterarrivalJitter jitter = new InterarrivalJitter(clockRate);
        for (int i = 0; i < delaysUs.length; i++) {
            long sentUs = i * spacingUs;
            long timestamp = (firstTimestamp + sentUs * clockRate / 1_000_000L) & 0xFFFFFFFFL;
            jitter.arrived(startUs + sentUs + delaysUs[i], timestamp);
        }
        return jitter;
    }

    private static long[] alternating(int n, long highUs) {
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 2 == 0 ? 0 : highUs;
        }
        return d;
    }

    @Test
    void aFiftyMillisecondSwingIsFiftyMillisecondsInEveryClock() {
        // Every other packet 50 ms late: |D| = 50 ms for every pair, so J converges to it.
        long[] delays = alternating(400, 50_000);
        InterarrivalJitter video = feed(90_000, 1234, 1_000_000, 33_000, delays);
        assertThat(video.units()).as("50 ms at 90 kHz").isBetween(4499L, 4500L);
        assertThat(video.millis()).isBetween(49L, 50L);
        InterarrivalJitter opus = feed(48_000, 1234, 1_000_000, 20_000, delays);
        assertThat(opus.units()).as("50 ms at 48 kHz").isBetween(2399L, 2400L);
        InterarrivalJitter pcmu = feed(8_000, 1234, 1_000_000, 20_000, delays);
        assertThat(pcmu.units()).as("50 ms at 8 kHz").isBetween(399L, 400L);
        assertThat(opus.millis()).isEqualTo(pcmu.millis()).isBetween(49L, 50L);
    }

    @Test
    void randomDelaysFollowTheRfcFormula() {
        Random random = new Random(16);
        long[] delays = new long[3000];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = 20_000 + Math.round(Math.abs(random.nextGaussian()) * 15_000); // 20 ms + |N(0, 15 ms)|
        }
        for (int rate : new int[] {8_000, 48_000, 90_000}) {
            InterarrivalJitter ours = feed(rate, 77, 2_000_000, 20_000, delays);
            // The RFC's J += (|D| - J) / 16 in floating point, on the same integer arrival units.
            double j = 0;
            long lastTransit = 0;
            for (int i = 0; i < delays.length; i++) {
                long sentUs = i * 20_000L;
                long arrivalUnits = (2_000_000L + sentUs + delays[i]) * rate / 1_000_000L;
                long transit = arrivalUnits - (77 + sentUs * rate / 1_000_000L);
                if (i > 0) {
                    j += (Math.abs(transit - lastTransit) - j) / 16;
                }
                lastTransit = transit;
            }
            assertThat(j * 1000 / rate).as("a jitter of several ms at %d Hz", rate).isGreaterThan(5);
            assertThat((double) ours.units()).as("J at %d Hz", rate).isCloseTo(j, offset(2.0));
        }
    }

    @Test
    void timestampsWrappingPast32BitsAndArrivalsYearsAfterBootChangeNothing() {
        long[] delays = alternating(400, 30_000);
        InterarrivalJitter reference = feed(90_000, 1234, 1_000_000, 33_000, delays);
        // Timestamps that wrap after a few packets.
        InterarrivalJitter wrapped = feed(90_000, 0xFFFFFFFFL - 10_000, 1_000_000, 33_000, delays);
        assertThat(wrapped.units()).isEqualTo(reference.units()).isBetween(2699L, 2700L);
        // Arrivals on a monotonic clock five years after boot: µs × 90,000 overflows a long, but only
        // differences of arrival units count, and those come out the same.
        InterarrivalJitter late = feed(90_000, 1234, 5 * 366 * 86_400_000_000L, 33_000, delays);
        assertThat(late.units()).isEqualTo(reference.units());
    }

    @Test
    void aClockChangeStartsAgainInTheNewUnits() {
        InterarrivalJitter jitter = feed(90_000, 0, 0, 33_000, alternating(200, 20_000));
        assertThat(jitter.units()).isGreaterThan(1700L);
        jitter.clockRate(48_000);
        assertThat(jitter.units()).isZero();
        assertThat(jitter.measured()).isFalse();
    }
}
