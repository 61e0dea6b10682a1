package io.portunus.loadtool;

import java.util.Arrays;

/**
 * Echo delays in microseconds: 10 µs buckets below 10 ms, 100 µs below 100 ms, 1 ms below
 * 10 s (about 1 % relative error where it matters). One per stream and one per loop; only the
 * loop that owns it writes it, the progress line reads it racily (good enough for a progress line).
 */
final class Histogram {
    private static final int BUCKETS = 1000 + 900 + 9900 + 1;
    private final int[] counts = new int[BUCKETS];
    private long total;
    private long sumMicros;
    private long maxMicros;

    void record(long micros) {
        if (micros < 0) {
            micros = 0;
        }
        counts[bucket(micros)]++;
        total++;
        sumMicros += micros;
        if (micros > maxMicros) {
            maxMicros = micros;
        }
    }

    static int bucket(long us) {
        if (us < 10_000) {
            return (int) (us / 10);
        }
        if (us < 100_000) {
            return 1000 + (int) ((us - 10_000) / 100);
        }
        if (us < 10_000_000) {
            return 1900 + (int) ((us - 100_000) / 1000);
        }
        return BUCKETS - 1;
    }

    /** The upper edge of a bucket, in microseconds. */
    static long upper(int b) {
        if (b < 1000) {
            return (b + 1) * 10L;
        }
        if (b < 1900) {
            return 10_000 + (b - 1000 + 1) * 100L;
        }
        if (b < BUCKETS - 1) {
            return 100_000 + (b - 1900 + 1) * 1000L;
        }
        return 10_000_000;
    }

    void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sumMicros += other.sumMicros;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    long count() {
        return total;
    }

    long maxMicros() {
        return maxMicros;
    }

    double meanMicros() {
        return total == 0 ? 0 : (double) sumMicros / total;
    }

    /** The p-th percentile (0..100) in microseconds, -1 if empty. */
    long percentile(double p) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(p / 100.0 * total);
        rank = Math.max(1, Math.min(total, rank));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upper(i), maxMicros);
            }
        }
        return maxMicros;
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        sumMicros = 0;
        maxMicros = 0;
    }
}
