package io.portunus.core;

import java.time.Instant;

/**
 * Monotonic time in microseconds relative to process start (as Janus 1.2.4+ reports it),
 * and wall-clock time for event timestamps. Behind an interface so tests can move time.
 */
public interface Clock {
    long monotonicMicros();

    default long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    Clock SYSTEM = new Clock() {
        private final long start = System.nanoTime();

        @Override
        public long monotonicMicros() {
            return (System.nanoTime() - start) / 1_000;
        }
    };
}
