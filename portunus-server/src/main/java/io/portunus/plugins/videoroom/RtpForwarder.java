package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.srtp.SrtpSession;
import io.portunus.net.RtpForwardIo;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * One RTP forwarder ({@code rtp_forward}): a publisher's stream (or one simulcast layer of it)
 * copied as plain RTP, or SRTP, to a UDP address. The publisher's I/O thread calls
 * {@link #forward} for each packet: it copies the packet, puts in the forwarder's payload type and
 * SSRC when it has them, and queues it for the forwarding thread ({@link RtpForwardIo}), which
 * protects and sends it; a full queue drops the packet and counts it. With an RTCP port, the
 * receiver's PLI or FIR asks the publisher for a key frame, as Janus does.
 */
final class RtpForwarder {
    /** Janus's first datagram from a forwarder's RTCP socket: an empty header, so the receiver learns the port. */
    private static final byte[] RTCP_HELLO = {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    final long streamId;
    /** The stream it copies; replaced when a renegotiation keeps the mid. */
    volatile PublishedStream source;
    /** The simulcast layer it copies (0 for {@code port}, 1 for {@code port_2}, 2 for {@code port_3}), -1: all packets. */
    final int substream;
    final String host;
    final InetSocketAddress target;
    final int pt;
    final long ssrc;
    private final SrtpSession srtp;
    private final RtpForwardIo io;
    private final RtpForwardIo.Finisher finisher;
    private volatile RtpForwardIo.RtcpPort rtcp;
    private final int remoteRtcpPort;
    private volatile boolean closed;
    // Written by the publisher's I/O thread only, read by requests.
    private volatile long packets;
    private volatile long bytes;
    private volatile long dropped;
    private volatile long keyFrameRequests;

    RtpForwarder(long streamId, PublishedStream source, int substream, String host, InetSocketAddress target, int pt,
                 long ssrc, SrtpSession srtp, RtpForwardIo io, int remoteRtcpPort) {
        this.streamId = streamId;
        this.source = source;
        this.substream = substream;
        this.host = host;
        this.target = target;
        this.pt = pt;
        this.ssrc = ssrc;
        this.srtp = srtp;
        this.io = io;
        this.remoteRtcpPort = remoteRtcpPort;
        // SRTP runs on the forwarding thread only (the session is not shared with another thread).
        this.finisher = srtp == null ? null : (buf, len) -> srtp.protectRtpInPlace(buf, 0, len);
    }

    /**
     * Opens the RTCP socket when the request named an RTCP port: the receiver's PLI/FIR there runs
     * {@code keyFrame} (on the forwarding thread).
     */
    void openRtcp(Runnable keyFrame) throws InterruptedException {
        if (remoteRtcpPort <= 0) {
            return;
        }
        InetSocketAddress remote = new InetSocketAddress(target.getAddress(), remoteRtcpPort);
        rtcp = io.openRtcp(remote, RTCP_HELLO.clone(), (data, len) -> {
            for (Rtcp.Block block : Rtcp.blocks(data, 0, len)) {
                if (block.type() == Rtcp.PSFB && (block.format() == Rtcp.FMT_PLI || block.format() == Rtcp.FMT_FIR)) {
                    keyFrameRequests++;
                    keyFrame.run();
                    return;
                }
            }
        });
    }

    /** A packet of the source (on the publisher's thread); {@code layer} the simulcast layer it came on, or -1. */
    void forward(byte[] buf, int off, int len, int layer) {
        if (closed || substream >= 0 && layer != substream) {
            return;
        }
        int room = srtp == null ? 0 : srtp.rtpOverhead();
        byte[] copy = Arrays.copyOfRange(buf, off, off + len + room);
        if (pt >= 0) {
            RtpHeader.payloadType(copy, 0, pt);
        }
        if (ssrc >= 0) {
            RtpHeader.ssrc(copy, 0, ssrc);
        }
        if (io.send(copy, len, target, finisher)) {
            packets++;
            bytes += len;
        } else {
            dropped++;
        }
    }

    /** Stops it: nothing more is queued, its RTCP socket closes. */
    void close() {
        closed = true;
        RtpForwardIo.RtcpPort r = rtcp;
        if (r != null) {
            r.close();
        }
    }

    /** Its entry in {@code rtp_forward}'s reply, {@code listforwarders} and the event, with Janus's keys in Janus's order. */
    ObjectNode describe() {
        ObjectNode f = Json.object();
        f.put("stream_id", streamId);
        f.put("host", host);
        f.put("port", target.getPort());
        f.put("type", source.video ? "video" : "audio");
        RtpForwardIo.RtcpPort r = rtcp;
        if (r != null) {
            f.put("local_rtcp_port", r.localPort());
            f.put("remote_rtcp_port", remoteRtcpPort);
        }
        if (pt >= 0) {
            f.put("pt", pt);
        }
        if (ssrc >= 0) {
            f.put("ssrc", ssrc);
        }
        if (substream > 0) {
            f.put("substream", substream);
        }
        if (srtp != null) {
            f.put("srtp", true);
        }
        return f;
    }

    /** {@link #describe()} and what Janus does not report: packets and bytes queued, packets dropped, key frames asked for. */
    ObjectNode describeWithCounters() {
        ObjectNode f = describe();
        f.put("mid", source.mid);
        f.put("packets", packets);
        f.put("bytes", bytes);
        f.put("dropped", dropped);
        f.put("keyframe-requests", keyFrameRequests);
        return f;
    }
}
