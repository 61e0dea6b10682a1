package io.portunus.webrtc.capture;

import java.time.Instant;

/**
 * Where a PeerConnection hands its plain (decrypted) RTP and RTCP when a capture runs: incoming
 * packets right after SRTP unprotect, outgoing ones right before SRTP protect (media.md §7).
 * Called on the media I/O thread; an implementation copies what it keeps and returns at once.
 */
public interface CaptureTap {
    /**
     * @param incoming    true for packets from the peer, false for packets to it
     * @param rtcp        true for RTCP (text2pcap labels it), false for RTP
     * @param epochMicros wall-clock time of the packet, microseconds since the epoch
     */
    void packet(boolean incoming, boolean rtcp, byte[] buf, int off, int len, long epochMicros);

    /** Wall-clock microseconds, as the taps stamp packets (Janus uses gettimeofday). */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
