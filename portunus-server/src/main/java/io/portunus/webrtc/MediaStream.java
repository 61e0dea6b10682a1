package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.event.MediaStats;
import io.portunus.media.rtcp.RoundTrip;
import io.portunus.media.rtp.InterarrivalJitter;
import io.portunus.media.rtp.LinkQuality;
import io.portunus.media.rtp.LossDetector;
import io.portunus.media.rtp.NackWindow;
import io.portunus.media.rtp.RetransmissionBuffer;
import io.portunus.media.rtp.ForwardRewriter;

import java.util.Random;

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
    /**
     * The negotiated codec's RTP clock (Hz): our SR's RTP time, the jitter in our reports and
     * handle_info's {@code base} and jitter figures use it (8000 for PCMU, PCMA and G722).
     */
    volatile int clockRate;
    /** The peer's declared {@code a=msid} stream and track ids for this m-line, or null. */
    volatile String remoteMsidStream;
    volatile String remoteMsidTrack;
    boolean send = true;
    boolean recv = true;
    /** The peer's simulcast layers on this m-line, or null without simulcast. */
    SimulcastLayers simulcast;

    /**
     * A leg that forwards another PeerConnection's stream (VideoRoom): the header-extension ids
     * to rewrite (source id to ours, 0 drops) and the rewriter that keeps sequence numbers,
     * timestamps and VP8 picture ids continuous whatever the source (simulcast layer, publisher);
     * null on a stream of our own. Set before the first packet, the rewriter used on the loop only.
     */
    volatile int[] forwardedExtensionIds;
    volatile ForwardRewriter forwardRewriter;
    /** Forwarding paused and goes on: the next forwarded packet starts a new run of the rewriter (set from any thread). */
    volatile boolean forwardResumed;
    /**
     * The transport-cc extension id this m-line negotiated for what we send, or 0: a forwarded
     * leg's packets then carry our own transport-wide sequence numbers under it.
     */
    volatile int transportCcId;
    /** Forwarded packets this leg took from the hand-over queue and sent (metrics, handle_info). */
    volatile long forwardedOut;

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
    long reportedExpected;
    long reportedLost;
    long lostAtTick;
    volatile long jitterRemote;
    /** Whether a report block about our stream came: jitter-remote and the out qualities are measured. */
    volatile boolean remoteReported;
    /** RFC 3550 interarrival jitter of the peer's stream (main layer), in its RTP clock units. */
    final InterarrivalJitter jitter;
    /** Link quality both ways: on the wire, and after retransmissions repaired it ("media"). */
    final LinkQuality inQuality = new LinkQuality();
    final LinkQuality inMediaQuality = new LinkQuality();
    final LinkQuality outQuality = new LinkQuality();
    final LinkQuality outMediaQuality = new LinkQuality();
    /** Bytes in the last whole second, each way (handle_info's {@code bytes_lastsec}). */
    volatile long bytesInLastSec;
    volatile long bytesOutLastSec;
    private long bytesInAtSecond;
    private long bytesOutAtSecond;
    private long highestAtSecond = -1;
    private long gapsAtSecond;
    private long lostAtSecond;
    /** The peer's last report block about our stream: extended highest sequence and cumulative loss. */
    private long remoteHighestAtReport = -1;
    private long remoteLostAtReport;
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
        this.clockRate = video ? 90_000 : 48_000; // until the answer names the codec
        this.jitter = new InterarrivalJitter(clockRate);
    }

    /** This stream is a leg forwarding another PeerConnection's media (see {@link #forwardedExtensionIds}). */
    void forwarded(int[] extensionIds) {
        forwardedExtensionIds = extensionIds.clone();
        if (forwardRewriter == null) {
            forwardRewriter = new ForwardRewriter(clockRate);
        }
    }

    /** Whether the negotiated codec is VP8 (a forwarded leg then keeps its picture ids continuous). */
    boolean vp8() {
        return "vp8".equals(codec);
    }

    /** The negotiated codec's clock rate (from the answer), for reports, jitter and stats. */
    void clockRate(int rate) {
        if (rate > 0) {
            clockRate = rate;
            jitter.clockRate(rate);
        }
    }

    /**
     * Once a second, on the loop: the bytes of the last second each way, and the inbound link
     * quality from the packets the second should have brought (on the wire: every gap; media:
     * what retransmissions did not fill).
     */
    void secondTick() {
        long in = bytesIn;
        long out = bytesOut;
        bytesInLastSec = in - bytesInAtSecond;
        bytesOutLastSec = out - bytesOutAtSecond;
        bytesInAtSecond = in;
        bytesOutAtSecond = out;
        if (packetsIn == 0) {
            return;
        }
        long highest = loss.extendedHighest();
        long gaps = loss.gapCount();
        long lost = loss.lostCount();
        if (highestAtSecond >= 0) {
            long expected = highest - highestAtSecond;
            long jitterMs = jitter.millis();
            inQuality.interval(expected, gaps - gapsAtSecond, jitterMs);
            inMediaQuality.interval(expected, lost - lostAtSecond, jitterMs);
        }
        highestAtSecond = highest;
        gapsAtSecond = gaps;
        lostAtSecond = lost;
    }

    /**
     * A report block about our stream (RFC 3550 §6.4.1), on the loop: loss, jitter, and the
     * outbound link quality from its fraction lost (on the wire) and from the change of its
     * cumulative loss since the previous report (after our retransmissions).
     */
    void remoteReport(int fractionLost, long cumulativeLost, long extendedHighest, long jitterUnits) {
        lostByRemote = cumulativeLost;
        jitterRemote = jitterUnits;
        remoteReported = true;
        long jitterMs = jitterUnits * 1000 / clockRate;
        outQuality.fractionLost(fractionLost, jitterMs);
        if (remoteHighestAtReport >= 0) {
            outMediaQuality.interval(extendedHighest - remoteHighestAtReport, cumulativeLost - remoteLostAtReport, jitterMs);
        }
        remoteHighestAtReport = extendedHighest;
        remoteLostAtReport = cumulativeLost;
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

    /** Whether {@code ssrc} is a known RTX SSRC of the peer here, whether or not the one it repairs is known yet. */
    boolean isRtxSsrc(long ssrc) {
        return remoteRtxSsrc != 0 && ssrc == remoteRtxSsrc || simulcast != null && simulcast.rtxLayerOf(ssrc) >= 0;
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
        if (remoteMsidStream != null || remoteMsidTrack != null) {
            ObjectNode msid = m.putObject("msid");
            if (remoteMsidStream != null) {
                msid.put("remote-stream", remoteMsidStream);
            }
            if (remoteMsidTrack != null) {
                msid.put("remote-track", remoteMsidTrack);
            }
        }
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
        // Janus's per-layer RTCP context (admin-api.md §4.1), every figure measured on this
        // call: jitter-local is the RFC 3550 jitter our receiver reports carry, in ms; the link
        // qualities read 0 until measured, as Janus's do.
        int rate = clockRate;
        ObjectNode main = m.putObject("rtcp").putObject("main");
        main.put("base", rate);
        main.put("rtt", rttMillis);
        main.put("lost", loss.lostCount());
        main.put("lost-by-remote", lostByRemote);
        main.put("jitter-local", jitter.millis());
        main.put("jitter-remote", jitterRemote * 1000 / rate);
        main.put("in-link-quality", inQuality.value());
        main.put("in-media-link-quality", inMediaQuality.value());
        main.put("out-link-quality", outQuality.value());
        main.put("out-media-link-quality", outMediaQuality.value());
        ObjectNode stats = m.putObject("stats");
        ObjectNode in = stats.putObject("in");
        in.put("packets", packetsIn);
        in.put("bytes", bytesIn);
        in.put("bytes_lastsec", bytesInLastSec);
        if (video) {
            in.put("nacks", nacksIn);
            in.put("retransmissions", retransmissionsIn);
        }
        in.put("rtcp-byes", byesIn);
        ObjectNode out = stats.putObject("out");
        out.put("packets", packetsOut);
        out.put("bytes", bytesOut);
        out.put("bytes_lastsec", bytesOutLastSec);
        out.put("nacks", nacksOut);
        if (forwardRewriter != null) {
            out.put("forwarded", forwardedOut);
        }
        return m;
    }

    /** A stats-event snapshot; rates are averaged over the {@code periodSeconds} since the last one. */
    MediaStats snapshot(int periodSeconds) {
        long inDelta = bytesIn - lastBytesIn;
        long outDelta = bytesOut - lastBytesOut;
        lastBytesIn = bytesIn;
        lastBytesOut = bytesOut;
        int base = clockRate;
        int rtt = rttMillis;
        // Only measured figures: jitter-local once two packets came, jitter-remote and the
        // outbound qualities once the peer reported on our stream, inbound ones after a second of media.
        var rtp = new MediaStats.Rtp(codec, base, rtt, rtt > 0 ? rttValues : null, video ? loss.lostCount() : 0,
                lostByRemote, jitter.measured() ? jitter.millis() : null,
                remoteReported ? jitterRemote * 1000 / base : null, measuredOrNull(inQuality),
                measuredOrNull(inMediaQuality), measuredOrNull(outQuality), measuredOrNull(outMediaQuality));
        var rates = new MediaStats.Rates(inDelta / Math.max(1, periodSeconds),
                outDelta / Math.max(1, periodSeconds), nacksIn, nacksOut, retransmissionsIn);
        return new MediaStats(mid, mindex, video ? "video" : "audio", rtp, packetsIn, packetsOut,
                bytesIn, bytesOut, rates, null);
    }

    private static Integer measuredOrNull(LinkQuality quality) {
        return quality.measured() ? quality.value() : null;
    }

    private static void putNonZero(ObjectNode o, String key, long v) {
        if (v != 0) {
            o.put(key, v);
        }
    }
}
