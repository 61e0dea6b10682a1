package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Json;
import io.portunus.core.LiveSettings;
import io.portunus.core.spi.ForwardedLeg;
import io.portunus.core.spi.MediaPacket;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.LocalMedia;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;
import io.portunus.plugins.videoroom.VideoRoomPlugin;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;

/**
 * A VideoRoom room on {@link SimMedia}: the real {@link VideoRoomPlugin}, one publisher and N
 * subscribers, each a real PeerConnection connected to a {@link BrowserPeer} through ICE and
 * DTLS. The publisher's PeerConnection is made from its browser's offer and answered by the
 * plugin ({@code joinandconfigure}); each subscriber's is made for the plugin's offer
 * ({@code join} as subscriber, {@link PeerConnections#forLocalOffer}) and completed by its
 * browser's answer ({@code start}). The core's part ({@code WebRtc}, {@code PluginRuntime}) is
 * played by {@link Core} below, doing what they do with JSEP and the plugin's callbacks, the
 * packet path ({@code forwardRtp}) included. For the JMH fan-out benchmark.
 */
public final class SimRoom {
    static final long ROOM = 1234;
    /** Header-extension ids of the publisher's video offer (a browser's: transport-cc, mid, orientation). */
    static final int TWCC_ID = 3;
    static final int MID_ID = 4;
    static final int ORIENTATION_ID = 13;

    final SimMedia sim = new SimMedia();
    private final MediaEngine engine;
    private final VideoRoomPlugin plugin = new VideoRoomPlugin();
    private final Core core = new Core();
    final SimHandle publisher;
    final List<SimHandle> subscribers = new ArrayList<>();
    private final InetSocketAddress publisherServerAddress;
    /** The publisher's own transport-wide sequence number (the last one it sent). */
    int twcc;

    /** One handle of the room: its plugin state, PeerConnection, browser and the events pushed to it. */
    final class SimHandle implements PluginHandle, PeerConnection.Listener {
        private final long id;
        private Object state;
        PeerConnection pc;
        BrowserPeer browser;
        boolean up;
        /** The ICE pairs its PeerConnection selected, in order (remote side). */
        final List<InetSocketAddress> selectedRemotes = new ArrayList<>();
        final List<ObjectNode> events = new ArrayList<>();
        /** The last JSEP the plugin pushed (our answer or offer). */
        ObjectNode jsep;

        SimHandle(long id) {
            this.id = id;
        }

        @Override public long sessionId() { return 1; }
        @Override public long handleId() { return id; }
        @Override public String opaqueId() { return null; }
        @Override public String token() { return null; }
        @Override public Object pluginState() { return state; }
        @Override public void pluginState(Object s) { state = s; }
        @Override public boolean isAlive() { return true; }

