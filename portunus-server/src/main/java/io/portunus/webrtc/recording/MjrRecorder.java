package io.portunus.webrtc.recording;

import io.portunus.config.CoreSettings;
import io.portunus.core.Clock;
import io.portunus.core.spi.MediaRecorder;
import io.portunus.core.spi.StreamRecording;
import io.portunus.net.Threads;
import io.portunus.webrtc.capture.CapturePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code .mjr} recorder: opens recordings inside the recordings root (the same confinement
 * as the Admin API's captures, {@link CapturePaths}) and runs one writer thread that drains every
 * recording's queue. The media thread only queues a packet and, when the recording is not listed
 * yet, lists it and wakes the writer (no lock on that path).
 */
public final class MjrRecorder implements MediaRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(MjrRecorder.class);
    /** Packets queued per stream: ~20 s of Opus, ~2-4 s of 1-2 Mbps video. */
    public static final int DEFAULT_QUEUE = 1024;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final CapturePaths paths;
    private final Clock clock;
    private final int queueSize;
    private final ConcurrentLinkedQueue<MjrRecording> ready = new ConcurrentLinkedQueue<>();
    private final Set<MjrRecording> open = ConcurrentHashMap.newKeySet();
    private volatile Thread writer;
    private volatile boolean stopping;
    /** Whether the writer thread starts with the first recording ({@link #start}). */
    private final boolean threaded;

    /** A recorder without a writer thread: {@link #writeReady} writes (tests; {@link #start} adds the thread). */
    public MjrRecorder(Path root, List<String> protectedFolders, Clock clock, int queueSize) {
        this(root, protectedFolders, clock, queueSize, false);
    }

    private MjrRecorder(Path root, List<String> protectedFolders, Clock clock, int queueSize, boolean threaded) {
        this.threaded = threaded;
        this.paths = new CapturePaths(root, protectedFolders, "recordings root");
        this.clock = clock;
        this.queueSize = queueSize;
    }

    /** The recordings root of these settings: {@code general.recordings_folder}, else ./recordings. */
    public static Path root(CoreSettings settings) {
        String folder = settings.recordingsFolder;
        return Path.of(folder == null ? "recordings" : folder).toAbsolutePath().normalize();
    }

    /**
     * The server's recorder: its writer thread starts with the first recording (a server that
     * never records has none), and its files are closed at shutdown.
     */
    public static MjrRecorder start(CoreSettings settings, Clock clock) {
        return new MjrRecorder(root(settings), settings.protectedFolders, clock, DEFAULT_QUEUE, true);
    }

    private synchronized void startWriter() {
        if (threaded && writer == null) {
            writer = Threads.startDaemon("recorder", this::run);
            Threads.onShutdown("recorder-close", this::shutdown);
        }
    }

    Clock clock() {
        return clock;
    }

    public Path root() {
        return paths.root();
    }

    @Override
    public void checkFolder(String folder) throws Refused {
        try {
            paths.check(folder);
        } catch (CapturePaths.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public void checkName(String name) throws Refused {
        if (name == null || name.isEmpty()) {
            throw new Refused("the file name is empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new Refused("the file name contains a NUL character");
        }
        int slash = name.lastIndexOf('/');
        String last = name.substring(slash + 1);
        if (last.isEmpty() || last.equals(".") || last.equals("..")) {
            throw new Refused("'" + name + "' does not end with a file name");
        }
        if (slash > 0) {
            checkFolder(name.substring(0, slash));
        } else if (slash == 0) {
            checkFolder("/");
        }
    }

    @Override
    public StreamRecording open(String folder, String name, boolean video, String codec, Map<Integer, String> extensions)
            throws Refused {
        checkName(name);
        startWriter();
        int slash = name.lastIndexOf('/');
        String sub = slash < 0 ? null : name.substring(0, Math.max(1, slash));
        String where = sub == null ? folder : sub.startsWith("/") || folder == null || folder.isEmpty() ? sub : folder + "/" + sub;
        Path dir;
        try {
            dir = paths.folder(where);
        } catch (CapturePaths.Refused e) {
            throw new Refused(e.getMessage());
        }
        Path file = dir.resolve(name.substring(slash + 1) + ".mjr");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            throw new Refused("file " + file + " already exists");
        } catch (IOException | UnsupportedOperationException e) {
            throw new Refused("cannot create " + file + " (" + e.getMessage() + ")");
        }
        MjrRecording r = new MjrRecording(this, file, channel, video, codec, extensions, clock.wallMicros(),
                clock.monotonicMicros(), queueSize);
        open.add(r);
        LOG.info("Recording {} ({} {})", file, video ? "video" : "audio", codec);
        return r;
    }

    /** Recordings whose files are open. */
    public int openRecordings() {
        return open.size();
    }

    /** Lists a recording with something to write and wakes the writer; from any thread, never blocks. */
    void ready(MjrRecording r) {
        if (r.scheduled.compareAndSet(false, true)) {
            ready.add(r);
            Thread w = writer;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Writes what every listed recording queued (the writer thread; tests call it directly). Returns how many. */
    public int writeReady() {
        int n = 0;
        MjrRecording r;
        while ((r = ready.poll()) != null) {
            r.scheduled.set(false);
            if (r.writeQueued()) {
                open.remove(r);
            }
            n++;
        }
        return n;
    }

    private void run() {
        while (true) {
            try {
                writeReady();
            } catch (RuntimeException e) {
                LOG.error("Recorder: {}", e.toString());
            }
            if (stopping && ready.isEmpty()) {
                return;
            }
            LockSupport.parkNanos(IDLE_NANOS);
        }
    }

    /** At shutdown: every recording closed after what it queued is written (at most 2 s). */
    private void shutdown() {
        open.forEach(MjrRecording::close);
        stopping = true;
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
