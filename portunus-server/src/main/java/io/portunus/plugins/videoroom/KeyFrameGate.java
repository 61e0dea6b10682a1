package io.portunus.plugins.videoroom;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Key-frame requests about one published video stream, aggregated over its subscribers: at most
 * one goes to the publisher per window, and a request that came inside a window is sent when
 * the window opens (on the publisher's next packet), so every subscriber that asked gets a key
 * frame within one window. With {@code fir_freq} the publisher is also asked every
 * {@code fir_freq} seconds, as Janus does. Used from the publisher's and the subscribers' I/O
 * threads: a CAS on the time of the last request sent, no lock.
 */
final class KeyFrameGate {
    /** The shortest window, whatever fir_freq says: a burst of subscribers costs one key frame. */
    static final long FLOOR_MICROS = 500_000;
    /** The longest: a new subscriber waits at most this long for its first key frame. */
    static final long CEILING_MICROS = 1_000_000;

    private final AtomicLong lastSentMicros = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile boolean pending;
    /** Requests subscribers made, and the ones sent to the publisher (handle_info). */
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    /** The window for a room's {@code fir_freq} (seconds, 0 for none). */
    static long windowMicros(long firFreqSeconds) {
        long w = firFreqSeconds > 0 ? firFreqSeconds * 1_000_000 : FLOOR_MICROS;
        return Math.max(FLOOR_MICROS, Math.min(CEILING_MICROS, w));
    }

    /** A subscriber asks for a key frame: true when the request is to go to the publisher now. */
    boolean request(long nowMicros, long windowMicros) {
        requested.incrementAndGet();
        if (take(nowMicros, windowMicros)) {
            return true;
        }
        pending = true;
        return false;
    }

    /**
     * On a publisher packet: true when a request is to go now, a pending one whose window opened
     * or the periodic one of {@code fir_freq} (µs, 0 for none).
     */
    boolean due(long nowMicros, long windowMicros, long periodMicros) {
        long last = lastSentMicros.get();
        if (pending && nowMicros - last >= windowMicros || periodMicros > 0 && nowMicros - last >= periodMicros) {
            return take(nowMicros, windowMicros);
        }
        return false;
    }

    private boolean take(long nowMicros, long windowMicros) {
        long last = lastSentMicros.get();
        if (nowMicros - last < windowMicros || !lastSentMicros.compareAndSet(last, nowMicros)) {
            return false;
        }
        pending = false;
        sent.incrementAndGet();
        return true;
    }

    long requested() {
        return requested.get();
    }

    long sent() {
        return sent.get();
    }
}