        // What WebRtc's listener does with a PeerConnection's happenings.
        @Override public void onWebrtcUp() {
            up = true;
            plugin.setupMedia(this);
        }
        @Override public void onRtp(MediaPacket packet) { plugin.incomingRtp(this, packet); }
        @Override public void onRtcp(MediaPacket packet) { plugin.incomingRtcp(this, packet); }
        @Override public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) { }
        @Override public void onHangup(String reason) { }
        @Override public void onSelectedPair(IceCandidate local, IceCandidate remote) { selectedRemotes.add(remote.address()); }
    }

    /** What the core does for the plugin: PluginRuntime's callbacks and WebRtc's handling of JSEP. */
    private final class Core implements PluginContext {
        private final ConfigGroup config;

        Core() {
            try {
                config = JcfgParser.parseString("""
                        room-1234: { description = "Fan-out" publishers = 1 audiocodec = "pcmu" videocodec = "vp8" fir_freq = 10 }
                        """, "janus.plugin.videoroom.jcfg");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override public ConfigGroup config() { return config; }

        /** A JSEP offer the plugin pushes is our local offer, an answer our local description (WebRtc). */
        @Override
        public boolean pushEvent(PluginHandle handle, String transaction, ObjectNode data, ObjectNode jsep) {
            SimHandle h = (SimHandle) handle;
            h.events.add(data);
            if (jsep != null) {
                h.jsep = jsep;
                String sdp = jsep.path("sdp").asText();
                try {
                    if ("offer".equals(jsep.path("type").asText())) {
                        h.pc.localOfferSent(sdp);
                    } else {
                        h.pc.localDescriptionSent(sdp);
                    }
                } catch (SdpException e) {
                    throw new IllegalStateException(e);
                }
            }
            return true;
        }

        @Override
        public LocalMedia localMedia(PluginHandle handle) {
            try {
                return ((SimHandle) handle).pc.localMedia();
            } catch (SdpException e) {
                throw new IllegalStateException(e);
            }
        }

        /** As WebRtc.offerMedia for a new subscriber: its PeerConnection, one stream per leg. */
        @Override
        public LocalMedia offerMedia(PluginHandle handle, List<ForwardedLeg> legs) {
            SimHandle h = (SimHandle) handle;
            SequencedMap<String, Boolean> kinds = new LinkedHashMap<>();
            legs.forEach(l -> kinds.put(l.mid(), l.video()));
            try {
                h.pc = PeerConnections.forLocalOffer(engine, sim.io(), kinds, h);
                watchHandshake(h.pc);
                legs.forEach(l -> h.pc.forwardedLeg(l.mid(), l.extensionIds()));
                return h.pc.localMedia();
            } catch (InterruptedException | SdpException e) {
                throw new IllegalStateException(e);
            }
        }

        /** As WebRtc.offerMedia for a new offer on a subscriber's PeerConnection (the same legs), maybe an ICE restart. */
        @Override
        public LocalMedia offerMedia(PluginHandle handle, List<ForwardedLeg> legs, boolean restartIce) {
            SimHandle h = (SimHandle) handle;
            if (h.pc == null) {
                return offerMedia(handle, legs);
            }
            if (restartIce) {
                h.pc.restartIce();
            }
            legs.forEach(l -> h.pc.forwardedLeg(l.mid(), l.extensionIds()));
            try {
                return h.pc.localMedia();
            } catch (SdpException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void forwardedLeg(PluginHandle handle, ForwardedLeg leg) {
            ((SimHandle) handle).pc.forwardedLeg(leg.mid(), leg.extensionIds());
        }

        /** PluginRuntime.forwardRtp: the subscriber's PeerConnection copies and hands the packet over. */
        @Override
        public void forwardRtp(PluginHandle handle, MediaPacket packet) {
            PeerConnection pc = ((SimHandle) handle).pc;
            if (pc != null) {
                pc.forwardRtp(packet);
            }
        }

        @Override
        public void relayRtp(PluginHandle handle, MediaPacket packet) {
            ((SimHandle) handle).pc.sendRtp(packet);
        }

        @Override
        public void relayRtcp(PluginHandle handle, MediaPacket packet) {
            ((SimHandle) handle).pc.sendRtcp(packet);
        }

        @Override public void closePc(PluginHandle handle) { }
        @Override public void endSession(PluginHandle handle) { }
        @Override public boolean eventsEnabled() { return false; }
        @Override public void notifyEvent(PluginHandle handle, ObjectNode event) { }
    }

    /**
     * @param subscriberCount subscribers of the one publisher, each with its own PeerConnection
     * @param srtpProfile     the one SRTP profile the server offers (media.srtp_profiles)
     */
    public SimRoom(int subscriberCount, String srtpProfile) throws Exception {
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseString(
                "nat: { ice_enforce_list = \"127.0.0.1\" }\nmedia: { srtp_profiles = \"" + srtpProfile + "\" }\n",
                "sim")).build();
        DtlsCertificate serverCertificate = DtlsCertificate.generate();
        DtlsCertificate browserCertificate = DtlsCertificate.generate();
        engine = new MediaEngine(settings, new LiveSettings(settings.media), null,
                CompletableFuture.completedFuture(serverCertificate));
        plugin.init(core);

        publisher = new SimHandle(1);
        plugin.createSession(publisher);
        publisher.browser = new BrowserPeer(sim, browserCertificate, new InetSocketAddress("192.0.2.10", 50_000), false);
        publisher.browser.extraVideoAttributes = "a=extmap:" + TWCC_ID + " " + AnswerOptions.TRANSPORT_CC + "\r\n"
                + "a=extmap:" + MID_ID + " " + AnswerOptions.MID + "\r\n"
                + "a=extmap:" + ORIENTATION_ID + " " + AnswerOptions.VIDEO_ORIENTATION + "\r\n";
        String offer = publisher.browser.offer();
        publisher.pc = PeerConnections.fromOffer(engine, sim.io(), Sdp.parse(offer), publisher);
        watchHandshake(publisher.pc);
        request(publisher, Json.object().put("request", "joinandconfigure").put("room", ROOM)
                .put("ptype", "publisher").put("display", "publisher"), jsep("offer", offer));
        publisher.pc.addRemoteCandidate(publisher.browser.candidate(), publisher.browser.candidate().toSdpValue());
        publisher.pc.endOfRemoteCandidates();
        publisher.browser.answer(answerOf(publisher));
        publisherServerAddress = publisher.pc.localCandidates().get(0).address();
        connect(List.of(publisher));
        long feed = publisher.events.stream().filter(e -> e.has("id")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the publisher did not join: " + publisher.events))
                .get("id").asLong();

        for (int i = 0; i < subscriberCount; i++) {
            SimHandle s = new SimHandle(100 + i);
            plugin.createSession(s);
            request(s, Json.object().put("request", "join").put("room", ROOM).put("ptype", "subscriber")
                    .put("feed", feed), null);
            if (s.jsep == null) {
                throw new IllegalStateException("subscriber " + i + " got no offer: " + s.events);
            }
            s.browser = new BrowserPeer(sim, browserCertificate,
                    new InetSocketAddress("192.0.2." + (20 + i / 200), 50_000 + i % 200), true);
            String answer = s.browser.answerTo(s.jsep.path("sdp").asText());
            s.pc.remoteAnswer(Sdp.parse(answer)); // the core applies the answer, then the plugin hears "start"
            request(s, Json.object().put("request", "start"), jsep("answer", answer));
            s.pc.addRemoteCandidate(s.browser.candidate(), s.browser.candidate().toSdpValue());
            s.pc.endOfRemoteCandidates();
            sim.discardedTo.put(s.browser.address, new long[1]);
            subscribers.add(s);
        }
        connect(subscribers);
    }

    static ObjectNode jsep(String type, String sdp) {
        return Json.object().put("type", type).put("sdp", sdp);
    }

    private String answerOf(SimHandle h) {
        if (h.jsep == null || !"answer".equals(h.jsep.path("type").asText())) {
            throw new IllegalStateException("no answer for handle " + h.handleId() + ": " + h.events);
        }
        return h.jsep.path("sdp").asText();
    }

    /** A message to the plugin; an asynchronous one's work runs at once, as a worker would run it. */
    void request(SimHandle h, ObjectNode body, ObjectNode jsep) {
        PluginResult result = plugin.handleMessage(h, "tx", body, jsep);
        switch (result) {
            case PluginResult.OkWait wait -> wait.work().run();
            case PluginResult.Ok ok -> h.events.add(ok.content());
            case PluginResult.Error error -> throw new IllegalStateException(error.text());
        }
    }

    private void watchHandshake(PeerConnection pc) {
        sim.handshakeInbox(() -> pc.isClosed() || pc.dtlsQueuedDatagrams() == 0);
    }

    private void connect(List<SimHandle> handles) {
        if (!sim.runUntil(sim.now + 10_000_000,
                () -> handles.stream().allMatch(h -> h.up && h.browser.srtp != null))) {
            throw new IllegalStateException("the simulated room did not connect");
        }
    }

    /**
     * A video packet as the publisher's browser sends it: one-byte header extensions
     * (transport-cc, mid, video orientation, RFC 8285), VP8 payload, {@code size} bytes in all,
     * SRTP-protected.
     */
    public byte[] publisherVideoPacket(int seq, int size) {
        byte[] p = new byte[size];
        p[0] = (byte) 0x90; // version 2, extension
        p[1] = (byte) BrowserPeer.VP8;
        RtpHeader.sequence(p, 0, seq);
        RtpHeader.timestamp(p, 0, 3600L * (seq / 4));
        RtpHeader.ssrc(p, 0, BrowserPeer.VIDEO_SSRC);
        int x = 12;
        p[x] = (byte) 0xBE;
        p[x + 1] = (byte) 0xDE;
        p[x + 3] = 2; // two 32-bit words of elements
        int e = x + 4;
        twcc = (twcc + 1) & 0xFFFF;
        p[e] = (byte) (TWCC_ID << 4 | 1);
        p[e + 1] = (byte) (twcc >> 8);
        p[e + 2] = (byte) twcc;
        p[e + 3] = (byte) (MID_ID << 4);
        p[e + 4] = '1';
        p[e + 5] = (byte) (ORIENTATION_ID << 4);
        p[e + 6] = 0;
        p[e + 8] = (byte) 0x90; // VP8 payload descriptor: X, S; then a picture id
        return publisher.browser.srtp.protectRtp(p, 0, p.length);
    }

    /** From now on the server's sends are counted only (per subscriber browser): forwarding without a network. */
    public void discardSends() {
        sim.discard = true;
    }

    /** A datagram from the publisher's browser arriving at the server's socket, {@code micros} after the last. */
    public void deliverFromPublisher(byte[] datagram, long micros) {
        sim.now += micros;
        sim.deliverNow(publisher.pc, datagram, publisher.browser.address, publisherServerAddress);
    }

    /** The fewest packets any subscriber's browser was sent while sends were discarded. */
    public long fewestSentToASubscriber() {
        long fewest = Long.MAX_VALUE;
        for (SimHandle s : subscribers) {
            fewest = Math.min(fewest, sim.discardedTo.get(s.browser.address)[0]);
        }
        return fewest;
    }

    /** What the packet paths of the room dropped: exceptions, refused protects, forwards without a leg, sends without a pair. */
    public long packetPathErrors() {
        long n = 0;
        List<SimHandle> all = new ArrayList<>(subscribers);
        all.add(publisher);
        for (SimHandle h : all) {
            PathErrors e = h.pc.errors();
            n += e.packetExceptions + e.protectFailures + e.forwardsDropped + e.sendsWithoutPair;
        }
        return n;
    }

    /**
     * Sends one more publisher packet over the simulated network (before sends are discarded)
     * and returns how many subscribers' browsers decrypted it, under the SSRC their offer
     * announced. Only while the browsers kept up: after many discarded packets their SRTP
     * rollover counters would be behind.
     */
    public int subscribersDecryptingOneMorePacket(int seq) {
        if (sim.discard) {
            throw new IllegalStateException("the browsers' SRTP contexts missed the discarded packets");
        }
        List<Integer> before = new ArrayList<>();
        for (SimHandle s : subscribers) {
            before.add(s.browser.received.getOrDefault(s.browser.serverVideoSsrc, List.of()).size());
        }
        deliverFromPublisher(publisherVideoPacket(seq, 1200), 1_000);
        sim.deliverInFlight();
        int decrypted = 0;
        for (int i = 0; i < subscribers.size(); i++) {
            BrowserPeer b = subscribers.get(i).browser;
            if (b.undecryptable == 0 && b.received.getOrDefault(b.serverVideoSsrc, List.of()).size() > before.get(i)) {
                decrypted++;
            }
        }
        return decrypted;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** The SRTP profile the publisher's handshake settled on. */
    public String srtpProfile() {
        return publisher.pc.srtpKeys().profile().name();
    }

    public void close() {
        for (SimHandle h : subscribers) {
            h.pc.close("benchmark over");
            h.browser.close();
        }
        publisher.pc.close("benchmark over");
        publisher.browser.close();
    }
}
