package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtcp.KeyFrameRequests;
import io.portunus.media.rtcp.RoundTrip;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.srtp.SrtpSession;

import java.util.Arrays;
import java.util.List;

/**
 * RTCP towards the peer: the plugin's feedback (key-frame requests, as PLI or FIR as the peer
 * negotiated), and our own, driven by the shared {@link MediaLoop} tick: NACKs for the peer's
 * lost video every tick, transport feedback every twcc_period, sender/receiver reports once a
 * second. Runs on the loop.
 */
final class RtcpSender {
    private final PeerConnection pc;
    private final MediaEngine engine;
    private final MediaIo io;
    private final StreamTable streams;
    private final TransportCc transportCc;
    private final DtlsSrtp dtlsSrtp;
    private final IceTransport transport;
    private long nextTransportFeedbackMicros;

    RtcpSender(PeerConnection pc, MediaEngine engine, MediaIo io, StreamTable streams, TransportCc transportCc,
               DtlsSrtp dtlsSrtp, IceTransport transport) {
        this.pc = pc;
        this.engine = engine;
        this.io = io;
        this.streams = streams;
        this.transportCc = transportCc;
        this.dtlsSrtp = dtlsSrtp;
        this.transport = transport;
    }

    /** Sends RTCP feedback from the plugin, about the peer's stream of that m-line. */
    void sendFromPlugin(MediaPacket packet) {
        // Copied now, not in the task: the packet may be a received one, whose array the socket
        // reuses for its next datagram as soon as this call returns (MediaIo.DatagramSink).
        byte[] copy = Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length());
        io.execute(() -> {
            SrtpSession s = dtlsSrtp.srtp();
            MediaStream stream = streams.byMid(packet.mid());
            if (s == null || stream == null || stream.remoteSsrc == 0) {
                return;
            }
            long target = stream.remoteSsrcFor(packet.substream());
            byte[] buf = KeyFrameRequests.towardsPeer(copy, stream.localSsrc, target, stream.keyFrameByFir,
                    stream::nextFirSequence);
            protectAndWrite(s, buf);
        });
    }

    /** Asks the peer for a key frame on every video m-line. */
    void requestKeyFrame() {
        for (MediaStream stream : streams.all()) {
            if (stream.video && stream.remoteSsrc != 0) {
                byte[] pli = Rtcp.pli(stream.localSsrc, stream.remoteSsrc);
                sendFromPlugin(new MediaPacket(stream.mid, true, pli, 0, pli.length));
            }
        }
    }

    /** When DTLS connects: the first transport feedback is due one period later. */
    void start() {
        nextTransportFeedbackMicros = io.nowMicros() + twccPeriodMillis() * 1000L;
    }

    /** Every tick (20 ms): NACKs, and transport feedback when its period is up. */
    void tick(long now) {
        nackTick(now);
        if (now >= nextTransportFeedbackMicros) {
            nextTransportFeedbackMicros = now + twccPeriodMillis() * 1000L;
            transportFeedbackTick();
        }
    }

    /**
     * NACK what the peer's video lost (each gap up to three times, 50 ms apart). The NACK
     * window from the RTT also sizes our retransmission buffer for the peer's NACKs.
     */
    private void nackTick(long now) {
        SrtpSession s = dtlsSrtp.srtp();
        int minNackQueue = engine.live().minNackQueueMs();
        for (MediaStream stream : streams.all()) {
            if (!stream.video || stream.remoteSsrc == 0) {
                continue;
            }
            int window = stream.nackWindow.windowMs(minNackQueue);
            stream.nackQueueMs = window;
            stream.sent.windowMicros(window * 1000L);
            int layers = stream.simulcast == null ? 1 : SimulcastLayers.MAX_LAYERS;
            for (int layer = 0; layer < layers && s != null; layer++) {
                long mediaSsrc = stream.simulcast == null ? stream.remoteSsrc : stream.simulcast.ssrc(layer);
                List<Integer> due = mediaSsrc == 0 ? List.of() : stream.lossFor(layer).due(now, 50_000);
                if (!due.isEmpty()) {
                    stream.nacksOut += due.size();
                    byte[] nack = Rtcp.nack(stream.localSsrc, mediaSsrc, due);
                    protectAndWrite(s, nack);
                }
            }
        }
    }

    private int twccPeriodMillis() {
        int period = engine.settings().media.twccPeriod();
        return period > 0 ? period : 200;
    }

    /** Every twcc_period (media.md §2): transport feedback about what arrived since the last one. */
    private void transportFeedbackTick() {
        SrtpSession s = dtlsSrtp.srtp();
        MediaStream about = null;
        for (MediaStream stream : streams.all()) {
            if (stream.remoteSsrc != 0 && (about == null || (stream.video && !about.video))) {
                about = stream; // the feedback is transport-wide: any stream's SSRCs do, video preferred
            }
        }
        if (s != null && about != null) {
            for (byte[] feedback : transportCc.feedback(about.localSsrc, about.remoteSsrc)) {
                protectAndWrite(s, feedback);
            }
        }
    }

    /**
     * Our own RTCP, once a second per m-line (RFC 3550 §6.4): a sender report for what we send
     * (its RTP time extrapolated from the last packet), with a reception report about the peer's
     * stream (loss, highest sequence, LSR/DLSR so the peer can measure the round trip).
     */
    void sendReports(long now) {
        SrtpSession s = dtlsSrtp.srtp();
        if (s == null) {
            return;
        }
        long ntp = RoundTrip.ntp(io.wallMicros()); // the clock the RTT is measured with
        long ntpSeconds = ntp >>> 32;
        long ntpFraction = ntp & 0xFFFFFFFFL;
        for (MediaStream stream : streams.all()) {
            byte[] report = report(stream, now, ntpSeconds, ntpFraction);
            if (report != null) {
                protectAndWrite(s, report);
            }
        }
    }

    /**
     * One m-line's report at {@code now} (µs): an SR when we sent RTP (its RTP time extrapolated
     * from the last packet in the codec's clock), with a reception report block about the
     * peer's stream when it sent (RFC 3550 jitter in that stream's clock units); null when
     * neither. Moves the interval counters the next report's fraction lost starts from.
     */
    static byte[] report(MediaStream stream, long now, long ntpSeconds, long ntpFraction) {
        Rtcp.ReportBlock block = null;
        if (stream.remoteSsrc != 0 && stream.packetsIn > 0) {
            long highest = stream.loss.extendedHighest();
            long lost = stream.loss.lostCount();
            // RFC 3550 A.3: the interval's expected packets count from the first one received,
            // so the first report's fraction is not diluted by the initial sequence number.
            long expectedTotal = stream.loss.expectedCount();
            long expected = expectedTotal - stream.reportedExpected;
            long lostInterval = lost - stream.reportedLost;
            int fraction = expected > 0 && lostInterval > 0 ? (int) Math.min(255, (lostInterval << 8) / expected) : 0;
            stream.reportedExpected = expectedTotal;
            stream.reportedLost = lost;
            long dlsr = stream.peerLastSr == 0 ? 0 : ((now - stream.peerLastSrMicros) * 65_536L) / 1_000_000L;
            block = new Rtcp.ReportBlock(stream.remoteSsrc, fraction, lost, highest, stream.jitter.units(),
                    stream.peerLastSr, dlsr);
        }
        boolean sender = stream.packetsOut > 0 && stream.lastSentRtpTimestamp >= 0;
        if (!sender && block == null) {
            return null;
        }
        long clock = stream.clockRate; // the negotiated codec's: 8000 for PCMU/PCMA/G722
        long rtpTs = sender ? (stream.lastSentRtpTimestamp + (now - stream.lastSentMicros) * clock / 1_000_000L) & 0xFFFFFFFFL : 0;
        return Rtcp.report(stream.localSsrc, sender, ntpSeconds, ntpFraction, rtpTs, stream.packetsOut,
                stream.bytesOut, block, "janus");
    }

    /** Plain RTCP to the capture, then protected and sent; dropped if SRTP refuses it. */
    private void protectAndWrite(SrtpSession s, byte[] rtcp) {
        pc.tap(false, true, rtcp, 0, rtcp.length);
        byte[] p = s.protectRtcp(rtcp, 0, rtcp.length);
        if (p != null) {
            transport.write(p);
        } else {
            pc.errors().protectFailures++;
        }
    }
}
