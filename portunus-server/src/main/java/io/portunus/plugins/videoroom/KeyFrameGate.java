package io.portunus.plugins.videoroom;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Key-frame requests about one published video stream, aggregated over its subscribers: at most
 * one goes to the publisher per window, and a request that came inside a window is sent when
 * the window opens (on the publisher's next packet), so every subscriber that asked gets a key
 * frame within one window. A leg that starts (a new subscriber, a resumed or switched leg) asks
 * with the shortest window ({@link #FLOOR_MICROS}): it shows nothing until its first key frame,
 * while a running subscriber's own PLI (loss it could not repair) waits for the room's window.
 * With {@code fir_freq} the publisher is also asked every {@code fir_freq} seconds, as Janus
 * does. Used from the publisher's and the subscribers' I/O threads: a CAS on the time of the
 * last request sent, no lock.
 */
final class KeyFrameGate {
    /** The shortest window, whatever fir_freq says: a burst of subscribers costs one key frame. */
    static final long FLOOR_MICROS = 500_000;
    /** The longest: a new subscriber waits at most this long for its first key frame. */
    static final long CEILING_MICROS = 1_000_000;

    private static final long NONE_PENDING = Long.MAX_VALUE;

    private final AtomicLong lastSentMicros = new AtomicLong(Long.MIN_VALUE / 2);
    /** The shortest window of the requests waiting for the next one sent, or NONE_PENDING. */
    private final AtomicLong pendingWindowMicros = new AtomicLong(NONE_PENDING);
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
        pendingWindowMicros.accumulateAndGet(windowMicros, Math::min);
        return false;
    }

    /**
     * On a publisher packet: true when a request is to go now, a pending one whose window opened
     * or the periodic one of {@code fir_freq} (µs, 0 for none).
     */
    boolean due(long nowMicros, long periodMicros) {
        long last = lastSentMicros.get();
        long pendingWindow = pendingWindowMicros.get();
        if (pendingWindow != NONE_PENDING && nowMicros - last >= pendingWindow) {
            return take(nowMicros, pendingWindow);
        }
        return periodMicros > 0 && nowMicros - last >= periodMicros && take(nowMicros, periodMicros);
    }

    private boolean take(long nowMicros, long windowMicros) {
        long last = lastSentMicros.get();
        if (nowMicros - last < windowMicros || !lastSentMicros.compareAndSet(last, nowMicros)) {
            return false;
        }
        // A request made from here on waits for the next window: it may come after this key frame.
        pendingWindowMicros.set(NONE_PENDING);
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
