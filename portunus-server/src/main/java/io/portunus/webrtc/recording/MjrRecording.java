package io.portunus.webrtc.recording;

import io.portunus.core.spi.StreamRecording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code .mjr} file being recorded. The media thread copies each packet, stamps it with the
 * monotonic clock and offers it to a bounded queue ({@link #rtp}); the recorder's writer thread
 * ({@link MjrRecorder}) drains the queue into the file ({@link #writeQueued}). A full queue drops
 * the packet and counts it: the media thread never waits for the disk.
 */
public final class MjrRecording implements StreamRecording {
    private static final Logger LOG = LoggerFactory.getLogger(MjrRecording.class);

    private record Frame(long monotonicMicros, byte[] rtp) {
    }

    private final MjrRecorder recorder;
    private final Path file;
    private final FileChannel channel;
    private final boolean video;
    private final String codec;
    private final Map<Integer, String> extensions;
    private final long createdWallMicros;
    private final long createdMonotonicMicros;
    private final ArrayBlockingQueue<Frame> queue;
    /** Whether it waits in the recorder's ready list (so that it is listed once). */
    final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean closing;
    // The writer thread's own:
    private boolean closed;
    private long firstFrameMicros = -1;
    private final ByteBuffer out = ByteBuffer.allocate(1 << 16);

    MjrRecording(MjrRecorder recorder, Path file, FileChannel channel, boolean video, String codec,
                 Map<Integer, String> extensions, long createdWallMicros, long createdMonotonicMicros, int queueSize) {
        this.recorder = recorder;
        this.file = file;
        this.channel = channel;
        this.video = video;
        this.codec = codec;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        this.createdWallMicros = createdWallMicros;
        this.createdMonotonicMicros = createdMonotonicMicros;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
    }

    @Override
    public void rtp(byte[] buffer, int offset, int length) {
        if (closing) {
            return;
        }
        if (length < 12 || length > 0xffff) {
            dropped.incrementAndGet();
            return;
        }
        Frame f = new Frame(recorder.clock().monotonicMicros(), Arrays.copyOfRange(buffer, offset, offset + length));
        if (queue.offer(f)) {
            recorder.ready(this);
        } else {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void close() {
        if (!closing) {
            closing = true;
            recorder.ready(this);
        }
    }

    @Override
    public String fileName() {
        return file.getFileName().toString();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /** Frames written to the file. */
    public long frames() {
        return frames.get();
    }

    public Path file() {
        return file;
    }

    /** Whether it stopped taking packets. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Writer thread: writes every queued packet; closes the file once {@link #close} was called and
     * the queue is empty. Returns whether the file is closed.
     */
    boolean writeQueued() {
        if (closed) {
            return true;
        }
        try {
            Frame f;
            while ((f = queue.poll()) != null) {
                if (firstFrameMicros < 0) {
                    firstFrameMicros = f.monotonicMicros;
                    long firstWall = createdWallMicros + (firstFrameMicros - createdMonotonicMicros);
                    out.put(MjrFormat.header(video, codec, extensions, createdWallMicros, firstWall));
                }
                if (out.remaining() < MjrFormat.FRAME_OVERHEAD + f.rtp.length) {
                    flush();
                }
                MjrFormat.frame(out, (f.monotonicMicros - firstFrameMicros) / 1000, f.rtp, 0, f.rtp.length);
                frames.incrementAndGet();
            }
            flush();
            if (closing && queue.isEmpty()) {
                finish();
            }
        } catch (IOException e) {
            LOG.error("Recording {} stopped: write error: {}", file, e.getMessage());
            closing = true;
            dropped.addAndGet(queue.size());
            queue.clear();
            finish();
        }
        return closed;
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    private void finish() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Recording {}: close failed: {}", file, e.getMessage());
        }
        if (dropped.get() > 0) {
            LOG.warn("Recording {} closed: {} frames written, {} dropped (the disk was too slow)", file, frames.get(), dropped.get());
        } else {
            LOG.info("Recording {} closed: {} frames written", file, frames.get());
        }
    }
}
