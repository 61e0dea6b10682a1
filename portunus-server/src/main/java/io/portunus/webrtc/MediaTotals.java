package io.portunus.webrtc;

import io.portunus.media.dtls.DtlsSession;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the metrics read about media, without touching the packet path: the live
 * PeerConnections (whose streams keep their own counters), the final counters of closed ones
 * (so that totals never go down when a call ends), and ICE/DTLS failures by reason.
 *
 * <p>A PeerConnection joins once its offer is set up and leaves when its teardown ran on its loop (no
 * packet is counted after that). Leaving and {@link #snapshot()} share a lock, so a closing
 * PeerConnection is counted either live or retired, never both nor neither, and the totals a
 * scrape sees only grow. Neither the lock nor the sum is on the packet path.
 */
public final class MediaTotals {
    /** Why ICE failed: checks never found a pair, or a working pair lost consent (RFC 7675). */
    public enum IceFailure { CHECKS_FAILED, CONSENT_LOST }

    /** Why DTLS failed, as DtlsSession reports it: a fatal alert, the 20 s timeout, or an error (fingerprint mismatch included). */
    public enum DtlsFailure { ALERT, TIMEOUT, ERROR }

    private final Set<PeerConnection> live = ConcurrentHashMap.newKeySet();
    private final MediaCounters retired = new MediaCounters();
    private final Object lock = new Object();
    private final Map<IceFailure, LongAdder> iceFailures = new EnumMap<>(IceFailure.class);
    private final Map<DtlsFailure, LongAdder> dtlsFailures = new EnumMap<>(DtlsFailure.class);
    private volatile StreamSampler sampler;
    /** The media loops, for the hand-over queues' counters (VideoRoom forwarding between loops). */
    private final Set<MediaLoop> loops = ConcurrentHashMap.newKeySet();

    /**
     * Once a second per stream, on its loop (the stats tick, off the packet path): the current
     * round trip, jitter and loss of one stream, for histograms across streams.
     */
    public interface StreamSampler {
        /**
         * @param rttSeconds    the round trip from the peer's reports, or NaN before one came
         * @param jitterSeconds the peer's reported interarrival jitter of our stream, or NaN
         * @param lossRatio     the share of the peer's packets lost in the last second, or NaN
         *                      when none were expected
         */
        void sample(boolean video, double rttSeconds, double jitterSeconds, double lossRatio);
    }

    public MediaTotals() {
        for (IceFailure f : IceFailure.values()) {
            iceFailures.put(f, new LongAdder());
        }
        for (DtlsFailure f : DtlsFailure.values()) {
            dtlsFailures.put(f, new LongAdder());
        }
    }

    void loop(MediaLoop loop) {
        loops.add(loop);
    }

    /** Forwarded packets the media loops took from their hand-over queues (or got on their own loop). */
    public long handedOver() {
        long n = 0;
        for (MediaLoop l : loops) {
            n += l.handedOver();
        }
        return n;
    }

    /** Drains of the hand-over queues: packets per drain is the batching across loops. */
    public long handoverDrains() {
        long n = 0;
        for (MediaLoop l : loops) {
            n += l.drains();
        }
        return n;
    }

    void opened(PeerConnection pc) {
        live.add(pc);
    }

    void closed(PeerConnection pc, MediaStream[] streams) {
        synchronized (lock) {
            if (live.remove(pc)) {
                for (MediaStream s : streams) {
                    retired.add(s);
                }
            }
        }
    }

    /** Every counter summed over the streams of live and closed PeerConnections. */
    public MediaCounters snapshot() {
        MediaCounters sum = new MediaCounters();
        synchronized (lock) {
            sum.addAll(retired);
            for (PeerConnection pc : live) {
                for (MediaStream s : pc.publishedStreams()) {
                    sum.add(s);
                }
            }
        }
        return sum;
    }

    /** PeerConnections not yet torn down. */
    public int liveCount() {
        return live.size();
    }

    void iceFailed(IceFailure reason) {
        iceFailures.get(reason).increment();
    }

    void dtlsFailed(String reason) {
        DtlsFailure f = switch (reason) {
            case DtlsSession.REASON_ALERT -> DtlsFailure.ALERT;
            case DtlsSession.REASON_TIMEOUT -> DtlsFailure.TIMEOUT;
            default -> DtlsFailure.ERROR;
        };
        dtlsFailures.get(f).increment();
    }

    public long iceFailures(IceFailure reason) {
        return iceFailures.get(reason).sum();
    }

    public long dtlsFailures(DtlsFailure reason) {
        return dtlsFailures.get(reason).sum();
    }

    /** Installs (or with null removes) the per-stream sampler of the stats tick. */
    public void sampler(StreamSampler s) {
        sampler = s;
    }

    StreamSampler sampler() {
        return sampler;
    }
}
