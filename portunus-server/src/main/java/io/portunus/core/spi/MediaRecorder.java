package io.portunus.core.spi;

import java.util.Map;

/**
 * Records plugins' streams as Janus records them ({@code .mjr}, one file per stream, readable by
 * Janus's {@code janus-pp-rec}), confined to Portunus's recordings root
 * ({@code general.recordings_folder}): no {@code ..}, no absolute path or symbolic link leading
 * out of it, never an existing file, Janus's {@code protected_folders} refused.
 */
public interface MediaRecorder {

    /** Why a folder or file was refused; the message is meant for the client. */
    final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Checks a folder as a request names it ({@code rec_dir}; relative to the root, or absolute
     * inside it) without touching the disk.
     */
    void checkFolder(String folder) throws Refused;

    /**
     * Checks a recording's base name as a request names it ({@code filename}): a file name, or a
     * relative path whose folders are checked as {@link #checkFolder} does.
     */
    void checkName(String name) throws Refused;

    /**
     * Creates {@code <folder>/<name>.mjr} (folders made as needed) and returns its recording.
     *
     * @param folder     the folder (null: the root)
     * @param name       the file's name without {@code .mjr}; may hold relative folders
     * @param video      video (header {@code "t": "v"}) or audio ({@code "a"})
     * @param codec      Janus's codec name ({@code opus}, {@code vp8}, ...)
     * @param extensions RTP header extensions to name in the header ({@code "x"}): id to URI
     */
    StreamRecording open(String folder, String name, boolean video, String codec, Map<Integer, String> extensions)
            throws Refused;
}
