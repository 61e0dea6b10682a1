package io.portunus.core;

import java.time.Instant;

/**
 * Monotonic time in microseconds and wall-clock time for event timestamps. Behind an interface
 * so tests can move time.
 *
 * <p>{@link #SYSTEM} gives raw {@code CLOCK_MONOTONIC} microseconds, as Janus 1.1.2 reports every
 * time in {@code handle_info} and the Admin API (Janus 1.2.4+ counts from process start
 * instead). {@link System#nanoTime()} is {@code clock_gettime(CLOCK_MONOTONIC)} in HotSpot on
 * Linux, so the core's times ({@code created}, {@code current_time},
 * {@code session_last_activity}) and the PeerConnection's (ICE, DTLS, {@code agent-created})
 * share one time base and order correctly against each other.
 */
public interface Clock {
    long monotonicMicros();

    default long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    Clock SYSTEM = new Clock() {
        @Override
        public long monotonicMicros() {
            return System.nanoTime() / 1_000;
        }
    };
}
