package io.portunus.events;

import io.portunus.config.jcfg.ConfigGroup;

import java.nio.file.Path;

/**
 * Portunus's own per-handler options, read from the handler's {@code general} group next to
 * Janus's: the memory queue's size and the optional disk spool. With none of them set a
 * handler behaves as in Janus, except that its queue is bounded.
 *
 * @param queueSize  {@code queue_size}: events kept in memory before drops start (default 65,536)
 * @param spool      {@code spool}: keep events on disk until delivered (default false)
 * @param spoolFolder {@code spool_folder}: where (default {@code <tmp>/portunus-spool/<package>})
 * @param spoolMaxBytes {@code spool_max_size} in MiB (default 1,024): beyond it new events are dropped, counted
 */
public record PipeOptions(int queueSize, boolean spool, Path spoolFolder, long spoolMaxBytes) {
    public static final int DEFAULT_QUEUE_SIZE = 65_536;

    public static PipeOptions from(ConfigGroup general, String packageName) {
        int queue = (int) general.integer("queue_size", DEFAULT_QUEUE_SIZE);
        if (queue < 1) {
            throw new IllegalArgumentException("queue_size must be at least 1, got " + queue);
        }
        String folder = general.string("spool_folder", null);
        Path spoolFolder = folder != null ? Path.of(folder)
                : Path.of(System.getProperty("java.io.tmpdir"), "portunus-spool", packageName);
        long maxMiB = general.integer("spool_max_size", 1024);
        return new PipeOptions(queue, general.bool("spool", false), spoolFolder, maxMiB << 20);
    }
}
