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
import io.portunus.media.sctp.DataChannel;
import io.portunus.media.sctp.DataChannels;
import io.portunus.media.sctp.SctpAssociation;
import io.portunus.media.sdp.Candidate;
import io.portunus.media.sdp.Fingerprint;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.srtp.SrtpProfile;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.portunus.loadtool.JanusRequests.request;
import static io.portunus.loadtool.JanusRequests.successId;

/**
 * One data-channel peer against the EchoTest, driven like a browser: create, attach, an offer
 * with only {@code m=application UDP/DTLS/SCTP webrtc-datachannel}, ICE (controlling, one host
 * candidate), DTLS client, then our own SCTP association ({@link SctpAssociation}, the one the
 * server uses) inside DTLS with {@code channels} reliable ordered channels. Each channel sends
 * binary messages of a fixed size, each carrying its channel and sequence number, while what
 * was sent and not yet echoed stays under a window; echoes are checked for order and content.
 * Everything but the DTLS thread runs on the peer's event loop.
 */
final class DataChannelPeer implements DataChannels.Listener {
    enum State { SIGNALLING, ICE, DTLS, SCTP, UP, FAILED, CLOSED }

    private static final int HEADER = 8;   // u32 channel number, u32 sequence number

    final int index;
    final EventLoop loop;
    private final DataChannelLoad tool;
    volatile State state = State.SIGNALLING;
    volatile String reason;
    long startNanos;
    long upNanos;

    private long janusSession;
    private long janusHandle;
    private Channel socket;
    private InetSocketAddress localAddress;
    private IceCandidate hostCandidate;
    private IceAgent ice;
    private Fingerprint remoteFingerprint;
    private ScheduledFuture<?> iceTimer;
    private DtlsSession dtls;
    private SctpAssociation association;
    private DataChannels channels;
    /** Our channels in the order they were opened, and their numbers by stream. */
    private final List<DataChannel> ours = new ArrayList<>();
    private final Map<Integer, int[]> sequences = new HashMap<>();   // stream -> {channel number, next out, next in}
    private int nextChannel;
    private final String ufrag = RandomIds.token(8);
    private final String pwd = RandomIds.token(24);
    /** Called with every SCTP packet before our association reads it (the fuzzer learns the acks). */
    SctpTap tap;

    long bytesSent;
    long bytesEchoed;
    long messagesEchoed;
    /** Echoes on the wrong channel, out of order, of the wrong size or content, or not binary. */
    long badEchoes;
    boolean sending;

    /** Sees the SCTP packets both ways (in: from the server; out: ours, before DTLS). */
    interface SctpTap {
        void in(byte[] packet);

        void out(byte[] packet);
    }

    DataChannelPeer(int index, EventLoop loop, DataChannelLoad tool) {
        this.index = index;
        this.loop = loop;
        this.tool = tool;
    }

    // ---- signalling --------------------------------------------------------------------------

    void start() {
        startNanos = System.nanoTime();
        tool.http.post(loop, "", request("create"), 20).thenCompose(r -> {
            janusSession = successId(r, "create");
            ObjectNode attach = request("attach");
            attach.put("plugin", "janus.plugin.echotest");
            attach.put("opaque_id", "portunus-load-data-" + index);
            return tool.http.post(loop, "/" + janusSession, attach, 20);
        }).thenCompose(r -> {
            janusHandle = successId(r, "attach");
            return bind();
        }).thenCompose(v -> {
            ObjectNode msg = request("message");
            ObjectNode body = msg.putObject("body");
            body.put("audio", false);
            body.put("video", false);
            body.put("data", true);
            ObjectNode jsep = msg.putObject("jsep");
            jsep.put("type", "offer");
            jsep.put("sdp", offer());
            jsep.put("trickle", false);
            return tool.http.post(loop, "/" + janusSession + "/" + janusHandle, msg, 20);
        }).whenComplete((r, e) -> {
            if (e != null) {
                fail("signalling: " + LoadSession.rootMessage(e));
                return;
            }
            if (r.path("jsep").path("type").asText().equals("answer")) {
                onAnswer(r.path("jsep").path("sdp").asText());
            }
            poll();
        });
    }

    long janusSession() {
        return janusSession;
    }

