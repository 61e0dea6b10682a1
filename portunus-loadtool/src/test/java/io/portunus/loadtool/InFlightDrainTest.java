package io.portunus.loadtool;

import io.portunus.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long the load tool waits for late packets after the last one was sent: a packet that comes
 * back late must count as late, not lost. The drain's sleeps move the test's clock.
 */
class InFlightDrainTest {
    private final ManualClock clock = new ManualClock();
    private final long start = clock.monotonicMicros();
    private final InFlightDrain.Sleeper moveClock = millis -> clock.advance(Duration.ofMillis(millis));

    /** Packets that keep coming back until {@code untilMicros} after the start, one more each time it is read. */
    private LongSupplier arrivingUntil(long untilMicros) {
        long[] count = {0};
        return () -> clock.monotonicMicros() - start <= untilMicros ? ++count[0] : count[0];
    }

    @Test
    void nothingLateWaitsTheSecondAndHalfASecondOfQuiet() throws Exception {
        InFlightDrain.Waited waited = InFlightDrain.await(() -> 42, clock, moveClock);
        assertThat(waited.seconds()).isEqualTo(1.5);
        assertThat(waited.afterFirstSecond()).isZero();
    }

    @Test
    void packetsStillArrivingAfterTheFirstSecondAreWaitedFor() throws Exception {
        // A server 2.5 s behind: the last packets come back 2.5 s after the last was sent.
        InFlightDrain.Waited waited = InFlightDrain.await(arrivingUntil(2_500_000L), clock, moveClock);
        // Returned only after the last arrival and half a second of quiet (polled every 100 ms).
        assertThat(waited.seconds()).isGreaterThanOrEqualTo(3.0).isLessThanOrEqualTo(3.1);
        // Read at 1.0, 1.1 ... 2.5 s: the 15 reads after the first second each saw one more packet.
        assertThat(waited.afterFirstSecond()).isEqualTo(15);
    }

    @Test
    void aStreamThatNeverStopsIsCutAtTheLimit() throws Exception {
        InFlightDrain.Waited waited = InFlightDrain.await(arrivingUntil(Long.MAX_VALUE), clock, moveClock);
        assertThat(waited.seconds()).isEqualTo(InFlightDrain.MAX_MICROS / 1e6);
    }
}
