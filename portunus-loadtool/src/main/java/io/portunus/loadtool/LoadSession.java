package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.dtls.DtlsSession;
import io.portunus.media.ice.IceAgent;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.IceConfig;
import io.portunus.media.ice.IceEvent;
import io.portunus.media.ice.IceRole;
import io.portunus.media.ice.IceState;
import io.portunus.media.ice.Transmit;
import io.portunus.media.sdp.Fingerprint;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpProfile;
import io.portunus.media.srtp.SrtpSession;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.portunus.loadtool.JanusRequests.request;
import static io.portunus.loadtool.JanusRequests.successId;

/**
 * One peer driven like a browser would: Janus API over HTTP (create, attach, then what its
 * {@link Signalling} asks: an EchoTest offer, a VideoRoom publisher's join and publish, or a
 * subscriber's join, answer and start; long poll for the events), then ICE (one host candidate),
 * DTLS (client, AES_CM_128_HMAC_SHA1_80) and SRTP, sending synthetic Opus-like audio and
 * VP8-like video (unless it only receives) and timing what comes back. Everything but the DTLS
 * handshake (a virtual thread inside {@link DtlsSession}) runs on this session's event loop.
 * The RTP itself, sent and received, is its {@link RtpPath}.
 */
final class LoadSession {
    enum State { WAITING, SIGNALLING, ICE, DTLS, UP, FAILED, CLOSED }

    static final SecureRandom RANDOM = new SecureRandom();
    static final boolean DUMP_SDP = System.getenv("LOADTOOL_DUMP_SDP") != null;
    static final int AUDIO_PT = 111;
    static final int VIDEO_PT = 96;
    static final int AUDIO_PAYLOAD = 100;
    static final int MAX_VIDEO_PAYLOAD = 1188;   // 12-byte header + 1188 = 1,200-byte RTP packets
    static final int VIDEO_FPS = 30;

    final int index;
    final EventLoop loop;
    private final LoadTool tool;
    final Signalling signalling;
    /** Whether this peer sends media (not a VideoRoom subscriber). */
    final boolean sends;
    volatile State state = State.WAITING;
    volatile String reason;
    long startNanos;
    long upNanos;

    private long janusSession;
    private long janusHandle;
    private Channel channel;
    private InetSocketAddress localAddress;
    private IceAgent ice;
    private ScheduledFuture<?> iceTimer;
    private DtlsSession dtls;
    private String remoteFingerprintHash;
    private String remoteFingerprint;
    private final String ufrag = RandomIds.token(8);
    private final String pwd = RandomIds.token(24);

    final StreamStats audio;
    /** The video this peer measures: its only layer, or the top one of three simulcast layers. */
    final StreamStats video;
    private final long audioSsrc = RandomIds.ssrc();
    private final long[] videoSsrcs;
    final RtpPath rtp;
    private boolean audioAccepted;
    private boolean videoAccepted;

    LoadSession(int index, EventLoop loop, LoadTool tool, Signalling signalling) {
        this.index = index;
        this.loop = loop;
        this.tool = tool;
        this.signalling = signalling;
        this.sends = !(signalling instanceof VideoRoomSubscriber);
        this.audio = tool.options.audio() ? new StreamStats(false) : null;
        int layers = tool.options.simulcast() ? 3 : 1;
        this.videoSsrcs = new long[layers];
        // One per video layer sent (the top one is video); a subscriber counts only the top one.
        StreamStats[] videoLayers = new StreamStats[layers];
        for (int i = 0; i < layers; i++) {
            videoSsrcs[i] = RandomIds.ssrc();
            videoLayers[i] = new StreamStats(true);
        }
        this.video = tool.options.video() ? videoLayers[layers - 1] : null;
        this.rtp = new RtpPath(this, audio, video, videoLayers, new SyntheticMedia(audioSsrc, videoSsrcs));
    }

    // ---- signalling --------------------------------------------------------------------------