    long janusHandle() {
        return janusHandle;
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
                    fail("long poll: " + LoadSession.rootMessage(e));
                }
                return;
            }
            for (JsonNode ev : r.isArray() ? r : List.of(r)) {
                String kind = ev.path("janus").asText();
                if (kind.equals("event") && ev.path("jsep").path("type").asText().equals("answer")) {
                    onAnswer(ev.path("jsep").path("sdp").asText());
                } else if (kind.equals("event") && ev.path("plugindata").path("data").has("error")) {
                    fail("echotest error: " + ev.path("plugindata").path("data"));
                } else if (kind.equals("hangup") && !tool.stopping) {
                    fail("hangup: " + ev.path("reason").asText());
                }
            }
            poll();
        });
    }

    private CompletableFuture<Void> bind() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Bootstrap().group(loop).channel(tool.datagramChannel).handler(new Receiver())
                .bind(new InetSocketAddress(tool.localAddress, 0)).addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                        return;
                    }
                    socket = ((ChannelFuture) f).channel();
                    localAddress = (InetSocketAddress) socket.localAddress();
                    hostCandidate = IceCandidate.host(localAddress, 65535);
                    done.complete(null);
                });
        return done;
    }

    private String offer() {
        return DataChannelOffer.sdp(localAddress, ufrag, pwd, tool.certificate.fingerprintSha256(),
                hostCandidate.toSdpValue());
    }

    private void onAnswer(String sdpText) {
        if (ice != null || state != State.SIGNALLING) {
            return;
        }
        if (LoadSession.DUMP_SDP) {
            System.err.println("loadtool: data peer " + index + " answer:\n" + sdpText);
        }
        Sdp answer;
        try {
            answer = Sdp.parse(sdpText);
        } catch (Exception e) {
            fail("answer does not parse: " + e.getMessage());
            return;
        }
        String u = answer.iceUfrag();
        String p = answer.icePwd();
        Fingerprint fp = answer.fingerprint();
        boolean accepted = false;
        List<String> candidates = new ArrayList<>();
        boolean end = false;
        for (MediaSection m : answer.media()) {
            u = u != null ? u : m.iceUfrag();
            p = p != null ? p : m.icePwd();
            fp = fp != null ? fp : m.fingerprint();
            accepted |= m.type().equals("application") && !m.isRejected();
            for (Candidate c : m.candidates()) {
                candidates.add("candidate:" + c.toSdpValue());
            }
            end |= m.endOfCandidates();
        }
        if (!accepted) {
            fail("the answer rejects the data channel m-line");
            return;
        }
        if (u == null || p == null || fp == null) {
            fail("answer lacks ICE credentials or a fingerprint");
            return;
        }
        IceConfig d = IceConfig.defaults();
        IceConfig config = new IceConfig(index + 1, d.taMicros(), d.minRtoMicros(), d.maxRtoMicros(),
                d.maxRequests(), 100_000, d.consentMinMicros(), d.consentMaxMicros(),
                d.consentTimeoutMicros(), d.failureTimeoutMicros(), d.hardFailureTimeoutMicros(),
                d.keepaliveMicros(), d.nominationHoldMicros());
        ice = new IceAgent(IceRole.CONTROLLING, ufrag, pwd, false, LoadSession.RANDOM.nextLong(), config);
        ice.addLocalCandidate(hostCandidate);
        ice.endOfLocalCandidates();
        candidates.forEach(ice::addRemoteCandidate);
        ice.setRemoteCredentials(u, p);
        if (end) {
            ice.endOfRemoteCandidates();
        }
        remoteFingerprint = fp;
        state = State.ICE;
        ice.start(LoadSession.nowMicros());
        pumpIce();
    }

    private void pumpIce() {
        if (ice == null || state == State.CLOSED || state == State.FAILED) {
            return;
        }
        long now = LoadSession.nowMicros();
        List<Transmit> out = ice.pollTransmit(now);
        for (Transmit t : out) {
            socket.write(new DatagramPacket(Unpooled.wrappedBuffer(t.data()), t.to()));
        }
        if (!out.isEmpty()) {
            socket.flush();
        }
        for (IceEvent event : ice.pollEvents()) {
            if (event instanceof IceEvent.StateChanged sc) {
                if (sc.state() == IceState.READY && dtls == null) {
                    startDtls(remoteFingerprint);
                } else if (sc.state() == IceState.FAILED) {
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
            iceTimer = loop.schedule(() -> {
                if (ice != null) {
                    ice.handleTimeout(LoadSession.nowMicros());
                    pumpIce();
                }
            }, Math.max(1_000, deadline - now), TimeUnit.MICROSECONDS);
        }
    }

    private void startDtls(Fingerprint remote) {
        state = State.DTLS;
        DtlsSession.Options options = DtlsSession.Options.defaults()
                .withProfiles(List.of(SrtpProfile.AES128_CM_SHA1_80))
                .withThreads(Thread.ofVirtual().factory());
        dtls = new DtlsSession(tool.certificate, DtlsRole.CLIENT, remote.hash(), remote.value(), datagram -> {
            if (loop.inEventLoop()) {
                writeSelected(datagram, false);
            } else {
                loop.execute(() -> writeSelected(datagram, true));
            }
        }, new LoopDtlsListener(loop, () -> tool.stopping, keys -> dtlsConnected(), this::fail),
                DtlsSession.DEFAULT_MTU, options);
        dtls.setApplicationDataHandler(packet -> loop.execute(() -> sctpIn(packet)));
        dtls.start();
    }

    /** DTLS is up: our association starts (both sides may send INIT; collisions settle). */
    private void dtlsConnected() {
        if (state != State.DTLS) {
            return;
        }
        state = State.SCTP;
        association = new SctpAssociation(SctpAssociation.Config.webrtc(), LoadSession.RANDOM);
        channels = new DataChannels(association, true, this);
        association.connect(millis());
        flushSctp();
    }

    // ---- SCTP ----------------------------------------------------------------------------------

    private void sctpIn(byte[] packet) {
        if (channels == null || state == State.FAILED || state == State.CLOSED) {
            return;
        }
        if (tap != null) {
            tap.in(packet);
        }
        channels.receive(packet, 0, packet.length, millis());
        fill();
        flushSctp();
    }

    /** The loop's tick: SCTP timers, then more messages if the window allows. */
    void tick() {
        if (association == null || state == State.FAILED || state == State.CLOSED) {
            return;
        }
        long now = millis();
        if (association.nextTimeout() <= now) {
            channels.handleTimeout(now);
        }
        fill();
        flushSctp();
    }

    private void flushSctp() {
        boolean wrote = false;
        for (byte[] p; (p = association.pollTransmit()) != null; ) {
            if (tap != null) {
                tap.out(p);
            }
            wrote |= dtls.sendApplicationData(p, 0, p.length);
        }
        if (wrote) {
            socket.flush();
        }
    }

    /** Sends a packet inside our DTLS session as if our association had made it (the fuzzer's). */
    boolean sendRaw(byte[] sctpPacket) {
        return dtls != null && dtls.sendApplicationData(sctpPacket, 0, sctpPacket.length);
    }

    void flushSocket() {
        if (socket != null) {
            socket.flush();
        }
    }

    /** Opens one more channel (reliable, ordered); null if the association is not up. */
    DataChannel openChannel() {
        DataChannel c = channels.open("load-" + index + "-" + nextChannel, "", DataChannel.RELIABLE, 0, 0, millis());
        if (c != null) {
            ours.add(c);
            sequences.put(c.stream(), new int[] {nextChannel, 0, 0});
            nextChannel++;
            flushSctp();
        }
        return c;
    }

    /** Messages on our channels in turn while the window has room. */
    private void fill() {
        if (!sending || state != State.UP || ours.isEmpty()) {
            return;
        }
        int size = tool.options.messageSize();
        long window = tool.options.window();
        int turn = 0;
        while (bytesSent - bytesEchoed + size <= window && turn++ < 4 * ours.size() + 64) {
            DataChannel c = ours.get((int) (bytesSent / size % ours.size()));
            int[] seq = sequences.get(c.stream());
            byte[] m = new byte[size];
            PacketBytes.writeInt(m, 0, seq[0]);
            PacketBytes.writeInt(m, 4, seq[1]);
            for (int i = HEADER; i < size; i++) {
                m[i] = (byte) (i + seq[1]);
            }
            if (!channels.send(c, m, true, millis())) {
                break;
            }
            seq[1]++;
            bytesSent += size;
        }
    }

    @Override
    public void connected() {
        if (state != State.SCTP) {
            return;
        }
        for (int i = 0; i < tool.options.channels(); i++) {
            if (openChannel() == null) {
                fail("could not open data channel " + i);
                return;
            }
        }
        upNanos = System.nanoTime();
        state = State.UP;
        sending = !tool.stopping;
        fill();
    }

    @Override
    public void opened(DataChannel channel) {
        // The server opens none of its own in the EchoTest; one it opens is simply not ours.
    }

    @Override
    public void message(DataChannel channel, byte[] data, boolean binary) {
        int[] seq = sequences.get(channel.stream());
        int size = tool.options.messageSize();
        if (seq == null || !binary || data.length != size || PacketBytes.readInt(data, 0) != seq[0]
                || PacketBytes.readInt(data, 4) != seq[2] || data[size - 1] != (byte) (size - 1 + seq[2])) {
            if (badEchoes++ < 5) {
                int got = data.length >= HEADER ? PacketBytes.readInt(data, 4) : -1;
                int differs = HEADER;
                while (differs < data.length && data[differs] == (byte) (differs + got)) {
                    differs++;
                }
                System.err.printf("loadtool: data peer %d: bad echo on stream %d: binary %b, %d bytes, channel %d seq %d"
                        + " (expected %s), content differs from byte %d%n", index, channel.stream(), binary, data.length,
                        data.length >= HEADER ? PacketBytes.readInt(data, 0) : -1, got,
                        seq == null ? "none" : seq[0] + "/" + seq[2], differs);
            }
            if (seq != null && data.length >= HEADER) {
                seq[2] = PacketBytes.readInt(data, 4) + 1;   // resynchronise: count each bad echo once
            }
        } else {
            seq[2]++;
        }
        bytesEchoed += data.length;
        messagesEchoed++;
    }

    @Override
    public void closed(DataChannel channel) {
        if (sequences.containsKey(channel.stream()) && !tool.stopping) {
            fail("data channel " + channel.label() + " closed");
        }
    }

    @Override
    public void associationClosed(String why) {
        if (!tool.stopping) {
            fail("SCTP association closed: " + why);
        }
    }

    /** Echoes that came back in order on our channel of this number (opened in that order). */
    int echoesOn(int channelNumber) {
        for (int[] seq : sequences.values()) {
            if (seq[0] == channelNumber) {
                return seq[2];
            }
        }
        return 0;
    }

    SctpAssociation association() {
        return association;
    }

    int openChannels() {
        return channels == null ? 0 : channels.channels().size();
    }

    // ---- the wire ------------------------------------------------------------------------------

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
            int first = data[0] & 0xFF;
            if (first < 4) {
                if (ice != null && ice.handleStun(data, 0, len, packet.sender(), localAddress, LoadSession.nowMicros())) {
                    pumpIce();
                }
            } else if (first >= 20 && first <= 63 && dtls != null) {
                dtls.receive(data, 0, len);
            }
        }
    }

    private void writeSelected(byte[] datagram, boolean flush) {
        if (ice == null || socket == null || state == State.CLOSED) {
            return;
        }
        var pair = ice.selectedPair();
        if (pair == null) {
            return;
        }
        var packet = new DatagramPacket(Unpooled.wrappedBuffer(datagram), pair.remote().address());
        if (flush) {
            socket.writeAndFlush(packet);
        } else {
            socket.write(packet);
        }
    }

    // ---- end -----------------------------------------------------------------------------------

    void fail(String why) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        reason = why;
        state = State.FAILED;
        sending = false;
        System.err.println("loadtool: data peer " + index + " failed: " + why);
        teardown();
    }

    CompletableFuture<Void> close() {
        sending = false;
        if (state != State.FAILED) {
            state = State.CLOSED;
        }
        teardown();
        if (janusSession == 0) {
            return CompletableFuture.completedFuture(null);
        }
        long id = janusSession;
        janusSession = 0;
        return tool.http.post(loop, "/" + id, request("destroy"), 10).handle((r, e) -> null);
    }

    private void teardown() {
        if (iceTimer != null) {
            iceTimer.cancel(false);
        }
        if (dtls != null) {
            dtls.close();
        }
        if (ice != null) {
            ice.close();
        }
        if (socket != null) {
            socket.close();
        }
    }

    static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
