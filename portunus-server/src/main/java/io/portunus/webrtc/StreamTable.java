package io.portunus.webrtc;

import io.portunus.media.rtp.RtpHeader;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link MediaStream}s of one PeerConnection and the ways packets find theirs: by mid (the
 * plugin's packets, SDP), by the peer's SSRCs (its RTP and RTCP; simulcast layers and RTX
 * included), and by our own SSRCs (the peer's feedback about what we send). Kept in m-line
 * order, which is the order of handle_info's media and of the stats. Used on the loop, except
 * while the first offer sets the PeerConnection up (before any packet).
 */
final class StreamTable {
    private final Map<String, MediaStream> byMid = new LinkedHashMap<>();
    private final Map<Long, MediaStream> byRemoteSsrc = new HashMap<>();
    /** The streams as an array replaced on each add, for readers off the loop (metrics scrapes). */
    private volatile MediaStream[] published = new MediaStream[0];

    void add(MediaStream stream) {
        byMid.put(stream.mid, stream);
        published = byMid.values().toArray(new MediaStream[0]);
        if (stream.remoteSsrc != 0) {
            byRemoteSsrc.put(stream.remoteSsrc, stream);
        }
        if (stream.remoteRtxSsrc != 0) {
            byRemoteSsrc.put(stream.remoteRtxSsrc, stream);
        }
        if (stream.simulcast != null) {
            stream.simulcast.knownSsrcs().forEach(ssrc -> byRemoteSsrc.put(ssrc, stream));
        }
    }

    /** The peer announced a new SSRC for an m-line (a new track in a renegotiation). */
    void remoteSsrcs(MediaStream stream, long ssrc, long rtxSsrc) {
        byRemoteSsrc.values().removeIf(s -> s == stream);
        stream.remoteSsrc = ssrc;
        stream.remoteRtxSsrc = rtxSsrc;
        add(stream);
    }

    MediaStream byMid(String mid) {
        return byMid.get(mid);
    }

    MediaStream byRemoteSsrc(long ssrc) {
        return byRemoteSsrc.get(ssrc);
    }

    MediaStream byLocalSsrc(long ssrc) {
        for (MediaStream s : byMid.values()) {
            if (s.localSsrc == ssrc || s.localRtxSsrc == ssrc) {
                return s;
            }
        }
        return null;
    }

    /** Every stream, safe to read from any thread (the counters are volatile). */
    MediaStream[] published() {
        return published;
    }

    /** Every stream, in m-line order. */
    Collection<MediaStream> all() {
        return byMid.values();
    }

    /** An SSRC the SDP did not announce: match it by payload type to an m-line (unified plan, one per kind). */
    MediaStream learn(byte[] data, int len) {
        int pt = RtpHeader.payloadType(data, 0);
        long ssrc = RtpHeader.ssrc(data, 0);
        for (MediaStream s : byMid.values()) {
            if (s.simulcast != null) {
                // Simulcast layers are told apart by their rid only, never guessed from the payload type.
                // Layer 0 is the main stream once its media SSRC is known (an RTX of it may come first).
                if (s.simulcast.learn(data, len, ssrc) == 0 && s.simulcast.ssrc(0) != 0) {
                    s.remoteSsrc = s.simulcast.ssrc(0); // layer 0 is the main stream (RR, handle_info)
                    s.remoteRtxSsrc = s.simulcast.rtxSsrc(0);
                }
                if (s.substreamOf(ssrc) >= 0) {
                    byRemoteSsrc.put(ssrc, s);
                    return s;
                }
                continue;
            }
            if (s.payloadType == pt && s.remoteSsrc == 0) {
                s.remoteSsrc = ssrc;
                byRemoteSsrc.put(ssrc, s);
                return s;
            }
            if (s.rtxPayloadType == pt && s.remoteRtxSsrc == 0) {
                s.remoteRtxSsrc = ssrc;
                byRemoteSsrc.put(ssrc, s);
                return s;
            }
        }
        return null;
    }
}