    /** Called on the loop. */
    void start() {
        startNanos = System.nanoTime();
        state = State.SIGNALLING;
        ObjectNode create = request("create");
        tool.http.post(loop, "", create, 20).thenCompose(r -> {
            janusSession = successId(r, "create");
            ObjectNode attach = request("attach");
            attach.put("plugin", signalling.plugin());
            attach.put("opaque_id", "portunus-load-" + index);
            return tool.http.post(loop, "/" + janusSession, attach, 20);
        }).thenCompose(r -> {
            janusHandle = successId(r, "attach");
            return bind();
        }).whenComplete((r, e) -> {
            if (e != null) {
                fail("signalling: " + rootMessage(e));
                return;
            }
            poll();
            signalling.begin(this);
        });
    }

    Options options() {
        return tool.options;
    }

    /**
     * Sends a plugin message (with a JSEP when not null); a synchronous plugin answer goes to the
     * signalling as an event. Completes (on the loop) once the server took it.
     */
    CompletableFuture<Void> message(ObjectNode body, ObjectNode jsep) {
        ObjectNode msg = request("message");
        msg.set("body", body);
        if (jsep != null) {
            msg.set("jsep", jsep);
            if (DUMP_SDP) {
                System.err.println("loadtool: session " + index + " " + jsep.path("type").asText() + ":\n"
                        + jsep.path("sdp").asText());
            }
        }
        CompletableFuture<Void> taken = new CompletableFuture<>();
        tool.http.post(loop, "/" + janusSession + "/" + janusHandle, msg, 20).whenComplete((r, e) -> {
            if (e != null) {
                fail("message: " + rootMessage(e));
                return;
            }
            String kind = r.path("janus").asText();
            if (kind.equals("success") && r.has("plugindata")) {
                signalling.onEvent(this, r.path("plugindata").path("data"), r.path("jsep"));
            } else if (!kind.equals("ack") && !kind.equals("success")) {
                fail("message: " + r);
                return;
            }
            taken.complete(null);
        });
        return taken;
    }

    private void poll() {
        if (state == State.CLOSED || state == State.FAILED || janusSession == 0) {
            return;
        }
        tool.http.get(loop, "/" + janusSession + "?rid=" + System.currentTimeMillis(), 70).whenComplete((r, e) -> {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            if (e != null) {
                if (!tool.stopping) {
                    fail("long poll: " + rootMessage(e));
                }
                return;
            }
            if (r.isArray()) {
                r.forEach(this::onEvent);
            } else {
                onEvent(r);
            }
            poll();
        });
    }

    private void onEvent(JsonNode ev) {
        String kind = ev.path("janus").asText();
        switch (kind) {
            case "event" -> signalling.onEvent(this, ev.path("plugindata").path("data"), ev.path("jsep"));
            case "trickle" -> {
                JsonNode c = ev.path("candidate");
                if (ice != null && c.has("candidate")) {
                    ice.addRemoteCandidate(c.path("candidate").asText());
                    pumpIce();
                } else if (ice != null && c.path("completed").asBoolean()) {
                    ice.endOfRemoteCandidates();
                }
            }
            case "hangup" -> {
                if (!tool.stopping) {
                    fail("hangup: " + ev.path("reason").asText());
                }
            }
            default -> { }
        }
    }

    // ---- media set-up --------------------------------------------------------------------------

