package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.Rtx;

/**
 * The peer's RTP after SRTP unprotect, on its way to the plugin: finds the stream (learning
 * SSRCs the SDP did not announce), unwraps RTX, records arrival for transport feedback and
 * loss, moves the stream's counters and says when media starts arriving. Runs on the loop for
 * every incoming packet, so it is part of the hot path: no locks, no allocation it can avoid.
 */
final class RtpReceiver {
    private final PeerConnection.Listener listener;
    private final StreamTable streams;
    private final TransportCc transportCc;
    private final MediaIo io;

    RtpReceiver(PeerConnection.Listener listener, StreamTable streams, TransportCc transportCc, MediaIo io) {
        this.io = io;
        this.listener = listener;
        this.streams = streams;
        this.transportCc = transportCc;
    }

    void receive(byte[] data, int len) {
        if (!RtpHeader.isValidRtp(data, 0, len)) {
            return;
        }
        // one clock read per packet: arrival, jitter, loss timing and last-seen share it
        receive(data, len, io.nowMicros());
    }

    /** A valid RTP packet that arrived at {@code now} (µs, the PeerConnection's monotonic clock). */
    void receive(byte[] data, int len, long now) {
        transportCc.received(data, len, now);
        long ssrc = RtpHeader.ssrc(data, 0);
        MediaStream stream = streams.byRemoteSsrc(ssrc);
        if (stream == null) {
            stream = streams.learn(data, len);
            if (stream == null) {
                return;
            }
        }
        int substream = stream.substreamOf(ssrc);
        long repaired = stream.video ? stream.repairedSsrc(ssrc) : 0;
        if (repaired == 0 && stream.video && stream.isRtxSsrc(ssrc)) {
            // A retransmission or padding probe of a simulcast layer whose own SSRC is not known
            // yet (Chrome probes on RTX early): taken as media it would seed the layer's loss
            // tracking with the RTX sequence numbers and have its real packets dropped.
            return;
        }
        if (repaired != 0) {
            // A retransmission we (or the peer's own logic) asked for: back to the original packet.
            byte[] original = Rtx.unwrap(data, len, stream.payloadType, repaired);
            if (original == null) {
                return; // padding-only probe
            }
            stream.retransmissionsIn++;
            data = original;
            len = original.length;
        }
        if (!stream.lossFor(substream).received(RtpHeader.sequence(data, 0), now)) {
            return; // duplicate
        }
        if (repaired == 0 && substream <= 0) {
            // RFC 3550 jitter of the main layer, from first transmissions only: a retransmission's
            // timestamp is old and would count its repair delay as jitter.
            stream.jitter.arrived(now, RtpHeader.timestamp(data, 0));
        }
        stream.packetsIn++;
        stream.bytesIn += len;
        stream.lastPacketInMicros = now;
        if (!stream.receiving) {
            stream.receiving = true;
            listener.onMediaState(stream.mid, stream.video, true, null);
        }
        listener.onRtp(new MediaPacket(stream.mid, stream.video, data, 0, len, substream));
    }
}
