package io.portunus.loadtool;

import java.util.function.LongSupplier;

/**
 * The wait, once nothing is sent any more, for the packets still on their way back, so that one
 * that comes back late counts in the delay figures and not as lost: at least {@link #MIN_NANOS},
 * then until nothing has come back for {@link #QUIET_NANOS}, at most {@link #MAX_NANOS}.
 * A fixed second was too short on a saturated host: at 300 EchoTest sessions on two cores the
 * server was at times a second or more behind, with no datagram dropped anywhere (the
 * namespace's UDP InErrors stayed 0), and the packets of the run's last second counted as loss.
 */
final class InFlightDrain {
    static final long MIN_NANOS = 1_000_000_000L;
    static final long QUIET_NANOS = 500_000_000L;
    static final long MAX_NANOS = 10_000_000_000L;
    static final long POLL_MILLIS = 100;

    /** Time as the drain sees it; the tests move it without sleeping. */
    interface Clock {
        long nanoTime();

        void sleepMillis(long millis) throws InterruptedException;
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepMillis(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    };

    private InFlightDrain() {
    }

    /**
     * How long the wait was, and how many packets came back after its first second: those a fixed
     * second (what the tool did before) would have counted as lost.
     */
    record Waited(double seconds, long afterFirstSecond) {
    }

    /** Waits as above; {@code received} counts the packets come back so far. */
    static Waited await(LongSupplier received, Clock clock) throws InterruptedException {
        long start = clock.nanoTime();
        clock.sleepMillis(MIN_NANOS / 1_000_000);
        long seen = received.getAsLong();
        long atFirstSecond = seen;
        long quietSince = clock.nanoTime();
        while (clock.nanoTime() - start < MAX_NANOS && clock.nanoTime() - quietSince < QUIET_NANOS) {
            clock.sleepMillis(POLL_MILLIS);
            long now = received.getAsLong();
            if (now != seen) {
                seen = now;
                quietSince = clock.nanoTime();
            }
        }
        return new Waited((clock.nanoTime() - start) / 1e9, seen - atFirstSecond);
    }
}
