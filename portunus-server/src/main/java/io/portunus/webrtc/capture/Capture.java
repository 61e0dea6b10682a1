package io.portunus.webrtc.capture;

import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One running capture: the tap the media thread calls, a bounded queue, and one writer thread
 * that formats and writes. The media thread only copies the kept bytes and offers them; when
 * the queue is full the packet is dropped and counted, so a slow disk never delays media. A
 * write error (a full disk) or the size cap ends the capture from the writer thread: the file
 * is closed, and {@code onEnd} is told why.
 */
public final class Capture implements CaptureTap {
    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);
    public static final int DEFAULT_QUEUE = 8192;
    private static final long TICK_MS = 200;

    private record Packet(boolean incoming, boolean rtcp, byte[] saved, int fullLen, long epochMicros) {
    }

    private static final Packet END = new Packet(false, false, new byte[0], 0, 0);

    private final CaptureFormat format;
    private final Path file;
    private final int truncate;
    private final long maxBytes;
    private final long sessionId;
    private final long handleId;
    private final ZoneId zone = ZoneId.systemDefault();
    private final ArrayBlockingQueue<Packet> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile String endReason;
    private final Runnable tick;
    private final Consumer<String> onEnd;

    /**
     * @param tick  run on the writer thread about every 200 ms (the owner's upkeep)
     * @param onEnd told, on the writer thread, when the capture ends by itself (write error, size
     *              cap), with the reason; not called after {@link #stop()}
     */
    public Capture(CaptureFormat format, Path file, FileChannel channel, int truncate, long maxBytes,
                   long sessionId, long handleId, int queueSize, Runnable tick, Consumer<String> onEnd) {
        this.format = format;
        this.file = file;
        this.truncate = Math.max(0, truncate);
        this.maxBytes = maxBytes;
        this.sessionId = sessionId;
        this.handleId = handleId;
        this.queue = new ArrayBlockingQueue<>(Math.max(16, queueSize));
        this.tick = tick == null ? () -> { } : tick;
        this.onEnd = onEnd == null ? r -> { } : onEnd;
        Threads.startDaemon("capture-" + Long.toUnsignedString(handleId), () -> run(channel));
    }

    @Override
    public void packet(boolean incoming, boolean rtcp, byte[] buf, int off, int len, long epochMicros) {
        if (stopping || len <= 0) {
            return;
        }
        int keep = truncate > 0 ? Math.min(len, truncate) : len;
        byte[] saved = Arrays.copyOfRange(buf, off, off + keep);
        if (queue.offer(new Packet(incoming, rtcp, saved, len, epochMicros))) {
            queued.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    /** Stops taking packets; the writer writes what is queued, then closes the file. Never blocks. */
    public void stop() {
        if (!stopping) {
            stopping = true;
            queue.offer(END);
        }
    }

    /** Waits for the file to be closed (tests, shutdown). */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }

    public boolean isRunning() {
        return !stopping;
    }

    public CaptureFormat format() {
        return format;
    }

    public Path file() {
        return file;
    }

    /** Packets dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Packets taken into the queue. */
    public long queued() {
        return queued.get();
    }

    /** Bytes written to the file so far. */
    public long bytesWritten() {
        return written.get();
    }

    /** Why the capture ended by itself, or null. */
    public String endReason() {
        return endReason;
    }

    private void run(FileChannel channel) {
        String failure = null;
        try (channel; OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
            byte[] header = format.fileHeader();
            if (!fits(header.length)) {
                failure = "size cap of " + maxBytes + " bytes reached";
            } else {
                out.write(header);
                written.addAndGet(header.length);
                out.flush();
            }
            long lastTick = System.nanoTime();
            while (failure == null) {
                Packet p = queue.poll(TICK_MS, TimeUnit.MILLISECONDS);
                if (System.nanoTime() - lastTick >= TICK_MS * 1_000_000) {
                    lastTick = System.nanoTime();
                    runTick();
                }
                if (p == null) {
                    if (stopping) {
                        drain(out); // what was queued before stop (its END marker may not have fit)
                        break;
                    }
                    out.flush();
                    continue;
                }
                if (p == END) {
                    drain(out);
                    break;
                }
                failure = write(out, p);
                if (failure == null && queue.isEmpty()) {
                    out.flush();
                }
            }
            if (failure == null) {
                out.flush();
            }
        } catch (IOException e) {
            failure = "write error: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = "internal error: " + e;
        } finally {
            if (failure != null) {
                stopping = true;
                endReason = failure;
                queue.clear();
                if (failure.startsWith("size cap")) {
                    LOG.warn("{} capture {} ended: {}", format.verbName(), file, failure);
                } else {
                    LOG.error("{} capture {} stopped: {}", format.verbName(), file, failure);
                }
                try {
                    onEnd.accept(failure);
                } catch (RuntimeException e) {
                    LOG.warn("Capture end handling failed: {}", e.toString());
                }
            } else if (dropped.get() > 0) {
                LOG.warn("{} capture {}: {} packets dropped (the disk was too slow)", format.verbName(), file, dropped.get());
            }
            closed.countDown();
        }
    }

    private void drain(OutputStream out) throws IOException {
        Packet p;
        while ((p = queue.poll()) != null) {
            if (p != END && write(out, p) != null) {
                return;
            }
        }
        out.flush();
    }

    /** Writes one packet; returns why the capture must end, or null. */
    private String write(OutputStream out, Packet p) throws IOException {
        byte[] rec = format.record(p.incoming, p.rtcp, p.saved, p.fullLen, p.epochMicros, sessionId, handleId, zone);
        if (!fits(rec.length)) {
            out.flush();
            // A size cap is a clean end: not an error, but the owner is told all the same.
            return "size cap of " + maxBytes + " bytes reached";
        }
        out.write(rec);
        written.addAndGet(rec.length);
        return null;
    }

    private boolean fits(int more) {
        return maxBytes <= 0 || written.get() + more <= maxBytes;
    }

    private void runTick() {
        try {
            tick.run();
        } catch (RuntimeException e) {
            LOG.warn("Capture upkeep failed: {}", e.toString());
        }
    }
}
