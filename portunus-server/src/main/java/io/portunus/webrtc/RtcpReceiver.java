package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtcp.Remb;
import io.portunus.media.rtcp.RoundTrip;
import io.portunus.media.rtcp.Rtcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * The peer's RTCP after SRTCP unprotect, block by block: SR/RR (its clock for our reports,
 * loss, jitter and round trip of our streams), PLI/FIR and REMB for the plugin, NACKs answered
 * by the {@link RtpSender}, transport feedback for {@link TransportCc}, BYEs counted. Runs on
 * the loop.
 */
final class RtcpReceiver {
    /** Logs under PeerConnection's name, as before it was split: one logger tells a PeerConnection's story. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final PeerConnection.Listener listener;
    private final StreamTable streams;
    private final TransportCc transportCc;
    private final RtpSender rtpSender;
    private final MediaIo io;

    RtcpReceiver(PeerConnection.Listener listener, StreamTable streams, TransportCc transportCc, RtpSender rtpSender,
                 MediaIo io) {
        this.io = io;
        this.listener = listener;
        this.streams = streams;
        this.transportCc = transportCc;
        this.rtpSender = rtpSender;
    }

    void receive(byte[] data, int len) {
        for (Rtcp.Block block : Rtcp.blocks(data, 0, len)) {
            if (block.type() == Rtcp.SR || block.type() == Rtcp.RR) {
                if (block.type() == Rtcp.SR && block.length() >= 28) {
                    MediaStream sender = streams.byRemoteSsrc(Rtcp.senderSsrc(data, block));
                    if (sender != null) {
                        long msw = Rtcp.read32(data, block.offset() + 8);
                        long lsw = Rtcp.read32(data, block.offset() + 12);
                        sender.peerLastSr = ((msw & 0xFFFF) << 16) | (lsw >>> 16);
                        sender.peerLastSrMicros = io.nowMicros();
                    }
                }
                readReportBlocks(data, block);
                continue;
            }
            if (block.type() == Rtcp.PSFB && (block.format() == Rtcp.FMT_PLI || block.format() == Rtcp.FMT_FIR)) {
                MediaStream s = streams.byLocalSsrc(Rtcp.mediaSsrc(data, block));
                if (s != null) {
                    byte[] copy = Arrays.copyOfRange(data, block.offset(), block.offset() + block.length());
                    listener.onRtcp(new MediaPacket(s.mid, s.video, copy, 0, copy.length));
                }
            } else if (Remb.isRemb(data, block)) {
                // The peer's bandwidth estimate for what we send it: the plugin decides what to do.
                var ssrcs = Remb.ssrcs(data, block);
                MediaStream s = ssrcs.isEmpty() ? null : streams.byLocalSsrc(ssrcs.get(0));
                s = s != null ? s : streams.all().stream().filter(m -> m.video).findFirst().orElse(null);
                if (s != null) {
                    byte[] copy = Arrays.copyOfRange(data, block.offset(), block.offset() + block.length());
                    listener.onRtcp(new MediaPacket(s.mid, s.video, copy, 0, copy.length));
                }
            } else if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_TWCC) {
                transportCc.feedbackFromPeer(data, block);
            } else if (block.type() == Rtcp.BYE) {
                receiveBye(data, block);
            } else if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_NACK) {
                MediaStream s = streams.byLocalSsrc(Rtcp.mediaSsrc(data, block));
                if (s != null) {
                    var sequences = Rtcp.nackedSequences(data, block);
                    s.nacksIn += sequences.size();
                    rtpSender.retransmit(s, sequences);
                }
            }
        }
    }

    /** What the peer says about our streams (RFC 3550 §6.4.1 report blocks): loss and jitter. */
    private void readReportBlocks(byte[] data, Rtcp.Block block) {
        int first = block.offset() + (block.type() == Rtcp.SR ? 28 : 8);
        for (int i = 0; i < block.format(); i++) {
            int at = first + 24 * i;
            if (at + 24 > block.offset() + block.length()) {
                return;
            }
            MediaStream s = streams.byLocalSsrc(Rtcp.read32(data, at));
            if (s != null) {
                int cumulative = ((data[at + 5] & 0xFF) << 16) | ((data[at + 6] & 0xFF) << 8) | (data[at + 7] & 0xFF);
                s.remoteReport(data[at + 4] & 0xFF, cumulative, Rtcp.read32(data, at + 8), Rtcp.read32(data, at + 12));
                s.roundTrip(RoundTrip.compact(RoundTrip.ntp(io.wallMicros())), Rtcp.read32(data, at + 16),
                        Rtcp.read32(data, at + 20));
            }
        }
    }

    /** The peer says a stream ends (RFC 3550 §6.6): noted, nothing torn down (a renegotiation may follow). */
    private void receiveBye(byte[] data, Rtcp.Block block) {
        for (long ssrc : Rtcp.byeSsrcs(data, block)) {
            MediaStream s = streams.byRemoteSsrc(ssrc);
            if (s != null) {
                s.byesIn++;
            }
            String reason = Rtcp.byeReason(data, block);
            if (s != null && s.byesIn == 1) { // at info once per stream: the peer decides how many it sends
                LOG.info("RTCP BYE from the peer for SSRC {} (mid {}){}", ssrc, s.mid, reason == null ? "" : ": " + reason);
            } else {
                LOG.debug("RTCP BYE from the peer for SSRC {}{}", ssrc, reason == null ? "" : ": " + reason);
            }
        }
    }
}
