package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.HandleMedia;
import io.portunus.core.Json;
import io.portunus.core.event.MediaStats;
import io.portunus.core.spi.MediaPacket;
import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.IceState;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.TransportWideSequence;
import io.portunus.media.sdp.LocalMedia;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;
import io.portunus.media.sdp.Setup;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpSession;
import io.portunus.webrtc.capture.CaptureTap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebRTC PeerConnection: BUNDLE and rtcp-mux on one UDP socket per local address, our
 * own ICE agent, DTLS-SRTP, and the RTP/RTCP path between the socket and the plugin. Every
 * packet and timer of a PeerConnection runs on one thread, so the packet path needs no locks;
 * the DTLS handshake alone runs on a thread of its own (Bouncy Castle's handshake blocks) and
 * hands its results back to that one.
 *
 * <p>The thread, the clock, the timers and the sockets are the {@link MediaIo}'s: in the
 * server a Netty event loop and real sockets ({@link NettyMediaIo}); in the scenario tests a
 * fake clock and an in-memory network, so this class and its parts hold protocol logic only.
 *
 * <p>Packets are told apart by their first byte (RFC 7983): 0-3 STUN, 20-63 DTLS, 128-191
 * SRTP/SRTCP.
 *
 * <p>This class is what the rest of Portunus uses, and it routes packets and the lifecycle
 * (ICE connected, DTLS up, close) between the parts, each owning one concern, all on the loop:
 * {@link IceTransport} (sockets, candidates, ICE agent), {@link DtlsSrtp} (DTLS handshake,
 * SRTP session), {@link SdpNegotiation} (answers, renegotiation, ICE restart),
 * {@link StreamTable} (the m-lines and their SSRCs), {@link RtpReceiver} and {@link RtpSender}
 * (RTP both ways, retransmissions), {@link RtcpReceiver} and {@link RtcpSender} (RTCP both
 * ways, the shared tick's NACKs, transport feedback and reports), {@link MediaMonitor}
 * (no-media, slow link, stats). The parts are final fields, so the packet path costs plain
 * method calls.
 */
public final class PeerConnection implements HandleMedia, MediaIo.DatagramSink {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

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

        /** A data channel message from the peer (on the loop). */
        default void onData(String label, byte[] data, boolean binary) {
        }

        /** Per-medium statistics, every {@code stats_period} seconds while media flows. */
        default void onStats(List<MediaStats> stats) {
        }
    }
    private final Listener listener;
    private final MediaIo io;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StreamTable streams = new StreamTable();
    private final TransportCc transportCc = new TransportCc();
    private final IceTransport transport;
    private final DtlsSrtp dtlsSrtp;
    private final SdpNegotiation negotiation;
    private final RtpReceiver rtpReceiver;
    private final RtpSender rtpSender;
    private final RtcpReceiver rtcpReceiver;
    private final RtcpSender rtcpSender;
    private final MediaMonitor monitor;
    private final PathErrors errors = new PathErrors();
    /** Its data channels (none until the peer's first SCTP packet). */
    private final PeerData data;
    /** A running Admin API capture (media.md §7), or null: the only cost on the packet path without one. */
    private volatile CaptureTap captureTap;
    private volatile long createdMicros;
    /** Where the metrics read this PeerConnection's counters (and its last ones after close). */
    private final MediaTotals totals;

    PeerConnection(MediaEngine engine, MediaIo io, Listener listener, DtlsRole dtlsRole, String remoteFingerprintHash,
                   String remoteFingerprint, String remoteUfrag, String remotePwd) {
        this.listener = listener;
        this.io = io;
        this.transport = new IceTransport(this, engine, listener, io, remoteUfrag, remotePwd);
        this.dtlsSrtp = new DtlsSrtp(this, engine, listener, io, transport, dtlsRole, remoteFingerprintHash,
                remoteFingerprint);
        this.data = new PeerData(io, dtlsSrtp, listener, errors, closed);
        this.negotiation = new SdpNegotiation(this, engine, listener, io, transport, streams, transportCc, dtlsRole);
        this.rtpReceiver = new RtpReceiver(listener, streams, transportCc, io);
        this.rtpSender = new RtpSender(this, io, streams, dtlsSrtp, transport, transportCc);
        this.rtcpReceiver = new RtcpReceiver(listener, streams, transportCc, rtpSender, io);
        this.rtcpSender = new RtcpSender(this, engine, io, streams, transportCc, dtlsSrtp, transport);
        this.monitor = new MediaMonitor(this, engine, listener, io, streams);
        this.createdMicros = io.nowMicros();
        this.totals = engine.totals();
    }

    // ---- set-up ----------------------------------------------------------------------------

    /** Binds the media sockets and gathers the local candidates ({@link IceTransport#bind()}). */
    void bind() throws InterruptedException {
        transport.bind();
    }

    /** The m-lines, for {@link PeerConnections} to add the offer's streams to. */
    StreamTable streams() {
        return streams;
    }

    public String localUfrag() {
        return transport.localUfrag();
    }

    public String localPwd() {
        return transport.localPwd();
    }

    public DtlsRole dtlsRole() {
        return dtlsSrtp.role();
    }

    public List<IceCandidate> localCandidates() {
        return List.copyOf(transport.localCandidates());
    }

    /** Our SSRC (and RTX SSRC) for a mid, for the answer's a=ssrc lines. */
    public long localSsrc(String mid) {
        MediaStream s = streams.byMid(mid);
        return s == null ? 0 : s.localSsrc;
    }

    public long localRtxSsrc(String mid) {
        MediaStream s = streams.byMid(mid);
        return s == null ? 0 : s.localRtxSsrc;
    }

    // ---- negotiation (SdpNegotiation) and trickle (IceTransport) -----------------------------

    public void remoteSdp(String sdp) {
        negotiation.remoteSdp(sdp);
    }

    /** The answer as sent to the peer (first or renegotiated): ICE checks may start. */
    public void localDescriptionSent(String sdp) {
        negotiation.localDescriptionSent(sdp);
    }

    /** Our offer as sent to the peer (a VideoRoom subscriber's): its payload types apply now. */
    public void localOfferSent(String sdp) throws SdpException {
        negotiation.localOfferSent(sdp);
    }

    /** Whether we offered and the peer has not answered yet. */
    public boolean offerPending() {
        return negotiation.offerPending();
    }

    /** The peer's answer to our offer: ICE checks and then DTLS start. */
    public void remoteAnswer(Sdp answer) throws SdpException {
        negotiation.remoteAnswer(answer, dtlsSrtp);
    }

    /**
     * A new offer on this PeerConnection: a renegotiation, or an ICE restart when its ICE
     * credentials are new ({@link SdpNegotiation#remoteOffer}). Applied on the loop before
     * returning, so the answer built next sees it.
     *
     * @return true if this was an ICE restart
     */
    public boolean remoteOffer(Sdp offer) throws SdpException {
        return negotiation.remoteOffer(offer);
    }

    /**
     * An ICE restart in the offer we make next (a VideoRoom subscriber's {@code configure} with
     * {@code restart}): new local ICE credentials, applied on the loop before returning so
     * {@link #localMedia()} carries them; DTLS, SRTP and the SSRCs stay.
     */
    public void restartIce() {
        io.runAndWait(transport::restartLocal);
    }

    /** The DTLS role we answered with, for the answer's a=setup. */
    public Setup setup() {
        return negotiation.setup();
    }

    /** What the answer needs to say about this PeerConnection: ICE, DTLS, candidates, SSRCs. */
    public LocalMedia localMedia() throws SdpException {
        return negotiation.localMedia();
    }

    public void addRemoteCandidate(IceCandidate candidate, String asReceived) {
        transport.addRemoteCandidate(candidate, asReceived);
    }

    public void endOfRemoteCandidates() {
        transport.endOfRemoteCandidates();
    }

    // ---- the packet path ---------------------------------------------------------------------

    /** A datagram from one of our sockets, on the loop. */
    @Override
    public void received(byte[] data, int len, InetSocketAddress from, InetSocketAddress local) {
        if (closed.get()) {
            return;
        }
        try {
            demultiplex(data, len, from, local);
        } catch (RuntimeException e) {
            // One bad packet must never take the PeerConnection down.
            errors.packetExceptions++;
            LOG.debug("Dropping a packet that failed processing: {}", e.toString());
        }
    }

    @Override
    public void socketError(Throwable cause) {
        // A failed send (writes carry no promise) or read: the peer may be gone; ICE consent decides.
        errors.sendErrors++;
        LOG.debug("Media socket error: {}", cause.toString());
    }

    /** A datagram from a media socket, on the loop, told apart by its first byte (RFC 7983). */
    void demultiplex(byte[] data, int len, InetSocketAddress from, InetSocketAddress local) {
        int first = data[0] & 0xFF;
        if (first < 4) {
            transport.receiveStun(data, len, from, local);
        } else if (first >= 20 && first <= 63) {
            dtlsSrtp.receive(data, len);
        } else if (first >= 128 && first <= 191) {
            SrtpSession s = dtlsSrtp.srtp();
            if (s == null) {
                return;
            }
            if (RtpHeader.isRtcp(data, 0, len)) {
                int plain = s.unprotectRtcp(data, 0, len);
                if (plain > 0) {
                    tap(true, true, data, 0, plain);
                    rtcpReceiver.receive(data, plain);
                }
            } else {
                int plain = s.unprotectRtp(data, 0, len);
                if (plain > 0) {
                    tap(true, false, data, 0, plain);
                    rtpReceiver.receive(data, plain);
                }
            }
        }
    }

    /** An SCTP packet out of DTLS, on the loop: the data channels start with the peer's first. */
    void dataReceived(byte[] packet) {
        data.received(packet);
    }

    /** The data medium's statistics for a media stats event, or null without data channels (on the loop). */
    MediaStats dataStats() {
        return data.stats(negotiation::dataMedium);
    }

    /** Sends a data channel message from the plugin (any thread), on the channel with this label. */
    @Override
    public void sendData(String label, byte[] data, boolean binary) {
        this.data.send(label, data, binary);
    }

    /** Sends RTP from the plugin: SSRC rewritten to ours for that m-line, then protected. */
    public void sendRtp(MediaPacket packet) {
        rtpSender.send(packet);
    }

    /**
     * Forwards another PeerConnection's RTP on this one's leg {@code packet.mid()}, from any
     * thread. The packet is the plugin's, shared and immutable: the one copy this leg needs (it
     * rewrites and protects it) is made here, and owned by this PeerConnection from then on. It
     * reaches this PeerConnection's loop through the loop's hand-over queue.
     */
    public void forwardRtp(MediaPacket packet) {
        if (closed.get()) {
            return;
        }
        // Room after the packet for our transport-wide sequence number, should the leg add one.
        byte[] copy = Arrays.copyOfRange(packet.buffer(), packet.offset(),
                packet.offset() + packet.length() + TransportWideSequence.HEADROOM);
        io.handOver(rtpSender, new MediaPacket(packet.mid(), packet.video(), copy, 0, packet.length(), -1,
                packet.leftOut()));
    }

    /**
     * Whether this PeerConnection's streams are the first of these mids, in this order (a new
     * offer keeps every m-line it had and may add some at the end, RFC 8829 §5.2.2).
     */
    public boolean hasLegs(List<String> mids) {
        MediaStream[] all = streams.published();
        if (all.length > mids.size()) {
            return false;
        }
        for (int i = 0; i < all.length; i++) {
            if (!all[i].mid.equals(mids.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * New legs at the end of a new offer we make (a VideoRoom {@code subscribe}): a stream each,
     * with SSRCs of its own, on the bundle's transport (ICE and DTLS stay). Added on the loop,
     * which owns the stream table once packets flow.
     */
    public void addLegs(SequencedMap<String, Boolean> legs) {
        io.runAndWait(() -> {
            for (var leg : legs.entrySet()) {
                if (streams.byMid(leg.getKey()) == null) {
                    boolean video = leg.getValue();
                    streams.add(new MediaStream(leg.getKey(), streams.all().size(), video, randomSsrc(),
                            video ? randomSsrc() : 0));
                }
            }
        });
    }

    /**
     * How a forwarded leg rewrites what it sends: header-extension ids (index: the source's id,
     * value: ours, 0 to drop). Sequence numbers and timestamps are always made continuous per leg.
     */
    public void forwardedLeg(String mid, int[] extensionIds) {
        MediaStream s = streams.byMid(mid);
        if (s != null) {
            s.forwarded(extensionIds);
        }
    }

    @Override
    public void forwardingResumed(String mid) {
        MediaStream s = streams.byMid(mid);
        if (s != null) {
            s.forwardResumed = true;
        }
    }

    /** Sends RTCP feedback from the plugin, about the peer's stream of that m-line. */
    public void sendRtcp(MediaPacket packet) {
        rtcpSender.sendFromPlugin(packet);
    }

    /** Asks the peer for a key frame on every video m-line. */
    public void requestKeyFrame() {
        rtcpSender.requestKeyFrame();
    }

    /** Starts (a tap) or stops (null) handing plain RTP/RTCP to a capture. */
    public void captureTap(CaptureTap tap) {
        captureTap = tap;
    }

    public CaptureTap captureTap() {
        return captureTap;
    }

    /** Incoming packets after SRTP unprotect, outgoing ones before protect. */
    void tap(boolean incoming, boolean rtcp, byte[] buf, int off, int len) {
        CaptureTap t = captureTap;
        if (t != null) {
            t.packet(incoming, rtcp, buf, off, len, CaptureTap.epochMicros());
        }
    }

    // ---- ICE and DTLS ---------------------------------------------------------------------

    /** On the loop, for each ICE state change: a connected pair starts DTLS, a failure closes. */
    void iceStateChanged(IceState state) {
        if ((state == IceState.CONNECTED || state == IceState.READY) && !dtlsSrtp.started()) {
            dtlsSrtp.start();
        } else if (state == IceState.FAILED) {
            // DTLS starts with the first working pair: a failure after it is lost consent.
            totals.iceFailed(dtlsSrtp.started() ? MediaTotals.IceFailure.CONSENT_LOST : MediaTotals.IceFailure.CHECKS_FAILED);
            close("ICE failed");
        }
    }

    /**
     * On the loop, once DTLS is connected and SRTP keyed: webrtcup, a key frame asked for, and
     * this PeerConnection's periodic work joins the shared tick.
     */
    void secured() {
        monitor.connected(io.nowMicros());
        listener.onDtlsState("connected", dtlsSrtp.retransmissions());
        listener.onWebrtcUp();
        monitor.scheduleStats();
        requestKeyFrame();
        rtcpSender.start();
        io.tick(new MediaIo.Ticking() {
            @Override
            public void tick(long now) {
                rtcpSender.tick(now);
                data.tick(now);
            }

            @Override
            public void secondTick(long now) {
                monitor.secondTick(now);
                rtcpSender.sendReports(now);
            }

            @Override
            public boolean active() {
                return !closed.get();
            }
        });
    }

    /** Tears down sockets, ICE and DTLS; tells the owner once, with the reason. */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Runnable teardown = () -> {
            dtlsSrtp.close();
            transport.close();
            totals.closed(this, streams.published());
            listener.onHangup(reason);
        };
        if (io.inLoop()) {
            teardown.run();
        } else {
            io.execute(teardown);
        }
    }

    /**
     * Closes a PeerConnection that was never handed to its owner (its handle went away while it
     * was being made, or binding failed): sockets and timers go, the listener hears nothing.
     */
    public void discard() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Runnable teardown = () -> {
            dtlsSrtp.close();
            transport.close();
        };
        if (io.inLoop()) {
            teardown.run();
        } else {
            io.execute(teardown);
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** The streams, readable from any thread (for the metrics' totals). */
    MediaStream[] publishedStreams() {
        return streams.published();
    }

    /**
     * Where the set-up stands, for the metrics' PeerConnections-by-state gauge: {@code ice}
     * (connectivity checks), {@code dtls} (handshake), {@code connected} (SRTP keyed),
     * {@code closed}.
     */
    public String phase() {
        if (closed.get()) {
            return "closed";
        }
        if (dtlsSrtp.srtp() != null) {
            return "connected";
        }
        return dtlsSrtp.started() ? "dtls" : "ice";
    }

    /** The SRTP keys DTLS exported (null before), for a test to compare with the peer's. */
    SrtpKeys srtpKeys() {
        return dtlsSrtp.keys();
    }

    /**
     * DTLS datagrams its handshake thread has yet to read: a test that drives the loop itself
     * (the scenario tests) lets time move only when there are none.
     */
    int dtlsQueuedDatagrams() {
        return dtlsSrtp.queuedDatagrams();
    }

    // ---- handle_info ------------------------------------------------------------------------

    /** The {@code webrtc} part of {@code handle_info} (admin-api.md §4.1), as far as it is kept. */
    public ObjectNode describe() {
        ObjectNode webrtc = Json.object();
        webrtc.set("ice", transport.describe());
        ObjectNode dtls = dtlsSrtp.describe();
        dtls.put("sctp-association", data.established());
        webrtc.set("dtls", dtls);
        var extensions = negotiation.extensions();
        if (!extensions.isEmpty()) {
            ObjectNode e = webrtc.putObject("extensions");
            extensions.forEach(e::put);
        }
        webrtc.set("bwe", transportCc.describe());
        ObjectNode pathErrors = errors.describe();
        pathErrors.put("dtls-queue-drops", dtlsSrtp.droppedDatagrams());
        webrtc.set("portunus-errors", pathErrors);
        ObjectNode media = webrtc.putObject("media");
        for (MediaStream s : streams.all()) {
            media.set(s.mid, s.describe());
        }
        data.describeInto(media, negotiation::dataMedium);
        return webrtc;
    }

    /** The packet path's error counters ({@code webrtc.portunus-errors}). */
    PathErrors errors() {
        return errors;
    }

    public String localSdp() {
        return negotiation.localSdp();
    }

    public String remoteSdp() {
        return negotiation.remoteSdp();
    }

    public long createdMicros() {
        return createdMicros;
    }

    /** When ICE connectivity checks began ({@code agent-started}), or -1 before. */
    public long agentStartedMicros() {
        return transport.startedMicros();
    }

    static long randomSsrc() {
        long v;
        do {
            v = RANDOM.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }
}
