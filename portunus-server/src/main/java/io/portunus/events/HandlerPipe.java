package io.portunus.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One handler's bounded queue and the thread that feeds it to the handler. {@link #offer}
 * never blocks: when the queue is full the event is dropped and counted, and the drop is
 * logged (at once, then summed up at most every {@link #DROP_LOG_INTERVAL_NANOS}) so that no
 * event is ever lost silently. With a {@link DiskSpool}, a second thread moves the queue to
 * disk and the sender delivers from there, retrying forever: an outage then loses nothing.
 */
public final class HandlerPipe implements EventHandlerContext {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerPipe.class);
    static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Retry pauses: short, so that delivery resumes within a second of a backend's return. */
    static final long FIRST_RETRY_BACKOFF_MS = 50;
    static final long MAX_RETRY_BACKOFF_MS = 500;

    private final EventHandler handler;
    private final LongSupplier nanoTime;
    private final String name;
    private final String serverName;
    private final ArrayBlockingQueue<SerializedEvent> queue;
    private final int capacity;
    private volatile DiskSpool spool;
    private final LongAdder offered = new LongAdder();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong lastDropLogNanos = new AtomicLong();
    private final AtomicLong droppedWhenLogged = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile int inFlight;
    /** The metrics' delivery-latency hook (io.portunus.metrics), or null. */
    private volatile DeliveryObserver deliveryObserver;

    /** Told of each batch the handler took, off the emitting threads (on the pipe's own thread). */
    public interface DeliveryObserver {
        /** {@code oldestTimestampMicros}: the wall-clock stamp of the batch's first (oldest) event. */
        void delivered(int events, long oldestTimestampMicros);
    }

    public void observeDeliveries(DeliveryObserver observer) {
        deliveryObserver = observer;
    }

    private void observed(List<SerializedEvent> batch) {
        DeliveryObserver o = deliveryObserver;
        if (o != null && !batch.isEmpty()) {
            o.delivered(batch.size(), batch.get(0).timestampMicros());
        }
    }
    private volatile boolean stopping;

    /** Memory only until {@link #useSpool}: a batch the handler gives up on is then dropped. */
    public HandlerPipe(EventHandler handler, String serverName, int capacity) {
        this(handler, serverName, capacity, System::nanoTime);
    }

    /** With the time source of the drop log's interval (tests move it instead of waiting 10 s). */
    HandlerPipe(EventHandler handler, String serverName, int capacity, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.handler = handler;
        this.name = handler.info().packageName();
        this.serverName = serverName;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Keeps events on disk until delivered; call before {@link #start}. */
    public void useSpool(DiskSpool diskSpool) {
        this.spool = diskSpool;
    }

    public EventHandler handler() {
        return handler;
    }

    public String name() {
        return name;
    }

    public int mask() {
        return handler.mask();
    }

    public void start() {
        if (spool != null) {
            threads.add(Threads.startDaemon("portunus-evh-spool-" + name, this::spoolLoop));
            threads.add(Threads.startDaemon("portunus-evh-" + name, this::sendFromSpoolLoop));
        } else {
            threads.add(Threads.startDaemon("portunus-evh-" + name, this::sendLoop));
        }
    }

    /** Queues an event for the handler; never blocks. */
    public void offer(SerializedEvent event) {
        offered.increment();
        if (!queue.offer(event)) {
            drop(1, "queue full, " + capacity + " events waiting");
        }
    }

    @Override
    public String serverName() {
        return serverName;
    }

    @Override
    public void dropOldestBeyond(int keep) {
        int n = 0;
        while (queue.size() > keep && queue.poll() != null) {
            n++;
        }
        if (n > 0) {
            drop(n, "over the cap of " + keep + " events while the backend is away");
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    /** Counters for the {@code stats} request of {@code query_eventhandler} (Portunus's own). */
    public ObjectNode stats() {
        ObjectNode s = Json.object();
        s.put("events", EventMask.describe(handler.mask()));
        s.put("offered", offered.sum());
        s.put("delivered", delivered.get());
        s.put("dropped", dropped.get());
        s.put("failed_attempts", failedAttempts.get());
        s.put("queued", queue.size());
        s.put("in_delivery", inFlight);
        s.put("queue_size", capacity);
        if (spool != null) {
            ObjectNode sp = s.putObject("spool");
            sp.put("folder", spool.folder().toString());
            sp.put("backlog_events", spool.backlogEvents());
            sp.put("backlog_bytes", spool.backlogBytes());
        }
        return s;
    }

    /**
     * Delivers in order from memory. A batch the handler fails to deliver (backend away or
     * refusing) stays at the head and is retried, the pause growing from
     * {@link #FIRST_RETRY_BACKOFF_MS} to {@link #MAX_RETRY_BACKOFF_MS} so that delivery resumes
     * within a second of the backend's return; meanwhile new events wait in the queue, and
     * only what finds the queue full is dropped.
     */
    private void sendLoop() {
        int max = Math.max(1, handler.maxBatch());
        try {
            while (true) {
                List<SerializedEvent> batch = nextBatch(max);
                inFlight = batch.size();
                try {
                    deliverUntilDone(batch);
                    delivered.addAndGet(batch.size());
                    observed(batch);
                } catch (InterruptedException e) {
                    drop(batch.size(), "server stopping during delivery");
                    return;
                } finally {
                    inFlight = 0;
                }
                logDropsIfDue();
            }
        } catch (InterruptedException e) {
            // stop() interrupts a thread waiting for events: nothing is lost here.
        }
    }

    /** Retries one batch until the handler takes it; only an interrupt (stop) ends it undelivered. */
    private void deliverUntilDone(List<SerializedEvent> batch) throws InterruptedException {
        long backoff = FIRST_RETRY_BACKOFF_MS;
        long failuresInARow = 0;
        while (true) {
            try {
                handler.deliver(batch);
                if (failuresInARow > 0) {
                    LOG.info("Event handler {}: delivering again after {} failed attempt(s)", name, failuresInARow);
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | LinkageError | AssertionError e) {
                // An Error from a handler's bug must not kill the thread and silently stop delivery.
                failedAttempts.incrementAndGet();
                if (failuresInARow++ == 0 || failuresInARow % 100 == 0) {
                    LOG.warn("Event handler {}: delivery failed ({}); {} event(s) kept in the queue, retrying",
                            name, reason(e), queue.size() + batch.size());
                }
                if (stopping) {
                    throw new InterruptedException("stopping");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
            }
            logDropsIfDue();
        }
    }

    private List<SerializedEvent> nextBatch(int max) throws InterruptedException {
        List<SerializedEvent> batch = new ArrayList<>(Math.min(max, 128));
        batch.add(queue.take());
        if (max > 1) {
            queue.drainTo(batch, max - 1);
        }
        return batch;
    }

    private void spoolLoop() {
        try {
            while (true) {
                List<SerializedEvent> batch = nextBatch(1024);
                inFlight = batch.size();
                try {
                    if (!spool.append(batch)) {
                        drop(batch.size(), "spool full (" + spool.maxBytes() + " bytes)");
                    }
                } catch (IOException e) {
                    drop(batch.size(), "cannot write the spool: " + e.getMessage());
                } finally {
                    inFlight = 0;
                }
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** Delivers from the spool in order; a failed batch stays at its head and is retried. */
    private void sendFromSpoolLoop() {
        int max = Math.max(1, handler.maxBatch());
        try {
            while (true) {
                List<SerializedEvent> batch = spool.read(max);
                long backoff = FIRST_RETRY_BACKOFF_MS;
                while (true) {
                    try {
                        handler.deliver(batch);
                        break;
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception | LinkageError | AssertionError e) {
                        if (failedAttempts.incrementAndGet() == 1 || failedAttempts.get() % 100 == 0) {
                            LOG.warn("Event handler {}: delivery failed ({}); {} events kept in the spool, retrying",
                                    name, reason(e), spool.backlogEvents());
                        }
                        Thread.sleep(backoff);
                        backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
                    }
                }
                spool.commit(batch.size());
                delivered.addAndGet(batch.size());
                observed(batch);
                logDropsIfDue();
            }
        } catch (InterruptedException e) {
            // stopping: what is left stays in the spool for the next start
        } catch (IOException e) {
            LOG.error("Event handler {}: spool unusable, delivery stopped: {}", name, e.toString());
        }
    }

    private static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void drop(long n, String why) {
        long total = dropped.addAndGet(n);
        long now = nanoTime.getAsLong();
        long last = lastDropLogNanos.get();
        if ((last == 0 || now - last >= DROP_LOG_INTERVAL_NANOS) && lastDropLogNanos.compareAndSet(last, now)) {
            // Counts every drop since the last line, not only this one.
            long sinceLastLine = total - droppedWhenLogged.getAndSet(total);
            LOG.warn("Event handler {}: dropped {} event(s): {}; {} dropped since start", name, sinceLastLine, why, total);
        }
    }

    /** Sums up drops that happened after the last line, so that none goes unreported for long. */
    private void logDropsIfDue() {
        long total = dropped.get();
        long logged = droppedWhenLogged.get();
        long last = lastDropLogNanos.get();
        long now = nanoTime.getAsLong();
        if (total > logged && now - last >= DROP_LOG_INTERVAL_NANOS
                && lastDropLogNanos.compareAndSet(last, now)) {
            droppedWhenLogged.set(total);
            LOG.warn("Event handler {}: dropped {} more event(s); {} dropped since start", name, total - logged, total);
        }
    }

    /**
     * Stops within {@code graceMillis} in all, even with the backend stuck: lets the queue drain
     * for most of it (the shutdown event should reach the backend), then stops the threads and
     * the handler. With a spool, what is still in memory is appended to it for the next start;
     * without, it is counted as dropped.
     */
    public void stop(long graceMillis) {
        stopping = true;
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        long drainUntil = start + TimeUnit.MILLISECONDS.toNanos(graceMillis * 3 / 5);
        while (System.nanoTime() < drainUntil && (!queue.isEmpty() || inFlight > 0
                || (spool != null && spool.backlogEvents() > 0))) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.forEach(Thread::interrupt);
        long joinUntil = start + TimeUnit.MILLISECONDS.toNanos(graceMillis * 4 / 5);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(1, joinUntil - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<SerializedEvent> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            spoolOrDrop(left);
        }
        // destroy() closes connections; a stuck close must not hold the server's shutdown.
        Thread destroying = Threads.startVirtual("portunus-evh-destroy-" + name, () -> {
            try {
                handler.destroy();
            } catch (RuntimeException e) {
                LOG.warn("Event handler {} failed to stop: {}", name, e.toString());
            }
        });
        try {
            destroying.join(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(50), deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (destroying.isAlive()) {
            LOG.warn("Event handler {}: its backend connection did not close within the shutdown grace; left behind", name);
        }
        if (spool != null) {
            spool.close();
        }
        if (dropped.get() > 0 || (spool != null && spool.backlogEvents() > 0)) {
            LOG.warn("Event handler {} stopped: {} delivered, {} dropped{}", name, delivered.get(), dropped.get(),
                    spool != null ? ", " + spool.backlogEvents() + " left in the spool" : "");
        }
    }

    /** At stop, with the sender gone: events still in memory go to the spool if there is one. */
    private void spoolOrDrop(List<SerializedEvent> left) {
        if (spool != null) {
            try {
                if (spool.append(left)) {
                    return;
                }
                drop(left.size(), "spool full (" + spool.maxBytes() + " bytes) at shutdown");
                return;
            } catch (IOException e) {
                drop(left.size(), "cannot write the spool at shutdown: " + e.getMessage());
                return;
            }
        }
        dropped.addAndGet(left.size());
    }

    boolean stopping() {
        return stopping;
    }
}
