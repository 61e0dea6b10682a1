package io.portunus.core.spi;

/**
 * One stream's recording, a Janus {@code .mjr} file ({@link MediaRecorder#open}). The media thread
 * hands it each decrypted RTP packet: the packet is copied into a bounded queue that a recorder
 * thread drains to the file, so a slow disk never delays media; a full queue drops the packet and
 * counts it.
 */
public interface StreamRecording {

    /** Records one RTP packet (copied; never blocks). */
    void rtp(byte[] buffer, int offset, int length);

    /** Stops taking packets; what is queued is still written, then the file is closed. Never blocks. */
    void close();

    /** The file's name ({@code <name>.mjr}), as {@code handle_info} shows it. */
    String fileName();

    /** Packets dropped because the queue was full (the disk fell behind) or the file failed. */
    long dropped();
}
