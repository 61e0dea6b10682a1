package io.portunus.loadtool;

import io.portunus.core.Clock;

import java.util.function.LongSupplier;

/**
 * The wait, once nothing is sent any more, for the packets still on their way back, so that one
 * that comes back late counts in the delay figures and not as lost: at least {@link #MIN_MICROS},
 * then until nothing has come back for {@link #QUIET_MICROS}, at most {@link #MAX_MICROS}.
 * A fixed second was too short on a saturated host: at 300 EchoTest sessions on two cores the
 * server was at times a second or more behind, with no datagram dropped anywhere (the
 * namespace's UDP InErrors stayed 0), and the packets of the run's last second counted as loss.
 */
final class InFlightDrain {
    static final long MIN_MICROS = 1_000_000L;
    static final long QUIET_MICROS = 500_000L;
    static final long MAX_MICROS = 10_000_000L;
    static final long POLL_MILLIS = 100;

    /** How the drain waits: {@code Thread::sleep}, or the tests' move of their clock. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * How long the wait was, and how many packets came back after its first second: those a fixed
     * second (what the tool did before) would have counted as lost.
     */
    record Waited(double seconds, long afterFirstSecond) {
    }

    private InFlightDrain() {
    }

    /** Waits as above; {@code received} counts the packets come back so far. */
    static Waited await(LongSupplier received, Clock clock, Sleeper sleeper) throws InterruptedException {
        long start = clock.monotonicMicros();
        sleeper.sleep(MIN_MICROS / 1_000);
        long seen = received.getAsLong();
        long atFirstSecond = seen;
        long quietSince = clock.monotonicMicros();
        while (clock.monotonicMicros() - start < MAX_MICROS && clock.monotonicMicros() - quietSince < QUIET_MICROS) {
            sleeper.sleep(POLL_MILLIS);
            long now = received.getAsLong();
            if (now != seen) {
                seen = now;
                quietSince = clock.monotonicMicros();
            }
        }
        return new Waited((clock.monotonicMicros() - start) / 1e6, seen - atFirstSecond);
    }
}
