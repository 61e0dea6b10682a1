package io.portunus.webrtc;

import io.portunus.core.event.MediaStats;

import java.util.ArrayList;
import java.util.List;

/**
 * What the owner hears about media flow once DTLS is up (media.md §5): media stopping (the
 * no-media timer), slow links (losses over slowlink_threshold), and per-medium statistics
 * every events.stats_period seconds. Media starting is told by the {@link RtpReceiver} with
 * the packet that starts it. Runs on the loop.
 */
final class MediaMonitor {
    private final PeerConnection pc;
    private final MediaEngine engine;
    private final PeerConnection.Listener listener;
    private final MediaIo io;
    private final StreamTable streams;
    private long connectedMicros;

    MediaMonitor(PeerConnection pc, MediaEngine engine, PeerConnection.Listener listener, MediaIo io,
                 StreamTable streams) {
        this.pc = pc;
        this.engine = engine;
        this.listener = listener;
        this.io = io;
        this.streams = streams;
    }

    /** When DTLS connects: the no-media timer counts from here, not from the PeerConnection's creation. */
    void connected(long nowMicros) {
        connectedMicros = nowMicros;
    }

    /**
     * Once a second, on the shared tick: the no-media timer and the slow-link check, with the
     * live values the Admin API may have changed.
     */
    void secondTick(long now) {
        int noMedia = engine.live().noMediaTimerSeconds();
        int threshold = engine.live().slowlinkThreshold();
        MediaTotals.StreamSampler sampler = engine.totals().sampler();
        for (MediaStream stream : streams.all()) {
            stream.secondTick();
            if (noMedia > 0 && stream.receiving && now - connectedMicros >= 1_000_000
                    && now - stream.lastPacketInMicros >= noMedia * 1_000_000L) {
                stream.receiving = false;
                listener.onMediaState(stream.mid, stream.video, false, noMedia > 1 ? noMedia : null);
            }
            long lostUp = stream.lostByRemote;
            long lostDown = stream.loss.lostCount();
            long recentUp = Math.max(0, lostUp - stream.lostByRemoteAtTick);
            long recentDown = Math.max(0, lostDown - stream.lostAtTick);
            stream.lostByRemoteAtTick = lostUp;
            stream.lostAtTick = lostDown;
            long receivedRecently = stream.packetsIn - stream.packetsInAtTick;
            stream.packetsInAtTick = stream.packetsIn;
            if (sampler != null) {
                sample(sampler, stream, recentDown, receivedRecently);
            }
            if (threshold > 0) {
                if (stream.packetsOut > 0 && recentUp >= threshold) {
                    listener.onSlowLink(stream.mid, stream.video, true, recentUp);
                }
                if (stream.packetsIn > 0 && recentDown >= threshold) {
                    listener.onSlowLink(stream.mid, stream.video, false, recentDown);
                }
            }
        }
    }

    /** One stream's round trip, jitter and last-second loss, for the metrics' histograms. */
    private static void sample(MediaTotals.StreamSampler sampler, MediaStream stream, long lost, long received) {
        int rtt = stream.rttMillis;
        double rttSeconds = rtt > 0 ? rtt / 1000.0 : Double.NaN;
        // The jitter comes in the same report blocks as the round trip: none before the first one.
        double jitterSeconds = rtt > 0 ? stream.jitterRemote / (stream.video ? 90_000.0 : 48_000.0) : Double.NaN;
        double loss = lost + received > 0 ? (double) lost / (lost + received) : Double.NaN;
        sampler.sample(stream.video, rttSeconds, jitterSeconds, loss);
    }

    /** Every events.stats_period seconds: per-medium statistics for the event handlers. */
    void scheduleStats() {
        int period = engine.statsPeriodSeconds();
        if (period <= 0) {
            return;
        }
        io.schedule(() -> {
            if (pc.isClosed()) {
                return;
            }
            List<MediaStats> stats = new ArrayList<>();
            for (MediaStream stream : streams.all()) {
                stats.add(stream.snapshot(period));
            }
            MediaStats data = pc.dataStats();
            if (data != null) {
                stats.add(data);
            }
            listener.onStats(stats);
            scheduleStats();
        }, period * 1_000_000L);
    }
}
