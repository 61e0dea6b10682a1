package io.portunus.media.pc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.portunus.core.Json;
import io.portunus.core.spi.MediaPacket;
import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.dtls.DtlsSession;
import io.portunus.media.ice.IceAgent;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.IceRole;
import io.portunus.media.ice.IceState;
import io.portunus.media.rtcp.KeyFrameRequests;
import io.portunus.media.rtcp.RoundTrip;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebRTC PeerConnection: BUNDLE and rtcp-mux on one UDP socket per local address, our
 * own ICE agent, DTLS-SRTP, and the RTP/RTCP path between the socket and the plugin. Every
 * packet and timer of a PeerConnection runs on one I/O thread (its Netty event loop), so the
 * packet path needs no locks; the DTLS handshake alone runs on a virtual thread and hands
 * its results back to that loop.
 *
 * <p>Packets are told apart by their first byte (RFC 7983): 0-3 STUN, 20-63 DTLS, 128-191
 * SRTP/SRTCP.
 */
public final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The largest datagram read whole: above any media MTU, and DTLS records are sized to dtls_mtu. */
    private static final int MAX_DATAGRAM = 2048;

    /** What the PeerConnection tells its owner (the core). Called on the I/O thread. */
    public interface Listener {
        void onWebrtcUp();

        void onRtp(MediaPacket packet);

        void onRtcp(MediaPacket packet);

        /** Media started or stopped arriving; {@code seconds} is the no-media timer when it stopped (timer > 1). */
        void onMediaState(String mid, boolean video, boolean receiving, Integer seconds);

        /** More than {@code slowlink_threshold} packets lost in the last second, one direction. */
        default void onSlowLink(String mid, boolean video, boolean uplink, long lost) {
        }

        void onHangup(String reason);

        /** ICE state, by its Janus name (gathering, connecting, connected, ready, failed). */
        default void onIceState(String state) {
        }

        /** A local candidate, SDP value without the "candidate:" prefix. */
        default void onLocalCandidate(String candidate) {
        }

        /** A remote candidate as the peer trickled it. */
        default void onRemoteCandidate(String candidate) {
        }

        default void onSelectedPair(IceCandidate local, IceCandidate remote) {
        }

        /** DTLS state by its Janus name (trying, connected, failed). */
        default void onDtlsState(String state, long retransmissions) {
        }

        /** Per-medium statistics, every {@code stats_period} seconds while media flows. */
        default void onStats(List<io.portunus.events.MediaStats> stats) {
        }
    }

    private final MediaEngine engine;
    private final Listener listener;
    private final EventLoop loop;
    private final MediaLoop mediaLoop;
    /** Ours and the peer's ICE credentials; an ICE restart changes both (set on the loop). */
    private volatile String localUfrag = randomToken(4);
    private volatile String localPwd = randomToken(22);
    private volatile String remoteUfrag;
    private volatile String remotePwd;
    private final IceAgent ice;
    private final DtlsRole dtlsRole;
    private final String remoteFingerprintHash;
    private final String remoteFingerprint;
    private final List<Channel> channels = new ArrayList<>();
    private final List<IceCandidate> localCandidates = new ArrayList<>();
    private final Map<String, MediaStream> streamsByMid = new LinkedHashMap<>();
    private final Map<Long, MediaStream> streamsByRemoteSsrc = new java.util.HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TransportCc transportCc = new TransportCc();
    private volatile DtlsSession dtls;
    /** A running Admin API capture (media.md §7), or null: the only cost on the packet path without one. */
    private volatile io.portunus.media.capture.CaptureTap captureTap;
    private volatile SrtpSession srtp;
    private volatile String localSdp;
    private volatile String remoteSdp;
    private volatile boolean iceStarted;
    /** srflx gathering while it runs (nat.stun_server), else null. */
    private volatile ReflexiveGathering reflexive;
    private volatile long createdMicros;
    private io.netty.util.concurrent.ScheduledFuture<?> iceTimer;
    private long connectedMicros;
    private long nextTransportFeedbackMicros;

    PeerConnection(MediaEngine engine, Listener listener, DtlsRole dtlsRole, String remoteFingerprintHash,
                   String remoteFingerprint, String remoteUfrag, String remotePwd) {
        this.engine = engine;
        this.listener = listener;
        this.loop = engine.loops().workers().next();
        this.mediaLoop = engine.mediaLoop(loop);
        this.dtlsRole = dtlsRole;
        this.remoteFingerprintHash = remoteFingerprintHash;
        this.remoteFingerprint = remoteFingerprint;
        this.ice = new IceAgent(IceRole.CONTROLLED, localUfrag, localPwd, engine.settings().media.iceLite(),
                RANDOM.nextLong(), io.portunus.media.ice.IceConfig.defaults());
        this.ice.setRemoteCredentials(remoteUfrag, remotePwd);
        this.remoteUfrag = remoteUfrag;
        this.remotePwd = remotePwd;
        this.createdMicros = nowMicros();
    }

    // ---- set-up ----------------------------------------------------------------------------

    /**
     * Binds a socket on every media address, from the port range, for the host candidates;
     * with nat.stun_server, also learns a srflx candidate per socket (waiting at most the
     * gatherer's give-up time: the answer carries all candidates, as Janus's half-trickle).
     */
    void bind() throws InterruptedException {
        List<InetAddress> addresses = engine.hostAddresses();
        int[] preferences = IceCandidate.localPreferences(addresses);
        for (int i = 0; i < addresses.size(); i++) {
            Channel ch = bindOne(addresses.get(i));
            InetSocketAddress local = (InetSocketAddress) ch.localAddress();
            channels.add(ch);
            localCandidates.add(IceCandidate.host(local, preferences[i]));
        }
        if (engine.stunServer() != null) {
            localCandidates.addAll(gatherReflexive());
        }
        // On the loop: the agent is single-threaded. Its "gathering" state is reported first,
        // then the candidates, as Janus reports them.
        loop.execute(() -> {
            localCandidates.forEach(ice::addLocalCandidate);
            ice.endOfLocalCandidates();
            pumpIce();
            localCandidates.forEach(c -> listener.onLocalCandidate(c.toSdpValue()));
        });
    }

    private List<IceCandidate> gatherReflexive() throws InterruptedException {
        var gathering = new ReflexiveGathering(loop, this::channelFor, engine.stunServer(), engine.reflexiveTiming());
        reflexive = gathering;
        try {
            // The gatherer gives up by itself; the extra second only guards against a stuck loop.
            long limitMs = engine.reflexiveTiming().giveUpMicros() / 1000 + 1000;
            return gathering.start(List.copyOf(localCandidates)).get(limitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("srflx gathering did not finish ({}): host candidates only", e.toString());
            return List.of();
        } finally {
            reflexive = null;
        }
    }

    private Channel bindOne(InetAddress address) throws InterruptedException {
        PortRange ports = engine.ports();
        for (int attempt = 0; attempt < ports.size(); attempt++) {
            int port = ports.nextPort();
            Bootstrap bootstrap = new Bootstrap().group(loop).channel(engine.loops().datagramChannel())
                    .handler(new Receiver());
            if (engine.loops().datagramChannel() == io.netty.channel.epoll.EpollDatagramChannel.class) {
                // recvmmsg: up to 8 datagrams a system call when several are waiting (a video
                // frame arrives as a burst of packets).
                bootstrap.option(io.netty.channel.epoll.EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                        .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR,
                                new io.netty.channel.FixedRecvByteBufAllocator(MAX_DATAGRAM * 8));
            }
            var future = bootstrap.bind(new InetSocketAddress(address, port)).await();
            if (future.isSuccess()) {
                return future.channel();
            }
        }
        throw new IllegalStateException("No free UDP port for media on " + address.getHostAddress()
                + (ports.isAny() ? "" : " in rtp_port_range"));
    }

    void addStream(MediaStream stream) {
        streamsByMid.put(stream.mid, stream);
        if (stream.remoteSsrc != 0) {
            streamsByRemoteSsrc.put(stream.remoteSsrc, stream);
        }
        if (stream.remoteRtxSsrc != 0) {
            streamsByRemoteSsrc.put(stream.remoteRtxSsrc, stream);
        }
        if (stream.simulcast != null) {
            stream.simulcast.knownSsrcs().forEach(ssrc -> streamsByRemoteSsrc.put(ssrc, stream));
        }
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }

    public DtlsRole dtlsRole() {
        return dtlsRole;
    }

    public List<IceCandidate> localCandidates() {
        return List.copyOf(localCandidates);
    }

    /** Our SSRC (and RTX SSRC) for a mid, for the answer's a=ssrc lines. */
    public long localSsrc(String mid) {
        MediaStream s = streamsByMid.get(mid);
        return s == null ? 0 : s.localSsrc;
    }

    public long localRtxSsrc(String mid) {
        MediaStream s = streamsByMid.get(mid);
        return s == null ? 0 : s.localRtxSsrc;
    }

    public void remoteSdp(String sdp) {
        remoteSdp = sdp;
    }

    /** The answer as sent to the peer (first or renegotiated): ICE checks may start. */
    public void localDescriptionSent(String sdp) {
        localSdp = sdp;
        io.portunus.media.sdp.Sdp answer;
        try {
            answer = io.portunus.media.sdp.Sdp.parse(sdp);
        } catch (io.portunus.media.sdp.SdpException e) {
            LOG.warn("Our own answer does not parse ({}); media may not flow", e.getMessage());
            answer = null;
        }
        io.portunus.media.sdp.Sdp parsed = answer;
        loop.execute(() -> {
            if (parsed != null) {
                applyAnswer(parsed);
            }
            if (!iceStarted && !closed.get()) {
                iceStarted = true;
                ice.start(nowMicros());
                pumpIce();
            }
        });
    }

    /** Payload types and directions as answered: what the peer will send, and what we may. */
    private void applyAnswer(io.portunus.media.sdp.Sdp answer) {
        transportCc.negotiated(answer);
        for (io.portunus.media.sdp.MediaSection m : answer.media()) {
            MediaStream stream = m.mid() == null ? null : streamsByMid.get(m.mid());
            if (stream == null) {
                continue;
            }
            if (m.isRejected() || m.formats().isEmpty()) {
                stream.send = false;
                stream.recv = false;
                continue;
            }
            try {
                int pt = Integer.parseInt(m.formats().get(0));
                stream.payloadType = pt;
                var codec = m.codec(pt);
                stream.codec = codec == null ? null : codec.name().toLowerCase(java.util.Locale.ROOT);
                int rtx = m.rtxPayloadTypeFor(pt);
                stream.rtxPayloadType = rtx;
                List<String> feedback = m.rtcpFb(pt);
                stream.keyFrameByFir = feedback.contains("ccm fir") && !feedback.contains("nack pli");
            } catch (NumberFormatException e) {
                continue;
            }
            var dir = m.direction();
            stream.send = dir == io.portunus.media.sdp.Direction.SENDRECV || dir == io.portunus.media.sdp.Direction.SENDONLY;
            stream.recv = dir == io.portunus.media.sdp.Direction.SENDRECV || dir == io.portunus.media.sdp.Direction.RECVONLY;
        }
        // media.md §5: a renegotiation that stops a medium's recv says receiving:false at once.
        for (MediaStream stream : streamsByMid.values()) {
            if (!stream.recv && stream.receiving) {
                stream.receiving = false;
                listener.onMediaState(stream.mid, stream.video, false, null);
            }
        }
    }

    /**
     * A new offer on this PeerConnection. New ICE credentials mean an ICE restart (RFC 8445 §9):
     * we take new ones too, the peer's candidates start over, and DTLS, SRTP and the current
     * pair stay until a new pair is selected. Same credentials: a plain renegotiation. Either way
     * new m-lines get streams and the answer sent next updates payload types and directions.
     * Applied on the loop before returning, so the answer built next sees it.
     *
     * @return true if this was an ICE restart
     */
    public boolean remoteOffer(io.portunus.media.sdp.Sdp offer) throws io.portunus.media.sdp.SdpException {
        String ufrag = offer.iceUfrag();
        String pwd = offer.icePwd();
        if (ufrag == null || pwd == null) {
            throw new io.portunus.media.sdp.SdpException("Missing ICE credentials (a=ice-ufrag/a=ice-pwd)");
        }
        boolean restart = !ufrag.equals(remoteUfrag) || !pwd.equals(remotePwd);
        String text = offer.write();
        loop.submit(() -> {
            if (restart && !closed.get()) {
                localUfrag = randomToken(4);
                localPwd = randomToken(22);
                ice.restart(localUfrag, localPwd);
                ice.setRemoteCredentials(ufrag, pwd);
                remoteUfrag = ufrag;
                remotePwd = pwd;
                LOG.debug("ICE restart: new local ufrag {}", localUfrag);
            }
            PeerConnections.updateStreams(this, offer);
            remoteSdp = text;
            pumpIce();
        }).syncUninterruptibly();
        return restart;
    }

    MediaStream stream(String mid) {
        return streamsByMid.get(mid);
    }

    /** The peer announced a new SSRC for an m-line (a new track in a renegotiation). */
    void remoteSsrcs(MediaStream stream, long ssrc, long rtxSsrc) {
        streamsByRemoteSsrc.values().removeIf(s -> s == stream);
        stream.remoteSsrc = ssrc;
        stream.remoteRtxSsrc = rtxSsrc;
        addStream(stream);
    }

    public void addRemoteCandidate(IceCandidate candidate, String asReceived) {
        loop.execute(() -> {
            listener.onRemoteCandidate(asReceived);
            ice.addRemoteCandidate(candidate);
            pumpIce();
        });
    }

    public void endOfRemoteCandidates() {
        loop.execute(ice::endOfRemoteCandidates);
    }

    // ---- the packet path ---------------------------------------------------------------------

    /** Reads datagrams from a media socket; everything runs on this PeerConnection's loop. */
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            if (len == 0 || closed.get()) {
                return;
            }
            byte[] data = new byte[len];
            content.getBytes(content.readerIndex(), data);
            try {
                demultiplex(data, len, packet.sender(), (InetSocketAddress) ctx.channel().localAddress());
            } catch (RuntimeException e) {
                // One bad packet must never take the PeerConnection down.
                LOG.debug("Dropping a packet that failed processing: {}", e.toString());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A failed send (writes carry no promise) or read: the peer may be gone; ICE consent decides.
            LOG.debug("Media socket error: {}", cause.toString());
        }
    }

    private void demultiplex(byte[] data, int len, InetSocketAddress from, InetSocketAddress local) {
        int first = data[0] & 0xFF;
        if (first < 4) {
            ReflexiveGathering g = reflexive;
            if (g != null && g.offer(data, len, from)) {
                return;
            }
            if (ice.handleStun(data, 0, len, from, local, nowMicros())) {
                pumpIce();
            }
        } else if (first >= 20 && first <= 63) {
            DtlsSession d = dtls;
            if (d != null) {
                d.receive(data, 0, len);
            }
        } else if (first >= 128 && first <= 191) {
            SrtpSession s = srtp;
            if (s == null) {
                return;
            }
            if (RtpHeader.isRtcp(data, 0, len)) {
                int plain = s.unprotectRtcp(data, 0, len);
                if (plain > 0) {
                    tap(true, true, data, 0, plain);
                    receiveRtcp(data, plain);
                }
            } else {
                int plain = s.unprotectRtp(data, 0, len);
                if (plain > 0) {
                    tap(true, false, data, 0, plain);
                    receiveRtp(data, plain);
                }
            }
        }
    }

    private void receiveRtp(byte[] data, int len) {
        if (!RtpHeader.isValidRtp(data, 0, len)) {
            return;
        }
        long now = nowMicros(); // one clock read per packet: arrival, loss timing and last-seen share it
        transportCc.received(data, len, now);
        long ssrc = RtpHeader.ssrc(data, 0);
        MediaStream stream = streamsByRemoteSsrc.get(ssrc);
        if (stream == null) {
            stream = learnStream(data, len);
            if (stream == null) {
                return;
            }
        }
        int substream = stream.substreamOf(ssrc);
        long repaired = stream.video ? stream.repairedSsrc(ssrc) : 0;
        if (repaired != 0) {
            // A retransmission we (or the peer's own logic) asked for: back to the original packet.
            byte[] original = io.portunus.media.rtp.Rtx.unwrap(data, len, stream.payloadType, repaired);
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
        stream.packetsIn++;
        stream.bytesIn += len;
        stream.lastPacketInMicros = now;
        if (!stream.receiving) {
            stream.receiving = true;
            listener.onMediaState(stream.mid, stream.video, true, null);
        }
        listener.onRtp(new MediaPacket(stream.mid, stream.video, data, 0, len, substream));
    }

    /** An SSRC the SDP did not announce: match it by payload type to an m-line (unified plan, one per kind). */
    private MediaStream learnStream(byte[] data, int len) {
        int pt = RtpHeader.payloadType(data, 0);
        long ssrc = RtpHeader.ssrc(data, 0);
        for (MediaStream s : streamsByMid.values()) {
            if (s.simulcast != null) {
                // Simulcast layers are told apart by their rid only, never guessed from the payload type.
                if (s.simulcast.learn(data, len, ssrc) == 0) {
                    s.remoteSsrc = s.simulcast.ssrc(0); // layer 0 is the main stream (RR, handle_info)
                    s.remoteRtxSsrc = s.simulcast.rtxSsrc(0);
                }
                if (s.substreamOf(ssrc) >= 0) {
                    streamsByRemoteSsrc.put(ssrc, s);
                    return s;
                }
                continue;
            }
            if (s.payloadType == pt && s.remoteSsrc == 0) {
                s.remoteSsrc = ssrc;
                streamsByRemoteSsrc.put(ssrc, s);
                return s;
            }
            if (s.rtxPayloadType == pt && s.remoteRtxSsrc == 0) {
                s.remoteRtxSsrc = ssrc;
                streamsByRemoteSsrc.put(ssrc, s);
                return s;
            }
        }
        return null;
    }

    private void receiveRtcp(byte[] data, int len) {
        for (Rtcp.Block block : Rtcp.blocks(data, 0, len)) {
            if (block.type() == Rtcp.SR || block.type() == Rtcp.RR) {
                if (block.type() == Rtcp.SR && block.length() >= 28) {
                    MediaStream sender = streamsByRemoteSsrc.get(Rtcp.senderSsrc(data, block));
                    if (sender != null) {
                        long msw = Rtcp.read32(data, block.offset() + 8);
                        long lsw = Rtcp.read32(data, block.offset() + 12);
                        sender.peerLastSr = ((msw & 0xFFFF) << 16) | (lsw >>> 16);
                        sender.peerLastSrMicros = nowMicros();
                    }
                }
                readReportBlocks(data, block);
                continue;
            }
            if (block.type() == Rtcp.PSFB && (block.format() == Rtcp.FMT_PLI || block.format() == Rtcp.FMT_FIR)) {
                MediaStream s = streamByLocalSsrc(Rtcp.mediaSsrc(data, block));
                if (s != null) {
                    byte[] copy = java.util.Arrays.copyOfRange(data, block.offset(), block.offset() + block.length());
                    listener.onRtcp(new MediaPacket(s.mid, s.video, copy, 0, copy.length));
                }
            } else if (io.portunus.media.rtcp.Remb.isRemb(data, block)) {
                // The peer's bandwidth estimate for what we send it: the plugin decides what to do.
                var ssrcs = io.portunus.media.rtcp.Remb.ssrcs(data, block);
                MediaStream s = ssrcs.isEmpty() ? null : streamByLocalSsrc(ssrcs.get(0));
                s = s != null ? s : streamsByMid.values().stream().filter(m -> m.video).findFirst().orElse(null);
                if (s != null) {
                    byte[] copy = java.util.Arrays.copyOfRange(data, block.offset(), block.offset() + block.length());
                    listener.onRtcp(new MediaPacket(s.mid, s.video, copy, 0, copy.length));
                }
            } else if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_TWCC) {
                transportCc.feedbackFromPeer(data, block);
            } else if (block.type() == Rtcp.BYE) {
                receiveBye(data, block);
            } else if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_NACK) {
                MediaStream s = streamByLocalSsrc(Rtcp.mediaSsrc(data, block));
                if (s != null) {
                    var sequences = Rtcp.nackedSequences(data, block);
                    s.nacksIn += sequences.size();
                    retransmit(s, sequences);
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
            MediaStream s = streamByLocalSsrc(Rtcp.read32(data, at));
            if (s != null) {
                int cumulative = ((data[at + 5] & 0xFF) << 16) | ((data[at + 6] & 0xFF) << 8) | (data[at + 7] & 0xFF);
                s.lostByRemote = cumulative;
                s.jitterRemote = Rtcp.read32(data, at + 12);
                s.roundTrip(RoundTrip.compact(RoundTrip.nowNtp()), Rtcp.read32(data, at + 16),
                        Rtcp.read32(data, at + 20));
            }
        }
    }

    /** The peer says a stream ends (RFC 3550 §6.6): noted, nothing torn down (a renegotiation may follow). */
    private void receiveBye(byte[] data, Rtcp.Block block) {
        for (long ssrc : Rtcp.byeSsrcs(data, block)) {
            MediaStream s = streamsByRemoteSsrc.get(ssrc);
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

    private MediaStream streamByLocalSsrc(long ssrc) {
        for (MediaStream s : streamsByMid.values()) {
            if (s.localSsrc == ssrc || s.localRtxSsrc == ssrc) {
                return s;
            }
        }
        return null;
    }

    /** Sends RTP from the plugin: SSRC rewritten to ours for that m-line, then protected. */
    public void sendRtp(MediaPacket packet) {
        if (loop.inEventLoop()) {
            doSendRtp(packet);
        } else {
            byte[] copy = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length());
            loop.execute(() -> doSendRtp(new MediaPacket(packet.mid(), packet.video(), copy, 0, copy.length)));
        }
    }

    private void doSendRtp(MediaPacket packet) {
        SrtpSession s = srtp;
        MediaStream stream = streamsByMid.get(packet.mid());
        if (s == null || stream == null || !stream.send) {
            return;
        }
        byte[] buf = packet.buffer();
        int off = packet.offset();
        boolean rtx = stream.rtxPayloadType >= 0 && RtpHeader.payloadType(buf, off) == stream.rtxPayloadType;
        RtpHeader.ssrc(buf, off, rtx ? stream.localRtxSsrc : stream.localSsrc);
        if (!rtx) {
            long now = nowMicros();
            if (stream.sent != null) {
                stream.sent.add(buf, off, packet.length(), now);
            }
            stream.lastSentRtpTimestamp = RtpHeader.timestamp(buf, off);
            stream.lastSentMicros = now;
        }
        tap(false, false, buf, off, packet.length());
        byte[] protectedPacket = s.protectRtp(buf, off, packet.length());
        if (protectedPacket != null) {
            stream.packetsOut++;
            stream.bytesOut += packet.length();
            write(protectedPacket);
        }
    }

    /** Answers the peer's NACK from what we sent: as RTX when negotiated (RFC 4588), else as is. */
    private void retransmit(MediaStream stream, List<Integer> sequences) {
        SrtpSession s = srtp;
        if (s == null || stream.sent == null) {
            return;
        }
        long now = nowMicros();
        for (int seq : sequences) {
            byte[] original = stream.sent.get(seq, now);
            if (original == null) {
                continue;
            }
            byte[] out = original;
            if (stream.rtxPayloadType >= 0 && stream.localRtxSsrc != 0) {
                out = io.portunus.media.rtp.Rtx.wrap(original, original.length, stream.rtxPayloadType,
                        stream.localRtxSsrc, stream.rtxSequence);
                stream.rtxSequence = (stream.rtxSequence + 1) & 0xFFFF;
                if (out == null) {
                    continue;
                }
            }
            tap(false, false, out, 0, out.length);
            byte[] p = s.protectRtp(out, 0, out.length);
            if (p != null) {
                write(p);
            }
        }
    }

    /** Every 20 ms: NACK what the peer's video lost (each gap up to three times, 50 ms apart). */
    private void nackTick(long now) {
        SrtpSession s = srtp;
        int minNackQueue = engine.live().minNackQueueMs();
        for (MediaStream stream : streamsByMid.values()) {
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
                    tap(false, true, nack, 0, nack.length);
                    byte[] p = s.protectRtcp(nack, 0, nack.length);
                    if (p != null) {
                        write(p);
                    }
                }
            }
        }
    }

    /** Sends RTCP feedback from the plugin, about the peer's stream of that m-line. */
    public void sendRtcp(MediaPacket packet) {
        loop.execute(() -> {
            SrtpSession s = srtp;
            MediaStream stream = streamsByMid.get(packet.mid());
            if (s == null || stream == null || stream.remoteSsrc == 0) {
                return;
            }
            long target = stream.remoteSsrcFor(packet.substream());
            byte[] buf = KeyFrameRequests.towardsPeer(
                    java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.length()),
                    stream.localSsrc, target, stream.keyFrameByFir, stream::nextFirSequence);
            tap(false, true, buf, 0, buf.length);
            byte[] p = s.protectRtcp(buf, 0, buf.length);
            if (p != null) {
                write(p);
            }
        });
    }

    /**
     * Once a second (media.md §5): the no-media timer and the slow-link check, with the live
     * values the Admin API may have changed.
     */
    private void secondTick(long now) {
        int noMedia = engine.live().noMediaTimerSeconds();
        int threshold = engine.live().slowlinkThreshold();
        for (MediaStream stream : streamsByMid.values()) {
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
            if (threshold > 0) {
                if (stream.packetsOut > 0 && recentUp >= threshold) {
                    listener.onSlowLink(stream.mid, stream.video, true, recentUp);
                }
                if (stream.packetsIn > 0 && recentDown >= threshold) {
                    listener.onSlowLink(stream.mid, stream.video, false, recentDown);
                }
            }
        }
        sendReports(now);
    }

    /**
     * Our own RTCP, once a second per m-line (RFC 3550 §6.4): a sender report for what we send
     * (its RTP time extrapolated from the last packet), with a reception report about the peer's
     * stream (loss, highest sequence, LSR/DLSR so the peer can measure the round trip).
     */
    private void sendReports(long now) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        long ntp = RoundTrip.nowNtp(); // the clock the RTT is measured with
        long ntpSeconds = ntp >>> 32;
        long ntpFraction = ntp & 0xFFFFFFFFL;
        for (MediaStream stream : streamsByMid.values()) {
            Rtcp.ReportBlock block = null;
            if (stream.remoteSsrc != 0 && stream.packetsIn > 0) {
                long highest = stream.loss.extendedHighest();
                long lost = stream.loss.lostCount();
                long expected = highest - stream.reportedHighest;
                long lostInterval = lost - stream.reportedLost;
                int fraction = expected > 0 && lostInterval > 0 ? (int) Math.min(255, (lostInterval << 8) / expected) : 0;
                stream.reportedHighest = highest;
                stream.reportedLost = lost;
                long dlsr = stream.peerLastSr == 0 ? 0 : ((now - stream.peerLastSrMicros) * 65_536L) / 1_000_000L;
                block = new Rtcp.ReportBlock(stream.remoteSsrc, fraction, lost, highest, 0, stream.peerLastSr, dlsr);
            }
            boolean sender = stream.packetsOut > 0 && stream.lastSentRtpTimestamp >= 0;
            if (!sender && block == null) {
                continue;
            }
            long clock = stream.video ? 90_000 : 48_000;
            long rtpTs = sender ? (stream.lastSentRtpTimestamp + (now - stream.lastSentMicros) * clock / 1_000_000L) & 0xFFFFFFFFL : 0;
            byte[] report = Rtcp.report(stream.localSsrc, sender, ntpSeconds, ntpFraction, rtpTs, stream.packetsOut,
                    stream.bytesOut, block, "janus");
            tap(false, true, report, 0, report.length);
            byte[] p = s.protectRtcp(report, 0, report.length);
            if (p != null) {
                write(p);
            }
        }
    }

    /** Every events.stats_period seconds: per-medium statistics for the event handlers. */
    private void scheduleStats() {
        int period = engine.statsPeriodSeconds();
        if (period <= 0) {
            return;
        }
        loop.schedule(() -> {
            if (closed.get()) {
                return;
            }
            List<io.portunus.events.MediaStats> stats = new ArrayList<>();
            for (MediaStream stream : streamsByMid.values()) {
                stats.add(stream.snapshot(period));
            }
            listener.onStats(stats);
            scheduleStats();
        }, period, TimeUnit.SECONDS);
    }

    /** Asks the peer for a key frame on every video m-line. */
    public void requestKeyFrame() {
        for (MediaStream stream : streamsByMid.values()) {
            if (stream.video && stream.remoteSsrc != 0) {
                byte[] pli = Rtcp.pli(stream.localSsrc, stream.remoteSsrc);
                sendRtcp(new MediaPacket(stream.mid, true, pli, 0, pli.length));
            }
        }
    }

    private void write(byte[] datagram) {
        var pair = ice.selectedPair();
        if (pair == null) {
            return;
        }
        Channel ch = channelFor(pair.local().address());
        if (ch != null) {
            mediaLoop.write(ch, new DatagramPacket(Unpooled.wrappedBuffer(datagram), pair.remote().address()));
        }
    }

    private Channel channelFor(InetSocketAddress local) {
        for (Channel ch : channels) {
            InetSocketAddress a = (InetSocketAddress) ch.localAddress();
            if (a.getPort() == local.getPort() && a.getAddress().equals(local.getAddress())) {
                return ch;
            }
        }
        return channels.isEmpty() ? null : channels.get(0);
    }

    /** Starts (a tap) or stops (null) handing plain RTP/RTCP to a capture. */
    public void captureTap(io.portunus.media.capture.CaptureTap tap) {
        captureTap = tap;
    }

    public io.portunus.media.capture.CaptureTap captureTap() {
        return captureTap;
    }

    /** Incoming packets after SRTP unprotect, outgoing ones before protect. */
    private void tap(boolean incoming, boolean rtcp, byte[] buf, int off, int len) {
        io.portunus.media.capture.CaptureTap t = captureTap;
        if (t != null) {
            t.packet(incoming, rtcp, buf, off, len, io.portunus.media.capture.CaptureTap.epochMicros());
        }
    }

    // ---- ICE and DTLS ---------------------------------------------------------------------

    /** Sends what the ICE agent wants sent, reacts to its events, and re-arms its timer. */
    private void pumpIce() {
        long now = nowMicros();
        for (var t : ice.pollTransmit(now)) {
            Channel ch = channelFor(t.from());
            if (ch != null) {
                mediaLoop.write(ch, new DatagramPacket(Unpooled.wrappedBuffer(t.data()), t.to()));
            }
        }
        for (var event : ice.pollEvents()) {
            if (event instanceof io.portunus.media.ice.IceEvent.StateChanged sc) {
                listener.onIceState(sc.state().janusName());
                onIceState(sc.state());
            } else if (event instanceof io.portunus.media.ice.IceEvent.SelectedPair sp) {
                listener.onSelectedPair(sp.local(), sp.remote());
            }
        }
        if (iceTimer != null) {
            iceTimer.cancel(false);
        }
        long deadline = ice.nextDeadlineMicros();
        if (deadline != Long.MAX_VALUE && !closed.get()) {
            long delay = Math.max(1_000, deadline - now);
            iceTimer = loop.schedule(() -> {
                ice.handleTimeout(nowMicros());
                pumpIce();
            }, delay, TimeUnit.MICROSECONDS);
        }
    }

    private void onIceState(IceState state) {
        if (engine.live().iceDebug()) {
            // set_libnice_debug: Janus turns on libnice's log; ours is the agent's own account.
            LOG.info("ICE debug: state {} (selected pair {})", state.janusName(), ice.selectedPair());
        } else {
            LOG.debug("ICE state {}", state.janusName());
        }
        if ((state == IceState.CONNECTED || state == IceState.READY) && dtls == null) {
            startDtls();
        } else if (state == IceState.FAILED) {
            close("ICE failed");
        }
    }

    private void startDtls() {
        DtlsSession session = new DtlsSession(engine.certificate(), dtlsRole, remoteFingerprintHash, remoteFingerprint,
                datagram -> loop.execute(() -> write(datagram)), new DtlsSession.Listener() {
                    @Override
                    public void onConnected(SrtpKeys keys) {
                        loop.execute(() -> dtlsConnected(keys));
                    }

                    @Override
                    public void onFailed(String reason) {
                        loop.execute(() -> {
                            listener.onDtlsState("failed", dtls == null ? 0 : dtls.retransmissions());
                            close(reason);
                        });
                    }

                    @Override
                    public void onClosed() {
                        loop.execute(() -> close("DTLS alert"));
                    }
                }, engine.settings().media.dtlsMtu(), engine.dtlsOptions());
        dtls = session;
        listener.onDtlsState("trying", 0);
        session.start();
    }

    private void dtlsConnected(SrtpKeys keys) {
        if (closed.get()) {
            return;
        }
        srtp = new SrtpSession(keys);
        connectedMicros = nowMicros();
        listener.onDtlsState("connected", dtls == null ? 0 : dtls.retransmissions());
        listener.onWebrtcUp();
        scheduleStats();
        requestKeyFrame();
        nextTransportFeedbackMicros = nowMicros() + twccPeriodMillis() * 1000L;
        mediaLoop.register(new MediaLoop.Ticking() {
            @Override
            public void tick(long now) {
                nackTick(now);
                if (now >= nextTransportFeedbackMicros) {
                    nextTransportFeedbackMicros = now + twccPeriodMillis() * 1000L;
                    transportFeedbackTick();
                }
            }

            @Override
            public void secondTick(long now) {
                PeerConnection.this.secondTick(now);
            }

            @Override
            public boolean active() {
                return !closed.get();
            }
        });
    }

    private int twccPeriodMillis() {
        int period = engine.settings().media.twccPeriod();
        return period > 0 ? period : 200;
    }

    /** Every twcc_period (media.md §2), on the shared tick: transport feedback about what arrived since the last one. */
    private void transportFeedbackTick() {
        SrtpSession s = srtp;
        MediaStream about = null;
        for (MediaStream stream : streamsByMid.values()) {
            if (stream.remoteSsrc != 0 && (about == null || (stream.video && !about.video))) {
                about = stream; // the feedback is transport-wide: any stream's SSRCs do, video preferred
            }
        }
        if (s != null && about != null) {
            for (byte[] feedback : transportCc.feedback(about.localSsrc, about.remoteSsrc)) {
                tap(false, true, feedback, 0, feedback.length);
                byte[] p = s.protectRtcp(feedback, 0, feedback.length);
                if (p != null) {
                    write(p);
                }
            }
        }
    }

    /** The DTLS role we answered with, for the answer's a=setup. */
    public io.portunus.media.sdp.Setup setup() {
        return dtlsRole == DtlsRole.CLIENT ? io.portunus.media.sdp.Setup.ACTIVE : io.portunus.media.sdp.Setup.PASSIVE;
    }

    /** What the answer needs to say about this PeerConnection: ICE, DTLS, candidates, SSRCs. */
    public io.portunus.media.sdp.LocalMedia localMedia() throws io.portunus.media.sdp.SdpException {
        var b = io.portunus.media.sdp.LocalMedia.builder()
                .ice(localUfrag, localPwd)
                .fingerprint(engine.certificate().fingerprintSha256())
                .setup(setup())
                .endOfCandidates(true)
                .iceLite(engine.settings().media.iceLite());
        for (IceCandidate c : localCandidates) {
            b.candidate(io.portunus.media.sdp.Candidate.parse(c.toSdpValue()));
        }
        streamsByMid.forEach((mid, s) -> b.ssrc(mid, s.localSsrc, s.video ? s.localRtxSsrc : -1));
        String address = channels.isEmpty() ? "127.0.0.1"
                : ((InetSocketAddress) channels.get(0).localAddress()).getAddress().getHostAddress();
        b.connectionAddress(address);
        return b.build();
    }

    /** Tears down sockets, ICE and DTLS; tells the owner once, with the reason. */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Runnable teardown = () -> {
            if (iceTimer != null) {
                iceTimer.cancel(false);
            }
            DtlsSession d = dtls;
            if (d != null) {
                d.close();
            }
            channels.forEach(Channel::close);
            listener.onHangup(reason);
        };
        if (loop.inEventLoop()) {
            teardown.run();
        } else {
            loop.execute(teardown);
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    // ---- handle_info ------------------------------------------------------------------------

    /** The {@code webrtc} part of {@code handle_info} (admin-api.md §4.1), as far as it is kept. */
    public ObjectNode describe() {
        ObjectNode webrtc = Json.object();
        webrtc.set("ice", ice.describe());
        DtlsSession d = dtls;
        webrtc.set("dtls", d == null ? Json.object() : d.describe());
        webrtc.set("bwe", transportCc.describe());
        ObjectNode media = webrtc.putObject("media");
        streamsByMid.forEach((mid, s) -> media.set(mid, s.describe()));
        return webrtc;
    }

    public String localSdp() {
        return localSdp;
    }

    public String remoteSdp() {
        return remoteSdp;
    }

    public long createdMicros() {
        return createdMicros;
    }

    static long nowMicros() {
        return System.nanoTime() / 1_000;
    }

    private static String randomToken(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static long randomSsrc() {
        long v;
        do {
            v = RANDOM.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }

}