    private CompletableFuture<Void> bind() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Bootstrap().group(loop).channel(tool.datagramChannel)
                .handler(new Receiver())
                .bind(new InetSocketAddress(tool.localAddress, 0)).addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                        return;
                    }
                    channel = ((ChannelFuture) f).channel();
                    localAddress = (InetSocketAddress) channel.localAddress();
                    IceConfig d = IceConfig.defaults();
                    IceConfig config = new IceConfig(index + 1, d.taMicros(), d.minRtoMicros(), d.maxRtoMicros(),
                            d.maxRequests(), 100_000, d.consentMinMicros(), d.consentMaxMicros(),
                            d.consentTimeoutMicros(), d.failureTimeoutMicros(), d.hardFailureTimeoutMicros(),
                            d.keepaliveMicros(), d.nominationHoldMicros());
                    ice = null; // created when the answer gives the remote credentials
                    hostCandidate = IceCandidate.host(localAddress, 65535);
                    iceConfig = config;
                    done.complete(null);
                });
        return done;
    }

    private IceCandidate hostCandidate;
    private IceConfig iceConfig;

    /** Our offer as a JSEP: Opus and/or VP8 with that direction. */
    ObjectNode offer(String direction) {
        ObjectNode jsep = HttpJson.JSON.createObjectNode();
        jsep.put("type", "offer");
        jsep.put("sdp", new LoadOffer(index, tool.certificate.fingerprintSha256(), localAddress, ufrag, pwd,
                hostCandidate.toSdpValue()).sdp(tool.options.audio() ? audioSsrc : 0,
                tool.options.video() ? videoSsrcs : new long[0], direction));
        jsep.put("trickle", false);
        return jsep;
    }

    /**
     * The server's offer (a VideoRoom subscriber's): prepares ICE (controlled unless the server is
     * ICE-lite; a role conflict resolves itself) and returns our receive-only answer as a JSEP, or
     * null after failing. {@link #startIce} begins the checks once the server has the answer.
     */
    ObjectNode onOffer(String sdpText) {
        if (ice != null || state != State.SIGNALLING) {
            return null;
        }
        if (DUMP_SDP) {
            System.err.println("loadtool: session " + index + " offer from the server:\n" + sdpText);
        }
        Sdp offer;
        try {
            offer = Sdp.parse(sdpText);
        } catch (Exception e) {
            fail("offer does not parse: " + e.getMessage());
            return null;
        }
        LoadAnswer read = LoadAnswer.read(offer);
        if (read.ufrag() == null || read.pwd() == null || read.fingerprint() == null) {
            fail("offer lacks ICE credentials or a fingerprint");
            return null;
        }
        if (tool.options.audio() && read.audioPt() < 0 || tool.options.video() && read.videoPt() < 0) {
            fail("offer lacks " + (read.audioPt() < 0 ? "audio" : "video"));
            return null;
        }
        ice = new IceAgent(offer.iceLite() ? IceRole.CONTROLLING : IceRole.CONTROLLED, ufrag, pwd, false,
                RANDOM.nextLong(), iceConfig);
        ice.addLocalCandidate(hostCandidate);
        ice.endOfLocalCandidates();
        read.candidates().forEach(ice::addRemoteCandidate);
        remoteFingerprintHash = read.fingerprint().hash();
        remoteFingerprint = read.fingerprint().value();
        ice.setRemoteCredentials(read.ufrag(), read.pwd());
        if (read.endOfCandidates()) {
            ice.endOfRemoteCandidates();
        }
        ObjectNode jsep = HttpJson.JSON.createObjectNode();
        jsep.put("type", "answer");
        jsep.put("sdp", SubscriberAnswer.write(offer, index, tool.certificate.fingerprintSha256(), localAddress, ufrag,
                pwd, hostCandidate.toSdpValue()));
        jsep.put("trickle", false);
        return jsep;
    }

    /** After {@link #onOffer}: the server has our answer, begin the connectivity checks. */
    void startIce() {
        if (ice == null || state != State.SIGNALLING) {
            return;
        }
        state = State.ICE;
        ice.start(nowMicros());
        pumpIce();
    }

    void onAnswer(String sdpText) {
        if (ice != null) {
            return;
        }
        if (DUMP_SDP) {
            System.err.println("loadtool: session " + index + " answer:\n" + sdpText);
        }
        Sdp answer;
        try {
            answer = Sdp.parse(sdpText);
        } catch (Exception e) {
            fail("answer does not parse: " + e.getMessage());
            return;
        }
        LoadAnswer read = LoadAnswer.read(answer);
        ice = new IceAgent(IceRole.CONTROLLING, ufrag, pwd, false, RANDOM.nextLong(), iceConfig);
        ice.addLocalCandidate(hostCandidate);
        ice.endOfLocalCandidates();
        read.candidates().forEach(ice::addRemoteCandidate);
        audioAccepted = read.audioPt() >= 0;
        videoAccepted = read.videoPt() >= 0;
        rtp.usePayloadTypes(read.audioPt(), read.videoPt());
        if (read.ufrag() == null || read.pwd() == null || read.fingerprint() == null) {
            fail("answer lacks ICE credentials or a fingerprint");
            return;
        }
        if (tool.options.audio() && !audioAccepted || tool.options.video() && !videoAccepted) {
            fail("answer rejected " + (audioAccepted ? "video" : "audio"));
            return;
        }
        Fingerprint fp = read.fingerprint();
        remoteFingerprintHash = fp.hash();
        remoteFingerprint = fp.value();
        ice.setRemoteCredentials(read.ufrag(), read.pwd());
        if (read.endOfCandidates()) {
            ice.endOfRemoteCandidates();
        }
        state = State.ICE;
        ice.start(nowMicros());
        pumpIce();
    }

    private void pumpIce() {
        if (ice == null || state == State.CLOSED || state == State.FAILED) {
            return;
        }
        long now = nowMicros();
        List<Transmit> out = ice.pollTransmit(now);
        for (Transmit t : out) {
            if (DUMP_SDP) {
                System.err.println("loadtool: session " + index + " STUN " + t.data().length + " bytes " + t.from() + " -> " + t.to());
            }
            channel.write(new DatagramPacket(Unpooled.wrappedBuffer(t.data()), t.to()));
        }
        if (!out.isEmpty()) {
            channel.flush();
        }
        for (IceEvent event : ice.pollEvents()) {
            if (event instanceof IceEvent.StateChanged sc) {
                if (sc.state() == IceState.READY && dtls == null) {
                    startDtls();
                } else if (sc.state() == IceState.FAILED) {
                    if (DUMP_SDP) {
                        System.err.println("loadtool: session " + index + " ICE failed: " + ice.describe());
                    }
                    fail("ICE failed");
                    return;
                }
            }
        }
        if (iceTimer != null) {
            iceTimer.cancel(false);
        }
        long deadline = ice.nextDeadlineMicros();
        if (deadline != Long.MAX_VALUE) {
            long delay = Math.max(1_000, deadline - now);
            iceTimer = loop.schedule(() -> {
                if (ice != null) {
                    ice.handleTimeout(nowMicros());
                    pumpIce();
                }
            }, delay, TimeUnit.MICROSECONDS);
        }
    }

    private void startDtls() {
        state = State.DTLS;
        DtlsSession.Options options = DtlsSession.Options.defaults()
                .withProfiles(List.of(SrtpProfile.AES128_CM_SHA1_80))
                .withThreads(Thread.ofVirtual().factory());
        dtls = new DtlsSession(tool.certificate, DtlsRole.CLIENT, remoteFingerprintHash, remoteFingerprint,
                datagram -> loop.execute(() -> writeSelected(datagram, datagram.length, true)),
                new LoopDtlsListener(loop, () -> tool.stopping, this::dtlsConnected, this::fail),
                DtlsSession.DEFAULT_MTU, options);
        dtls.start();
    }

    private void dtlsConnected(SrtpKeys keys) {
        if (state != State.DTLS) {
            return;
        }
        SrtpSession srtp = new SrtpSession(keys);
        upNanos = System.nanoTime();
        state = State.UP;
        rtp.start(srtp, System.nanoTime(), sends && !tool.stopping);
        if (tool.holding && sends) {
            if (audio != null) {
                audio.windowStart = audio.next;
            }
            if (video != null) {
                video.windowStart = video.next;
            }
        }
        tool.sessionUp(this);
    }

    // ---- datagrams ------------------------------------------------------------------------------

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            if (len == 0) {
                return;
            }
            byte[] data = new byte[len];
            content.getBytes(content.readerIndex(), data);
            try {
                receive(data, len, packet.sender());
            } catch (RuntimeException e) {
                rtp.otherIn++;
            }
        }
    }

    private void receive(byte[] data, int len, InetSocketAddress from) {
        int first = data[0] & 0xFF;
        if (DUMP_SDP && first < 4) {
            System.err.println("loadtool: session " + index + " got STUN " + len + " bytes from " + from + " (" + from.getAddress().getClass().getSimpleName() + ") on " + localAddress + " ice=" + (ice != null));
        }
        if (first < 4) {
            if (ice != null && ice.handleStun(data, 0, len, from, localAddress, nowMicros())) {
                pumpIce();
            }
        } else if (first >= 20 && first <= 63) {
            if (dtls != null) {
                dtls.receive(data, 0, len);
            }
        } else if (first >= 128 && first <= 191) {
            rtp.receive(data, len);
        }
    }

    /** Called by the loop's ticker: sends whatever audio and video is due. */
    void pump(long now) {
        if (sends && state == State.UP) {
            rtp.pump(now);
        }
    }

    /** Sends on the selected ICE pair, if there is one yet. */
    void writeSelected(byte[] datagram, int len, boolean flush) {
        if (ice == null || channel == null || state == State.CLOSED) {
            return;
        }
        var pair = ice.selectedPair();
        if (pair == null) {
            return;
        }
        var packet = new DatagramPacket(Unpooled.wrappedBuffer(datagram, 0, len), pair.remote().address());
        if (flush) {
            channel.writeAndFlush(packet);
        } else {
            channel.write(packet);
        }
    }

    void flush() {
        channel.flush();
    }

    /** The echo delays of the last second, of this session's loop (for the progress line). */
    Histogram recentDelays() {
        return tool.recent(loop);
    }

    // ---- end -----------------------------------------------------------------------------------

    void fail(String why) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        reason = why;
        state = State.FAILED;
        rtp.sending = false;
        tool.sessionFailed(this);
        teardownMedia();
    }

    /** Stops media and destroys the Janus session; the future completes on the loop. */
    CompletableFuture<Void> close() {
        rtp.sending = false;
        if (state != State.FAILED) {
            state = State.CLOSED;
        }
        teardownMedia();
        if (janusSession == 0) {
            return CompletableFuture.completedFuture(null);
        }
        long id = janusSession;
        janusSession = 0;
        return tool.http.post(loop, "/" + id, request("destroy"), 10)
                .handle((r, e) -> null);
    }

    private void teardownMedia() {
        if (iceTimer != null) {
            iceTimer.cancel(false);
        }
        if (dtls != null) {
            dtls.close();
        }
        if (ice != null) {
            ice.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** For progress: the packets this session should have got back so far (its publisher's for a subscriber). */
    long expectedCount() {
        if (signalling instanceof VideoRoomSubscriber sub) {
            return sub.publisher.sentCount();
        }
        return signalling instanceof VideoRoomPublisher ? 0 : sentCount();
    }

    long receivedCount() {
        return (audio == null ? 0 : audio.received) + (video == null ? 0 : video.received);
    }

    long sentCount() {
        return (audio == null ? 0 : audio.next) + (video == null ? 0 : video.next);
    }

    double setupMillis() {
        return upNanos == 0 ? -1 : (upNanos - startNanos) / 1e6;
    }

    // ---- helpers -------------------------------------------------------------------------------

    static long nowMicros() {
        return System.nanoTime() / 1_000;
    }

    static String rootMessage(Throwable e) {
        while (e.getCause() != null && (e instanceof CompletionException
                || e instanceof ExecutionException)) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
