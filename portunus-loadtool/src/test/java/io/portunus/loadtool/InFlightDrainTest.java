package io.portunus.loadtool;

import org.junit.jupiter.api.Test;

import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long the load tool waits for late packets after the last one was sent: a packet that comes
 * back late must count as late, not lost. Time is moved by the test's clock.
 */
class InFlightDrainTest {
    /** A clock whose sleeps only move it forward. */
    private static final class MovedClock implements InFlightDrain.Clock {
        long nanos;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public void sleepMillis(long millis) {
            nanos += millis * 1_000_000L;
        }
    }

    /** Packets that keep coming back until {@code untilNanos}, one more each time it is read. */
    private static LongSupplier arrivingUntil(MovedClock clock, long untilNanos) {
        long[] count = {0};
        return () -> clock.nanos <= untilNanos ? ++count[0] : count[0];
    }

    @Test
    void nothingLateWaitsTheSecondAndHalfASecondOfQuiet() throws Exception {
        MovedClock clock = new MovedClock();
        InFlightDrain.Waited waited = InFlightDrain.await(() -> 42, clock);
        assertThat(waited.seconds()).isEqualTo(1.5);
        assertThat(waited.afterFirstSecond()).isZero();
    }

    @Test
    void packetsStillArrivingAfterTheFirstSecondAreWaitedFor() throws Exception {
        // A server 2.5 s behind: the last packets come back 2.5 s after the last was sent.
        MovedClock clock = new MovedClock();
        LongSupplier received = arrivingUntil(clock, 2_500_000_000L);
        InFlightDrain.Waited waited = InFlightDrain.await(received, clock);
        // Returned only after the last arrival and half a second of quiet (polled every 100 ms).
        assertThat(waited.seconds()).isGreaterThanOrEqualTo(3.0).isLessThanOrEqualTo(3.1);
        // Read at 1.0, 1.1 ... 2.5 s: the 15 reads after the first second each saw one more packet.
        assertThat(waited.afterFirstSecond()).isEqualTo(15);
    }

    @Test
    void aStreamThatNeverStopsIsCutAtTheLimit() throws Exception {
        MovedClock clock = new MovedClock();
        InFlightDrain.Waited waited = InFlightDrain.await(arrivingUntil(clock, Long.MAX_VALUE), clock);
        assertThat(waited.seconds()).isEqualTo(InFlightDrain.MAX_NANOS / 1e9);
    }
}
