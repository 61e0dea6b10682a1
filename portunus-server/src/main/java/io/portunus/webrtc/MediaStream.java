package io.portunus.webrtc;

import io.portunus.core.event.MediaStats;
import io.portunus.media.rtcp.RoundTrip;
import io.portunus.media.rtp.LossDetector;
import io.portunus.media.rtp.NackWindow;
import io.portunus.media.rtp.RetransmissionBuffer;
import java.util.Random;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

/**
 * One negotiated audio or video m-line of a PeerConnection: its mid, the peer's SSRCs, ours,
 * the payload types in use, and the counters Janus reports per medium in {@code handle_info}.
 * Touched only on the PeerConnection's I/O thread, except the counters, which are read by the
 * Admin API (plain longs: a torn read of a counter is harmless).
 */
final class MediaStream {
    final String mid;
    final int mindex;
    final boolean video;
    final long localSsrc;
    final long localRtxSsrc;
    volatile long remoteSsrc;
    volatile long remoteRtxSsrc;
    volatile int payloadType = -1;
    volatile int rtxPayloadType = -1;
    volatile String codec;
    boolean send = true;
    boolean recv = true;
    /** The peer's simulcast layers on this m-line, or null without simulcast. */
    SimulcastLayers simulcast;

    /** What we sent, for the peer's NACKs; what we got, to NACK our own losses (video only). */
    final RetransmissionBuffer sent;
    final LossDetector loss = new LossDetector();
    int rtxSequence = new Random().nextInt(0x10000);
    volatile long retransmissionsIn;
    /** Packets we sent again for the peer's NACKs (metrics: retransmissions out). */
    volatile long retransmissionsOut;
    /** packetsIn at the last second tick, for the per-second loss ratio of the metrics' histogram. */
    long packetsInAtTick;

    volatile long packetsIn;
    volatile long bytesIn;
    volatile long packetsOut;
    volatile long bytesOut;
    volatile long nacksIn;
    volatile long nacksOut;
    volatile long lastPacketInMicros;
    volatile boolean receiving;
    volatile int nackQueueMs;
    /** The retransmission window from the RTT (media.md §4); read and written on the loop. */
    final NackWindow nackWindow = new NackWindow();
    volatile long lostByRemote;
    long lostByRemoteAtTick;
    /** For our own SR: the RTP timestamp of the last packet sent and when (µs). */
    long lastSentRtpTimestamp = -1;
    long lastSentMicros;
    /** For our RR: the middle of the peer's last SR NTP time, when it came, and the last interval's counts. */
    long peerLastSr;
    long peerLastSrMicros;
    long reportedHighest;
    long reportedLost;
    long lostAtTick;
    volatile long jitterRemote;
    /** Ask for key frames with FIR: the peer negotiated {@code ccm fir} but not {@code nack pli}. */
    volatile boolean keyFrameByFir;
    private int firSequence;
    /** RTCP BYEs the peer sent for this stream. */
    volatile long byesIn;
    /** The last round trip from the peer's report blocks (ms, 0 until known) and what it came from. */
    volatile int rttMillis;
    private volatile MediaStats.RttValues rttValues;
    private long lastBytesIn;
    private long lastBytesOut;

    MediaStream(String mid, int mindex, boolean video, long localSsrc, long localRtxSsrc) {
        this.mid = mid;
        this.mindex = mindex;
        this.video = video;
        this.localSsrc = localSsrc;
        this.localRtxSsrc = localRtxSsrc;
        this.sent = video ? new RetransmissionBuffer(1024, 1_000_000) : null;
    }

    /** The simulcast substream of a media or RTX SSRC of the peer, or -1 without simulcast. */
    int substreamOf(long ssrc) {
        if (simulcast == null) {
            return -1;
        }
        int layer = simulcast.layerOf(ssrc);
        return layer >= 0 ? layer : simulcast.rtxLayerOf(ssrc);
    }

    /** For a peer RTX SSRC, the SSRC of the stream it repairs; 0 when {@code ssrc} is no RTX of ours. */
    long repairedSsrc(long ssrc) {
        if (remoteRtxSsrc != 0 && ssrc == remoteRtxSsrc) {
            return remoteSsrc;
        }
        int layer = simulcast == null ? -1 : simulcast.rtxLayerOf(ssrc);
        return layer < 0 ? 0 : simulcast.ssrc(layer);
    }

    /** Loss tracking for a substream (layer 0 or no simulcast: the stream's own). */
    LossDetector lossFor(int substream) {
        return substream > 0 && simulcast != null ? simulcast.loss(substream) : loss;
    }

