package io.portunus.core;

import io.portunus.config.CoreSettings;

/**
 * The settings the Admin API may change while the server runs (admin-api.md §2.2), seeded
 * from the configuration. Plain volatile fields: each is read on its own by the code that
 * applies it (the media core reads the NACK queue, no-media timer and slow-link threshold
 * per packet or per timer tick), so no two need to change together.
 */
public final class LiveSettings {
    /** Janus caps the NACK queue at one second of packets. */
    public static final int MAX_NACK_QUEUE_MS = 1000;

    private volatile int minNackQueueMs;
    private volatile boolean nackOptimizations;
    private volatile int noMediaTimerSeconds;
    private volatile int slowlinkThreshold;
    private volatile boolean lockingDebug;
    private volatile boolean refcountDebug;
    private volatile boolean iceDebug;

    public LiveSettings(CoreSettings.Media media) {
        minNackQueueMs = Math.min(media.minNackQueue(), MAX_NACK_QUEUE_MS);
        nackOptimizations = media.nackOptimizations();
        noMediaTimerSeconds = media.noMediaTimer();
        slowlinkThreshold = media.slowlinkThreshold();
    }

    public int minNackQueueMs() {
        return minNackQueueMs;
    }

    /** Sets the minimum NACK queue and returns the value in force (capped at 1000 ms). */
    public int minNackQueueMs(int ms) {
        minNackQueueMs = Math.min(Math.max(ms, 0), MAX_NACK_QUEUE_MS);
        return minNackQueueMs;
    }

    public boolean nackOptimizations() {
        return nackOptimizations;
    }

    public void nackOptimizations(boolean on) {
        nackOptimizations = on;
    }

    public int noMediaTimerSeconds() {
        return noMediaTimerSeconds;
    }

    public void noMediaTimerSeconds(int seconds) {
        noMediaTimerSeconds = seconds;
    }

    public int slowlinkThreshold() {
        return slowlinkThreshold;
    }

    public void slowlinkThreshold(int lostPerSecond) {
        slowlinkThreshold = lostPerSecond;
    }

    public boolean lockingDebug() {
        return lockingDebug;
    }

    public void lockingDebug(boolean on) {
        lockingDebug = on;
    }

    public boolean refcountDebug() {
        return refcountDebug;
    }

    public void refcountDebug(boolean on) {
        refcountDebug = on;
    }

    /** Janus's {@code libnice_debug}: here it turns on the ICE agent's debug logging. */
    public boolean iceDebug() {
        return iceDebug;
    }

    public void iceDebug(boolean on) {
        iceDebug = on;
    }
}
