package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtp.ExtensionIds;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.Rtx;
import io.portunus.media.rtp.TransportWideSequence;
import io.portunus.media.srtp.SrtpSession;

import java.util.Arrays;
import java.util.List;

/**
 * RTP towards the peer: the plugin's packets (SSRC rewritten to ours for the m-line, a copy
 * kept for retransmission, protected, written to the selected pair) and the retransmissions
 * the peer asks for with NACKs. Runs on the loop for every outgoing packet, so it is part of
 * the hot path: no locks, no allocation it can avoid.
 */
final class RtpSender {
    private final PeerConnection pc;
    private final MediaIo io;
    private final StreamTable streams;
    private final DtlsSrtp dtlsSrtp;
    private final IceTransport transport;
    private final TransportCc transportCc;
    /**
     * Where each outgoing packet is protected, on the loop: the socket copies it out before
     * {@link IceTransport#write(byte[], int, int)} returns, so one array serves every packet
     * instead of a new one each (a quarter of the server's allocation at 100 echo sessions).
     */
    private byte[] protectScratch = new byte[0];

    RtpSender(PeerConnection pc, MediaIo io, StreamTable streams, DtlsSrtp dtlsSrtp, IceTransport transport,
              TransportCc transportCc) {
        this.transportCc = transportCc;
        this.pc = pc;
        this.io = io;
        this.streams = streams;
        this.dtlsSrtp = dtlsSrtp;
        this.transport = transport;
    }

    /** From any thread; off the loop the packet is copied, as the caller may reuse its buffer. */
    void send(MediaPacket packet) {
        if (io.inLoop()) {
            sendOnLoop(packet);
        } else {
            byte[] copy = Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length());
            io.execute(() -> sendOnLoop(new MediaPacket(packet.mid(), packet.video(), copy, 0, copy.length)));
        }
    }

    /**
     * On the loop, from the hand-over queue: another PeerConnection's packet, already copied for
     * this leg. The leg's rewrite stage (header-extension ids, payload type, then sequence number,
     * timestamp and VP8 picture id continuous per leg, closing the gaps of packets the plugin left
     * out) runs on the copy, then the ordinary send path (our SSRC, retransmission
     * buffer, protect, socket).
     */
    void sendForwarded(MediaPacket packet) {
        MediaStream stream = streams.byMid(packet.mid());
        if (stream == null || !stream.send || dtlsSrtp.srtp() == null) {
            pc.errors().forwardsDropped++;
            return;
        }
        byte[] buf = packet.buffer();
        int off = packet.offset();
        int[] ids = stream.forwardedExtensionIds;
        if (ids != null) {
            ExtensionIds.remap(buf, off, packet.length(), ids);
        }
        if (stream.payloadType >= 0 && RtpHeader.payloadType(buf, off) != stream.payloadType) {
            // A source switched in may use another payload type for the same codec.
            RtpHeader.payloadType(buf, off, stream.payloadType);
        }
        var rewriter = stream.forwardRewriter;
        if (rewriter != null) {
            if (stream.forwardResumed) {
                stream.forwardResumed = false;
                rewriter.resume(); // after a pause: no gap in sequence numbers for the peer to NACK
            }
            rewriter.rewrite(buf, off, packet.length(), packet.leftOut(), stream.vp8(), io.nowMicros());
        }
        int twcc = stream.transportCcId;
        if (twcc > 0) {
            // Our own transport-wide number for this PeerConnection (the source's, if any, was
            // the publisher's): the subscriber's feedback is about what we send it.
            int len = TransportWideSequence.write(buf, off, packet.length(), buf.length - off, twcc,
                    transportCc.sendSequence());
            if (len >= 0) {
                transportCc.sequenceSent();
            }
            if (len > packet.length()) {
                packet = new MediaPacket(packet.mid(), packet.video(), buf, off, len, -1, packet.leftOut());
            }
        }
        stream.forwardedOut++;
        sendOnLoop(packet);
    }

    private void sendOnLoop(MediaPacket packet) {
        SrtpSession s = dtlsSrtp.srtp();
        MediaStream stream = streams.byMid(packet.mid());
        if (s == null || stream == null || !stream.send) {
            return;
        }
        byte[] buf = packet.buffer();
        int off = packet.offset();
        boolean rtx = stream.rtxPayloadType >= 0 && RtpHeader.payloadType(buf, off) == stream.rtxPayloadType;
        RtpHeader.ssrc(buf, off, rtx ? stream.localRtxSsrc : stream.localSsrc);
        if (!rtx) {
            long now = io.nowMicros();
            if (stream.sent != null) {
                stream.sent.add(buf, off, packet.length(), now);
            }
            stream.lastSentRtpTimestamp = RtpHeader.timestamp(buf, off);
            stream.lastSentMicros = now;
        }
        pc.tap(false, false, buf, off, packet.length());
        int protectedLength = protectIntoScratch(s, buf, off, packet.length());
        if (protectedLength >= 0) {
            stream.packetsOut++;
            stream.bytesOut += packet.length();
            transport.write(protectScratch, 0, protectedLength);
        } else {
            pc.errors().protectFailures++;
        }
    }

    /** Answers the peer's NACK from what we sent: as RTX when negotiated (RFC 4588), else as is. */
    void retransmit(MediaStream stream, List<Integer> sequences) {
        SrtpSession s = dtlsSrtp.srtp();
        if (s == null || stream.sent == null) {
            return;
        }
        long now = io.nowMicros();
        for (int seq : sequences) {
            byte[] original = stream.sent.get(seq, now);
            if (original == null) {
                continue;
            }
            byte[] out = original;
            if (stream.rtxPayloadType >= 0 && stream.localRtxSsrc != 0) {
                out = Rtx.wrap(original, original.length, stream.rtxPayloadType,
                        stream.localRtxSsrc, stream.rtxSequence);
                stream.rtxSequence = (stream.rtxSequence + 1) & 0xFFFF;
                if (out == null) {
                    continue;
                }
            }
            if (stream.transportCcId > 0 && stream.forwardRewriter != null) {
                // A retransmission is a new packet on the transport: a new number (the element is
                // already there, stamped when the packet was first sent).
                if (TransportWideSequence.write(out, 0, out.length, out.length, stream.transportCcId,
                        transportCc.sendSequence()) >= 0) {
                    transportCc.sequenceSent();
                }
            }
            pc.tap(false, false, out, 0, out.length);
            int protectedLength = protectIntoScratch(s, out, 0, out.length);
            if (protectedLength >= 0) {
                stream.retransmissionsOut++;
                transport.write(protectScratch, 0, protectedLength);
            } else {
                pc.errors().protectFailures++;
            }
        }
    }

    /** Protects {@code buf[off, off + len)} into {@link #protectScratch}: its SRTP length, or -1. */
    private int protectIntoScratch(SrtpSession s, byte[] buf, int off, int len) {
        int room = len + s.rtpOverhead();
        if (protectScratch.length < room) {
            protectScratch = new byte[Math.max(room, 2048)];
        }
        return s.protectRtpInto(buf, off, len, protectScratch);
    }
}