    /** The peer's SSRC feedback about {@code substream} goes to (the main one for -1 or an unknown layer). */
    long remoteSsrcFor(int substream) {
        long layer = substream > 0 && simulcast != null ? simulcast.ssrc(substream) : 0;
        return layer != 0 ? layer : remoteSsrc;
    }

    /** The next FIR sequence number for the peer's stream (RFC 5104 §4.3.1.1: one per new request). */
    int nextFirSequence() {
        firSequence = (firSequence + 1) & 0xFF;
        return firSequence;
    }

    /** A report block about our stream: arrival time, LSR and DLSR as compact NTP (1/65536 s). */
    void roundTrip(long arrival, long lastSr, long delaySinceLastSr) {
        long units = RoundTrip.units(arrival, lastSr, delaySinceLastSr);
        if (units >= 0) {
            rttMillis = RoundTrip.millis(units);
            nackWindow.rtt(rttMillis);
            rttValues = new MediaStats.RttValues(arrival, lastSr, delaySinceLastSr);
        }
    }

    /** The medium part of {@code handle_info.webrtc.media} (admin-api.md §4.1). */
    ObjectNode describe() {
        ObjectNode m = Json.object();
        m.put("type", video ? "video" : "audio");
        m.put("mindex", mindex);
        m.put("mid", mid);
        m.put("do_nacks", video);
        m.put("nack-queue-ms", video ? nackQueueMs : 0);
        ObjectNode ssrc = m.putObject("ssrc");
        putNonZero(ssrc, "ssrc", localSsrc);
        putNonZero(ssrc, "ssrc-rtx", localRtxSsrc);
        putNonZero(ssrc, "ssrc-peer", remoteSsrc);
        putNonZero(ssrc, "ssrc-peer-rtx", remoteRtxSsrc);
        if (simulcast != null) {
            for (int layer = 1; layer < SimulcastLayers.MAX_LAYERS; layer++) {
                putNonZero(ssrc, "ssrc-peer-sim-" + layer, simulcast.ssrc(layer));
                putNonZero(ssrc, "ssrc-peer-sim-" + layer + "-rtx", simulcast.rtxSsrc(layer));
            }
        }
        ObjectNode dir = m.putObject("direction");
        dir.put("send", send);
        dir.put("recv", recv);
        if (payloadType >= 0) {
            ObjectNode c = m.putObject("codecs");
            c.put("pt", payloadType);
            if (rtxPayloadType >= 0) {
                c.put("rtx-pt", rtxPayloadType);
            }
            if (codec != null) {
                c.put("codec", codec);
            }
        }
        // Janus's per-layer RTCP context (admin-api.md §4.1), with what we measure; we keep no
        // local jitter or link-quality estimate, so those keys are left out rather than made up.
        ObjectNode main = m.putObject("rtcp").putObject("main");
        main.put("base", video ? 90_000 : 48_000);
        main.put("rtt", rttMillis);
        main.put("lost", loss.lostCount());
        main.put("lost-by-remote", lostByRemote);
        main.put("jitter-remote", jitterRemote * 1000 / (video ? 90_000 : 48_000));
        ObjectNode stats = m.putObject("stats");
        ObjectNode in = stats.putObject("in");
        in.put("packets", packetsIn);
        in.put("bytes", bytesIn);
        if (video) {
            in.put("nacks", nacksIn);
            in.put("retransmissions", retransmissionsIn);
        }
        in.put("rtcp-byes", byesIn);
        ObjectNode out = stats.putObject("out");
        out.put("packets", packetsOut);
        out.put("bytes", bytesOut);
        if (video) {
            out.put("nacks", nacksOut);
        }
        return m;
    }

    /** A stats-event snapshot; rates are averaged over the {@code periodSeconds} since the last one. */
    MediaStats snapshot(int periodSeconds) {
        long inDelta = bytesIn - lastBytesIn;
        long outDelta = bytesOut - lastBytesOut;
        lastBytesIn = bytesIn;
        lastBytesOut = bytesOut;
        int base = video ? 90_000 : 48_000;
        long jitterMs = jitterRemote * 1000 / base;
        int rtt = rttMillis;
        var rtp = new MediaStats.Rtp(codec, base, rtt, rtt > 0 ? rttValues : null, video ? loss.lostCount() : 0,
                lostByRemote, 0, jitterMs, 100, 100, 100, 100);
        var rates = new MediaStats.Rates(inDelta / Math.max(1, periodSeconds),
                outDelta / Math.max(1, periodSeconds), nacksIn, nacksOut, retransmissionsIn);
        return new MediaStats(mid, mindex, video ? "video" : "audio", rtp, packetsIn, packetsOut,
                bytesIn, bytesOut, rates, null);
    }

    private static void putNonZero(ObjectNode o, String key, long v) {
        if (v != 0) {
            o.put(key, v);
        }
    }
}
