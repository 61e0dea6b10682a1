package io.portunus.events;

import io.portunus.core.event.SerializedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A handler's durable queue on disk (Portunus's own, opt-in): append-only segment files
 * {@code <n>.spool} of records {@code [int length][int type][long timestamp][long seq][json]}
 * and a {@code cursor} file naming the first record not yet delivered. Delivery is at least
 * once: a batch delivered just before a crash, whose cursor was not yet saved, is sent again
 * (the {@code seq} header lets a backend drop the duplicate). Writes go to the OS without
 * fsync, so the spool survives the process, not a power cut.
 */
public final class DiskSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
    private static final int HEADER = 4 + 4 + 8 + 8;
    static final long SEGMENT_BYTES = 8L << 20;

    private final Path folder;
    private final long maxBytes;
    /** Segment number → its channel; the last is the one written. */
    private final TreeMap<Long, FileChannel> segments = new TreeMap<>();
    private long readSegment;
    private long readOffset;
    private long pendingSegment;
    private long pendingOffset;
    private long backlogEvents;
    private long backlogBytes;
    private boolean closed;

    public DiskSpool(Path folder, long maxBytes) throws IOException {
        this.folder = folder;
        this.maxBytes = maxBytes;
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".spool")) {
                    long index = Long.parseLong(n.substring(0, n.length() - ".spool".length()));
                    segments.put(index, open(index));
                }
            }
        }
        Path cursor = folder.resolve("cursor");
        if (Files.exists(cursor)) {
            String[] parts = Files.readString(cursor).trim().split(" ");
            readSegment = Long.parseLong(parts[0]);
            readOffset = Long.parseLong(parts[1]);
        } else {
            readSegment = segments.isEmpty() ? 0 : segments.firstKey();
        }
        segments.headMap(readSegment).keySet().stream().toList().forEach(this::delete);
        if (segments.isEmpty()) {
            segments.put(readSegment, open(readSegment));
            readOffset = 0;
        }
        countBacklog();
        if (backlogEvents > 0) {
            LOG.info("Spool {}: {} events from a previous run will be delivered first", folder, backlogEvents);
        }
    }

    public Path folder() {
        return folder;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized long backlogEvents() {
        return backlogEvents;
    }

    public synchronized long backlogBytes() {
        return backlogBytes;
    }

    /** Appends events; returns false (nothing written) when the spool would exceed its size. */
    public synchronized boolean append(List<SerializedEvent> events) throws IOException {
        int size = 0;
        for (SerializedEvent e : events) {
            size += HEADER + e.json().length;
        }
        if (backlogBytes + size > maxBytes) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (SerializedEvent e : events) {
            buf.putInt(e.json().length).putInt(e.type()).putLong(e.timestampMicros()).putLong(e.seq()).put(e.json());
        }
        buf.flip();
        FileChannel last = segments.lastEntry().getValue();
        if (last.size() >= SEGMENT_BYTES) {
            long next = segments.lastKey() + 1;
            last = open(next);
            segments.put(next, last);
        }
        while (buf.hasRemaining()) {
            last.write(buf, last.size());
        }
        backlogEvents += events.size();
        backlogBytes += size;
        notifyAll();
        return true;
    }

    /**
     * The next events (up to {@code max}) from the cursor, waiting until there is one. They
     * stay in the spool until {@link #commit}.
     */
    public synchronized List<SerializedEvent> read(int max) throws InterruptedException, IOException {
        while (backlogEvents == 0 && !closed) {
            wait();
        }
        if (closed) {
            throw new InterruptedException("spool closed");
        }
        List<SerializedEvent> out = new ArrayList<>();
        long segment = readSegment;
        long offset = readOffset;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (out.size() < max && out.size() < backlogEvents) {
            FileChannel ch = segments.get(segment);
            if (offset >= ch.size()) {
                Long next = segments.higherKey(segment);
                if (next == null) {
                    break;
                }
                segment = next;
                offset = 0;
                continue;
            }
            header.clear();
            readFully(ch, header, offset);
            header.flip();
            int len = header.getInt();
            int type = header.getInt();
            long ts = header.getLong();
            long seq = header.getLong();
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(ch, body, offset + HEADER);
            out.add(new SerializedEvent(body.array(), type, ts, seq));
            offset += HEADER + len;
        }
        pendingSegment = segment;
        pendingOffset = offset;
        return out;
    }

    /** Marks the {@code count} events of the last {@link #read} delivered. */
    public synchronized void commit(int count) throws IOException {
        long bytes = 0;
        // Recount the bytes consumed for the backlog figure.
        if (pendingSegment == readSegment) {
            bytes = pendingOffset - readOffset;
        } else {
            bytes = segments.get(readSegment).size() - readOffset;
            for (long s : segments.subMap(readSegment, false, pendingSegment, false).keySet()) {
                bytes += segments.get(s).size();
            }
            bytes += pendingOffset;
        }
        for (long s : segments.headMap(pendingSegment).keySet().stream().toList()) {
            delete(s);
        }
        readSegment = pendingSegment;
        readOffset = pendingOffset;
        backlogEvents -= count;
        backlogBytes -= bytes;
        Path tmp = folder.resolve("cursor.tmp");
        Files.writeString(tmp, readSegment + " " + readOffset + "\n");
        Files.move(tmp, folder.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        for (FileChannel ch : segments.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("Closing a spool segment: {}", e.toString());
            }
        }
    }

    private void countBacklog() throws IOException {
        long segment = readSegment;
        long offset = readOffset;
        ByteBuffer header = ByteBuffer.allocate(4);
        while (true) {
            FileChannel ch = segments.get(segment);
            if (offset + HEADER > ch.size()) {
                if (offset < ch.size()) {
                    // A record cut short by a crash: cut it off so that appends stay readable.
                    LOG.warn("Spool {}: truncating a partial record in segment {}", folder, segment);
                    ch.truncate(offset);
                }
                Long next = segments.higherKey(segment);
                if (next == null) {
                    return;
                }
                segment = next;
                offset = 0;
                continue;
            }
            header.clear();
            readFully(ch, header, offset);
            int len = header.flip().getInt();
            if (offset + HEADER + len > ch.size()) {
                LOG.warn("Spool {}: truncating a partial record in segment {}", folder, segment);
                ch.truncate(offset);
                continue;
            }
            backlogEvents++;
            backlogBytes += HEADER + len;
            offset += HEADER + len;
        }
    }

    private FileChannel open(long index) throws IOException {
        return FileChannel.open(segmentPath(index), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    private Path segmentPath(long index) {
        return folder.resolve(String.format("%020d.spool", index));
    }

    private void delete(long index) {
        FileChannel ch = segments.remove(index);
        try {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(segmentPath(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("spool segment ends inside a record");
            }
            pos += n;
        }
    }
}
