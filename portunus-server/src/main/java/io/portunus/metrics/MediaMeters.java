package io.portunus.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portunus.webrtc.MediaCounters.Counter;
import io.portunus.webrtc.MediaCounters;
import io.portunus.webrtc.MediaTotals.DtlsFailure;
import io.portunus.webrtc.MediaTotals.IceFailure;
import io.portunus.webrtc.MediaTotals;

import java.util.Locale;

/**
 * Media: packets, bytes, NACKs, retransmissions and losses by direction and kind, summed from
 * the streams' own counters once per scrape; ICE and DTLS failures by reason; and round trip,
 * jitter and loss as histograms across streams, fed once a second per stream by the media
 * loops' stats tick ({@link MediaTotals.StreamSampler}), never by the packet path.
 */
final class MediaMeters implements MediaTotals.StreamSampler {
    private static final double[] RTT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2};
    private static final double[] JITTER_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25};
    private static final double[] LOSS_BUCKETS = {0.0001, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5};

    private final MediaTotals totals;
    private volatile MediaCounters current = new MediaCounters();
    /** [audio, video] */
    private final DistributionSummary[] rtt = new DistributionSummary[2];
    private final DistributionSummary[] jitter = new DistributionSummary[2];
    private final DistributionSummary[] loss = new DistributionSummary[2];

    MediaMeters(MediaTotals totals) {
        this.totals = totals;
    }

    void bindTo(MeterRegistry registry) {
        counter(registry, "portunus.media.packets", Counter.PACKETS, "RTP packets");
        counter(registry, "portunus.media.bytes", Counter.BYTES, "RTP bytes (payload and RTP header, without SRTP)");
        counter(registry, "portunus.media.nacks", Counter.NACKS,
                "NACKed sequence numbers: in, the peer's NACKs for our stream; out, ours for the peer's");
        counter(registry, "portunus.media.retransmissions", Counter.RETRANSMISSIONS,
                "Retransmitted RTP packets: in, received; out, sent for the peer's NACKs");
        counter(registry, "portunus.media.lost.packets", Counter.LOST,
                "Lost RTP packets: in, as we detect them; out, as the peer reports them");
        FunctionCounter.builder("portunus.media.handover.packets", totals, MediaTotals::handedOver)
                .description("Forwarded RTP packets (VideoRoom) handed to their subscriber leg's I/O thread")
                .register(registry);
        FunctionCounter.builder("portunus.media.handover.drains", totals, MediaTotals::handoverDrains)
                .description("Drains of the media loops' hand-over queues (packets per drain: the batching)")
                .register(registry);
        for (IceFailure f : IceFailure.values()) {
            FunctionCounter.builder("portunus.ice.failures", totals, t -> t.iceFailures(f))
                    .tag("reason", f.name().toLowerCase(Locale.ROOT))
                    .description("ICE failures: checks_failed (no working pair), consent_lost (a working pair stopped answering)")
                    .register(registry);
        }
        for (DtlsFailure f : DtlsFailure.values()) {
            FunctionCounter.builder("portunus.dtls.failures", totals, t -> t.dtlsFailures(f))
                    .tag("reason", f.name().toLowerCase(Locale.ROOT))
                    .description("DTLS failures: alert (fatal alert), timeout (no handshake in time), error (fingerprint mismatch included)")
                    .register(registry);
        }
        for (int v = 0; v < 2; v++) {
            String kind = v == 1 ? "video" : "audio";
            rtt[v] = DistributionSummary.builder("portunus.media.rtt").baseUnit("seconds").tag("kind", kind)
                    .description("Round trip per stream from the peer's receiver reports, sampled once a second per stream")
                    .serviceLevelObjectives(RTT_BUCKETS).register(registry);
            jitter[v] = DistributionSummary.builder("portunus.media.jitter").baseUnit("seconds").tag("kind", kind)
                    .description("Interarrival jitter the peer reports for our stream, sampled once a second per stream")
                    .serviceLevelObjectives(JITTER_BUCKETS).register(registry);
            loss[v] = DistributionSummary.builder("portunus.media.loss").baseUnit("ratio").tag("kind", kind)
                    .description("Share of the peer's packets lost in the last second, sampled once a second per receiving stream")
                    .serviceLevelObjectives(LOSS_BUCKETS).register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, Counter counter, String description) {
        for (int out = 0; out < 2; out++) {
            for (int video = 0; video < 2; video++) {
                boolean o = out == 1;
                boolean v = video == 1;
                FunctionCounter.builder(name, this, m -> m.current.get(counter, o, v))
                        .tag("direction", o ? "out" : "in").tag("kind", v ? "video" : "audio")
                        .description(description).register(registry);
            }
        }
    }

    /** Sums the counters once for the whole scrape. */
    void refresh() {
        current = totals.snapshot();
    }

    @Override
    public void sample(boolean video, double rttSeconds, double jitterSeconds, double lossRatio) {
        int v = video ? 1 : 0;
        if (!Double.isNaN(rttSeconds)) {
            rtt[v].record(rttSeconds);
        }
        if (!Double.isNaN(jitterSeconds)) {
            jitter[v].record(jitterSeconds);
        }
        if (!Double.isNaN(lossRatio)) {
            loss[v].record(lossRatio);
        }
    }
}
