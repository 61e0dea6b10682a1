package io.portunus.dashboard;

import io.portunus.core.spi.OperatorRoutes;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One browser's share of the live feed: a bounded queue of lines. {@link #offer} never blocks:
 * when the browser reads too slowly the queue fills and further lines are dropped and counted
 * (the browser is told how many, in a {@code {"feed":{"dropped":N}}} line, once it reads again),
 * so a slow browser loses its own updates and nobody else's.
 */
public final class FeedQueue implements OperatorRoutes.Stream {
    private final ArrayBlockingQueue<byte[]> lines;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    /** Set while the writer has been woken and not yet found the queue empty: one wake-up per burst. */
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Runnable onClose;
    private volatile Runnable wake = () -> { };
    private long droppedReported;

    FeedQueue(int capacity, Runnable onClose) {
        this.lines = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    /** Queues a line for this browser; false (counted) when its queue is full. */
    public boolean offer(byte[] line) {
        if (!lines.offer(line)) {
            dropped.incrementAndGet();
            return false;
        }
        if (signalled.compareAndSet(false, true)) {
            try {
                wake.run();
            } catch (RuntimeException e) {
                // The connection's loop is shutting down (server stopping): its close ends this browser anyway.
            }
        }
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public int waiting() {
        return lines.size();
    }

    @Override
    public void open(Runnable wakeUp) {
        this.wake = wakeUp;
        if (!lines.isEmpty() && signalled.compareAndSet(false, true)) {
            wakeUp.run();
        }
    }

    @Override
    public byte[] next() {
        long lost = dropped.get();
        if (lost != droppedReported) {
            droppedReported = lost;
            return ("{\"feed\":{\"dropped\":" + lost + "}}\n").getBytes(StandardCharsets.US_ASCII);
        }
        byte[] line = lines.poll();
        if (line == null) {
            signalled.set(false);
            // A line offered between the poll and the reset found the flag still set and did not wake us.
            line = lines.poll();
            if (line == null) {
                return null;
            }
            signalled.set(true);
        }
        delivered.incrementAndGet();
        return line;
    }

    @Override
    public void closed() {
        onClose.run();
    }
}
