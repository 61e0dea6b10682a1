package io.portunus.eventhandlers.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Delay from an event's emission (its {@code timestamp}) to Kafka's acknowledgement of the
 * record, recorded from the producer's delivery reports: log-linear buckets (16 per power of
 * two, so within 6 %), lock-free, a few kilobytes. Read by the handler's {@code status} request.
 */
final class AckDelays {
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = 64 * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long micros) {
        counts.incrementAndGet(bucket(Math.max(0, micros)));
    }

    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
        return (exp - SUB_BITS + 1) * SUB + sub;
    }

    /** The upper edge of a bucket, in microseconds. */
    static long upper(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exp = bucket / SUB + SUB_BITS - 1;
        int sub = bucket % SUB;
        return ((long) (SUB + sub + 1) << (exp - SUB_BITS)) - 1;
    }

    void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }

    ObjectNode summary() {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        ObjectNode s = Json.object();
        s.put("count", total);
        if (total == 0) {
            return s;
        }
        s.put("p50_us", percentile(snapshot, total, 0.50));
        s.put("p99_us", percentile(snapshot, total, 0.99));
        s.put("p999_us", percentile(snapshot, total, 0.999));
        for (int i = BUCKETS - 1; i >= 0; i--) {
            if (snapshot[i] > 0) {
                s.put("max_us", upper(i));
                break;
            }
        }
        return s;
    }

    private static long percentile(long[] snapshot, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < snapshot.length; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upper(i);
            }
        }
        return upper(snapshot.length - 1);
    }
}
