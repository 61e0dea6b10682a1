package io.portunus.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.event.Event;
import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The dashboard's live feed: every event, as one JSON line, to every subscribed browser.
 *
 * <p>The emitting thread (often a media loop) only puts the typed event into one bounded
 * intake queue, and only while some browser is subscribed; the feed's own thread serialises
 * it once and offers the line to each browser's {@link FeedQueue}, in batches (see {@link #fanOut}). So a hundred browsers cost
 * the emitting thread what one does, and a slow browser fills its own queue and nothing else.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    static final int INTAKE_CAPACITY = 8192;
    /** How long the feed thread gathers events before handing them to the browsers. */
    static final long BATCH_MILLIS = 100;
    /** Lines in one batch at most (a burst is handed on at once rather than held). */
    static final int MAX_BATCH = 512;

    private record Pending(Event event, long timestampMicros) {
    }

    private final int queueSize;
    private final int maxBrowsers;
    private final BiFunction<Event, Long, byte[]> serializer;
    private final ArrayBlockingQueue<Pending> intake = new ArrayBlockingQueue<>(INTAKE_CAPACITY);
    private final CopyOnWriteArrayList<FeedQueue> browsers = new CopyOnWriteArrayList<>();
    private final AtomicLong intakeDropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong droppedByGoneBrowsers = new AtomicLong();
    private volatile Thread writer;

    /** @param serializer an event and its timestamp to the JSON bytes handlers get */
    public LiveFeed(int queueSize, int maxBrowsers, BiFunction<Event, Long, byte[]> serializer) {
        this.queueSize = queueSize;
        this.maxBrowsers = maxBrowsers;
        this.serializer = serializer;
    }

    public void start() {
        writer = Threads.startDaemon("portunus-dashboard-feed", this::fanOut);
    }

    /** From the emitting thread: never blocks, and does nothing while no browser listens. */
    public void publish(Event event, long timestampMicros) {
        if (browsers.isEmpty()) {
            return;
        }
        if (!intake.offer(new Pending(event, timestampMicros))) {
            intakeDropped.incrementAndGet();
        }
    }

    /** A new browser's queue, or null when {@code feed_browsers} are already subscribed. */
    public FeedQueue subscribe() {
        synchronized (browsers) {
            if (browsers.size() >= maxBrowsers) {
                return null;
            }
            FeedQueue[] self = new FeedQueue[1];
            self[0] = new FeedQueue(queueSize, () -> unsubscribe(self[0]));
            browsers.add(self[0]);
            return self[0];
        }
    }

    private void unsubscribe(FeedQueue queue) {
        if (browsers.remove(queue)) {
            droppedByGoneBrowsers.addAndGet(queue.dropped());
        }
    }

    /** Lines queued for every browser (for the tests and the overview). */
    void broadcast(byte[] line) {
        for (FeedQueue q : browsers) {
            q.offer(line);
        }
    }

    /**
     * The feed thread: serialises each event once and hands the lines to every browser in
     * batches of up to {@value #BATCH_MILLIS} ms. Per event, each of a hundred browsers cost a
     * wake-up of its connection's loop, a task and a flush (some 15 % of the server's CPU at
     * 150 events a second); per batch it is one of each, and an operator does not see 100 ms.
     */
    private void fanOut() {
        List<byte[]> batch = new ArrayList<>();
        try {
            while (true) {
                addLine(batch, intake.take());
                long flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS);
                while (batch.size() < MAX_BATCH) {
                    long wait = flushAt - System.nanoTime();
                    Pending next = wait > 0 ? intake.poll(wait, TimeUnit.NANOSECONDS) : intake.poll();
                    if (next == null) {
                        break;
                    }
                    addLine(batch, next);
                }
                for (FeedQueue q : browsers) {
                    for (byte[] line : batch) {
                        q.offer(line);
                    }
                }
                // Counted once handed on, so "published" never runs ahead of what browsers got.
                published.addAndGet(batch.size());
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close(): the server is stopping.
        }
    }

    private void addLine(List<byte[]> batch, Pending p) {
        byte[] json;
        try {
            json = serializer.apply(p.event(), p.timestampMicros());
        } catch (RuntimeException e) {
            LOG.warn("Dashboard feed cannot serialise {}: {}", p.event(), e.toString());
            return;
        }
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        batch.add(line);
    }

    public int browsers() {
        return browsers.size();
    }

    /** The feed's counters, for the overview: what each browser lost is its own figure. */
    public ObjectNode stats() {
        ObjectNode s = Json.object();
        s.put("browsers", browsers.size());
        s.put("max_browsers", maxBrowsers);
        s.put("queue_size", queueSize);
        s.put("published", published.get());
        s.put("intake_dropped", intakeDropped.get());
        long dropped = droppedByGoneBrowsers.get();
        for (FeedQueue q : browsers) {
            dropped += q.dropped();
        }
        s.put("browser_dropped", dropped);
        return s;
    }

    @Override
    public void close() {
        Thread t = writer;
        if (t != null) {
            t.interrupt();
        }
    }
}
