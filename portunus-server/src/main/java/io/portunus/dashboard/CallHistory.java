package io.portunus.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Calls that ended: detached handles, newest last, bounded by count and by age (both from
 * {@code dashboard.history_calls} and {@code history_seconds}). Janus forgets a handle the
 * moment it detaches; this keeps it long enough for an operator to ask why a call ended.
 */
final class CallHistory {
    private final int maxCalls;
    private final long maxAgeMicros;
    private final LongSupplier wallMicros;
    private final ArrayDeque<HandleRecord> calls = new ArrayDeque<>();

    /** @param wallMicros the clock the age is measured by (the events' timestamps are wall-clock µs) */
    CallHistory(int maxCalls, long maxAgeSeconds, LongSupplier wallMicros) {
        this.maxCalls = maxCalls;
        this.maxAgeMicros = maxAgeSeconds * 1_000_000L;
        this.wallMicros = wallMicros;
    }

    synchronized void add(HandleRecord call) {
        calls.addLast(call);
        prune();
    }

    /** Newest first. */
    synchronized List<HandleRecord> list() {
        prune();
        List<HandleRecord> newestFirst = new ArrayList<>(calls.size());
        Iterator<HandleRecord> it = calls.descendingIterator();
        while (it.hasNext()) {
            newestFirst.add(it.next());
        }
        return newestFirst;
    }

    synchronized HandleRecord find(long handleId) {
        prune();
        for (HandleRecord r : calls) {
            if (r.handleId == handleId) {
                return r;
            }
        }
        return null;
    }

    synchronized int size() {
        prune();
        return calls.size();
    }

    private void prune() {
        while (calls.size() > maxCalls) {
            calls.removeFirst();
        }
        long oldest = wallMicros.getAsLong() - maxAgeMicros;
        while (!calls.isEmpty() && calls.peekFirst().endedMicros() < oldest) {
            calls.removeFirst();
        }
    }
}
