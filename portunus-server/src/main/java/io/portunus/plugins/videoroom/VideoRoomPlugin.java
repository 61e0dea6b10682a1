package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.MediaPacket;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginException;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.core.spi.StreamRecording;
import io.portunus.media.rtcp.Remb;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.SimulcastSelector;
import io.portunus.media.rtp.TalkingDetector;
import io.portunus.media.rtp.Vp8Descriptor;
import io.portunus.plugins.videoroom.Params.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * VideoRoom ({@code janus.plugin.videoroom}), Janus's SFU: rooms made from the configuration
 * file or by {@code create}, managed with the synchronous requests over the Janus API and the
 * Admin API (plugins.md §2.3), joined by publishers and subscribers (§2.4). A publisher's offer
 * is answered ({@link Publishing}); a subscriber gets our offer ({@link Subscribing}); each
 * publisher packet is handed to the core once per subscriber leg, which copies and rewrites it
 * for that leg; from a simulcast publisher each leg gets the layer its {@link SimulcastSelector}
 * picks. Subscribers' key-frame requests reach the publisher through one {@link KeyFrameGate}
 * per published video stream (per simulcast layer).
 */
public final class VideoRoomPlugin implements Plugin {
    public static final String PACKAGE = "janus.plugin.videoroom";
    private static final Logger LOG = LoggerFactory.getLogger(VideoRoomPlugin.class);
    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus VideoRoom plugin", "The Portunus authors",
            "A videoconferencing SFU (Selective Forwarding Unit): rooms of publishers and subscribers.", 9, "0.0.9",
            List.of("libjanus_videoroom.so"));
    /** Requests Janus queues and answers with an event; the others are answered at once. */
    private static final Set<String> ASYNCHRONOUS = Set.of("join", "joinandconfigure", "configure", "publish",
            "unpublish", "start", "pause", "switch", "leave", "subscribe", "unsubscribe", "update");
    /** Requests Janus 1.1.2 does not know on a publisher's handle: 423, not 424 (it joined). */
    private static final Set<String> SUBSCRIBER_ONLY = Set.of("start", "pause", "switch", "subscribe", "unsubscribe",
            "update");
    /** ...and on a subscriber's. */
    private static final Set<String> PUBLISHER_ONLY = Set.of("publish", "unpublish");

    private volatile PluginContext context;
    private volatile VideoRoomConfig config;
    private volatile RoomRequests roomRequests;
    /** The rooms, whose lock guards a publisher's recording switches. */
    private volatile Rooms rooms;
    private volatile Membership membership;
    private volatile Publishing publishing;
    private volatile Subscribing subscribing;
    private volatile SubscriptionUpdates subscriptionUpdates;
    private volatile ForwarderRequests forwarders;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public void init(PluginContext context) {
        VideoRoomConfig config = VideoRoomConfig.read(context.config());
        rooms = new Rooms();
        config.staticRooms().forEach(rooms::add);
        this.config = config;
        this.forwarders = new ForwarderRequests(config, rooms,
                (stream, layer) -> requestKeyFrame(context, stream, layer, nowMicros(), KeyFrameGate.FLOOR_MICROS));
        this.roomRequests = new RoomRequests(config, rooms, RoomFile.of(context.config(), config.fromFile()),
                context.recorder(), forwarders);
        this.subscribing = new Subscribing(config, rooms);
        this.subscriptionUpdates = new SubscriptionUpdates(config, rooms, subscribing);
        this.membership = new Membership(config, rooms, subscribing);
        this.publishing = new Publishing(rooms);
        this.context = context;
        LOG.info("VideoRoom: {} static room(s), {} ids{}", rooms.size(), config.stringIds() ? "string" : "integer",
                config.adminKey() != null ? ", rooms created with the admin key only" : "");
    }

    @Override
    public void destroy() {
        context = null;
        ForwarderRequests f = forwarders;
        if (f != null) {
            f.close();
        }
    }

    @Override
    public void createSession(PluginHandle handle) throws PluginException {
        if (context == null) {
            throw new PluginException(-1, "Plugin not initialized");
        }
        handle.pluginState(new VideoRoomSession());
    }

    @Override
    public PluginResult handleMessage(PluginHandle handle, String transaction, ObjectNode body, ObjectNode jsep) {
        PluginContext ctx = context;
        if (ctx == null) {
            return PluginResult.error("Plugin not initialized");
        }
        if (!(handle.pluginState() instanceof VideoRoomSession session) || session.isDestroyed()) {
            return PluginResult.error("No session associated with this handle");
        }
        String request;
        try {
            request = requestName(body);
        } catch (VideoRoomError e) {
            return PluginResult.ok(e.toEvent());
        }
        if (RoomRequests.NAMES.contains(request)) {
            return PluginResult.ok(synchronous(ctx, request, body, handle));
        }
        if (ASYNCHRONOUS.contains(request)) {
            return PluginResult.okWait(null, () -> asynchronous(ctx, request, body, jsep, handle, session, transaction));
        }
        return PluginResult.ok(unknown(body).toEvent());
    }

    @Override
    public ObjectNode handleAdminMessage(ObjectNode request) {
        PluginContext ctx = context;
        if (ctx == null) {
            return new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "Plugin not initialized").toEvent();
        }
        if (request == null) {
            return Params.missing("request").toEvent();
        }
        try {
            String name = requestName(request);
            if (!RoomRequests.NAMES.contains(name)) {
                return unknown(request).toEvent();
            }
            return synchronous(ctx, name, request, null);
        } catch (VideoRoomError e) {
            return e.toEvent();
        }
    }

    /** The body's {@code request}, lower case: Janus compares request names ignoring case. */
    private static String requestName(JsonNode body) throws VideoRoomError {
        Params.check(body, "request", Type.STRING, true);
        return body.get("request").asText().toLowerCase(Locale.ROOT);
    }

    private static VideoRoomError unknown(JsonNode body) {
        return new VideoRoomError(VideoRoomError.INVALID_REQUEST, "Unknown request '" + body.get("request").asText() + "'");
    }

    private ObjectNode synchronous(PluginContext ctx, String request, JsonNode body, PluginHandle handle) {
        Outbox out = new Outbox();
        ObjectNode reply;
        try {
            reply = roomRequests.handle(request, body, handle, out);
        } catch (VideoRoomError e) {
            reply = e.toEvent();
        }
        out.deliver(ctx, config.events());
        return reply;
    }

    private void asynchronous(PluginContext ctx, String request, JsonNode body, ObjectNode jsep, PluginHandle handle,
                              VideoRoomSession session, String transaction) {
        Outbox out = new Outbox();
        try {
            Subscription sub = session.subscription();
            if (sub != null ? PUBLISHER_ONLY.contains(request)
                    : session.participant() != null && SUBSCRIBER_ONLY.contains(request)) {
                throw unknown(body);
            }
            switch (request) {
                case "join", "joinandconfigure" -> {
                    Subscribing.Plan plan = membership.join(body, handle, session, transaction,
                            out);
                    if (plan != null) {
                        subscribing.offer(ctx, plan, handle, transaction, out);
                        session.subscription(plan.subscription());
                    } else if (request.equals("joinandconfigure")) {
                        publishing.configure(ctx, "publish", body, handle, session, jsep, transaction, out);
                    }
                }
                case "leave" -> {
                    if (sub != null) {
                        sub.detach();
                        ObjectNode left = Subscription.event(sub.room);
                        left.put("left", "ok");
                        out.reply(handle, transaction, left);
                        out.closePc(handle);
                    } else {
                        membership.leave(handle, session, transaction, out);
                    }
                }
                case "start" -> {
                    if (sub == null) {
                        throw Membership.unconfigured();
                    }
                    List<SubscriberLeg> started = subscribing.start(ctx, handle, sub, jsep, transaction, out);
                    if (sub.isAttached()) {
                        // Before its PeerConnection is up a key frame would reach nobody: setupMedia asks then.
                        requestKeyFrames(ctx, started);
                    }
                }
                case "pause" -> {
                    if (sub == null) {
                        throw Membership.unconfigured();
                    }
                    SubscriberControls.pause(handle, sub, transaction, out);
                }
                case "subscribe", "unsubscribe", "update" -> {
                    if (sub == null) {
                        throw Membership.unconfigured();
                    }
                    subscriptionUpdates.handle(ctx, request, body, handle, sub, transaction, out);
                }
                case "publish", "configure" -> {
                    if (sub != null && request.equals("configure")) {
                        SubscriberRenegotiation.Ask renegotiate = SubscriberRenegotiation.read(body);
                        subscribing.configureLayers(body, sub);
                        requestKeyFrames(ctx, SubscriberControls.configure(ctx, body, handle, sub, renegotiate,
                                transaction, out));
                    } else {
                        RoomRecording.Ask record = RoomRecording.ask(ctx.recorder(), body);
                        publishing.configure(ctx, request, body, handle, session, jsep, transaction, out);
                        synchronized (rooms) {
                            RoomRecording.apply(session.participant(), record);
                            RoomRecording.sync(ctx.recorder(), session.participant());
                        }
                    }
                }
                case "unpublish" -> publishing.unpublish(handle, session, transaction, out);
                case "switch" -> {
                    if (sub == null) {
                        throw Membership.unconfigured();
                    }
                    // The new source's next key frame starts the leg.
                    requestKeyFrames(ctx, subscribing.switchLegs(ctx, body, handle, sub, transaction, out));
                }
                default -> {
                    if (session.participant() == null && sub == null) {
                        throw Membership.unconfigured();
                    }
                    throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "Request '" + request + "' is not supported yet");
                }
            }
        } catch (VideoRoomError e) {
            out.reply(handle, transaction, e.toEvent());
        }
        out.deliver(ctx, config.events());
    }

    @Override
    public void setupMedia(PluginHandle handle) {
        PluginContext ctx = context;
        if (ctx == null || !(handle.pluginState() instanceof VideoRoomSession session)) {
            return;
        }
        Subscription sub = session.subscription();
        if (sub != null) {
            if (sub.attach()) {
                // A new subscriber needs a key frame to start decoding each video leg.
                requestKeyFrames(ctx, sub.legs().stream().filter(l -> !l.isRemoved()).toList());
            }
            return;
        }
        Participant me = session.participant();
        if (me != null) {
            Outbox out = new Outbox();
            publishing.mediaUp(me, out);
            out.deliver(ctx, config.events());
        }
    }

    @Override
    public void incomingRtp(PluginHandle handle, MediaPacket packet) {
        PluginContext ctx = context;
        if (ctx == null || !(handle.pluginState() instanceof VideoRoomSession session)) {
            return;
        }
        Participant me = session.participant();
        PublishedStream stream = me == null ? null : me.stream(packet.mid());
        if (stream == null || !stream.simulcast && packet.substream() > 0) {
            return;
        }
        StreamRecording recording = stream.recording;
        if (recording != null && packet.substream() <= 0) {
            // Copied into the recorder's queue (a simulcast publisher's lowest layer only: one SSRC per file).
            recording.rtp(packet.buffer(), packet.offset(), packet.length());
        }
        long now = 0;
        if (stream.talking != null
                && stream.talking.packet(packet.buffer(), packet.offset(), packet.length()) != TalkingDetector.NO_CHANGE) {
            publishing.talking(ctx, stream, config.events());
        }
        if (stream.video) {
            now = nowMicros();
            long remb = me.remb.due(now, me.bitrate());
            if (remb >= 0) {
                sendRemb(ctx, stream, remb);
            }
            int layer = stream.simulcast ? packet.substream() : -1;
            KeyFrameGate gate = stream.keyFrames(layer);
            if (gate.due(now, stream.keyFramePeriodMicros)) {
                sendPli(ctx, stream, layer);
            }
        }
        for (RtpForwarder f : stream.forwarders()) {
            f.forward(packet.buffer(), packet.offset(), packet.length(), packet.substream());
        }
        // Parsed once here for every leg's selector, not once per leg.
        Vp8Descriptor vp8 = stream.simulcast && packet.substream() >= 0
                ? SimulcastSelector.descriptor(packet.buffer(), packet.offset(), packet.length()) : null;
        for (SubscriberLeg leg : stream.legs()) {
            if (!leg.forwards()) {
                continue; // paused, or configured with send: false
            }
            // A packet of no known layer (the core could not tell the layers apart) goes as it is.
            SimulcastSelector selector = stream.simulcast && packet.substream() >= 0 ? leg.selector() : null;
            int leftOut = 0;
            if (selector != null) {
                // This leg's layer: the decision is made here, on the publisher's thread, which
                // sees every layer; the leg's copy is made continuous on the leg's own thread.
                var d = selector.packet(packet.buffer(), packet.offset(), packet.substream(), vp8, now);
                if (d.keyFrameLayer() >= 0) {
                    requestKeyFrame(ctx, stream, d.keyFrameLayer(), now, stream.keyFrameWindowMicros);
                }
                if (d.substreamNow() >= 0 || d.temporalNow() >= 0) {
                    pushLayerEvent(ctx, leg, stream, d.substreamNow(), d.temporalNow());
                }
                if (!d.forward()) {
                    continue;
                }
                leftOut = d.leftOut();
            }
            ctx.forwardRtp(leg.subscriber(), new MediaPacket(leg.mid(), stream.video, packet.buffer(), packet.offset(),
                    packet.length(), -1, leftOut));
        }
    }

    /** A leg's simulcast layer change took effect: the subscriber is told, as Janus tells it. */
    private static void pushLayerEvent(PluginContext ctx, SubscriberLeg leg, PublishedStream stream, int substream,
                                       int temporal) {
        ObjectNode e = Subscription.event(stream.publisher.room);
        e.put("mid", leg.mid());
        if (substream >= 0) {
            e.put("substream", substream);
        }
        if (temporal >= 0) {
            e.put("temporal", temporal);
        }
        ctx.pushEvent(leg.subscriber(), null, e, null);
    }

    @Override
    public void incomingRtcp(PluginHandle handle, MediaPacket packet) {
        PluginContext ctx = context;
        if (ctx == null || !packet.video() || !(handle.pluginState() instanceof VideoRoomSession session)) {
            return;
        }
        Subscription sub = session.subscription();
        SubscriberLeg leg = sub == null ? null : sub.leg(packet.mid());
        if (leg == null || leg.isRemoved()) {
            return; // an unsubscribed leg's old source owes it nothing
        }
        // The core hands a subscriber's PLI/FIR (and REMB) about one leg: key-frame requests go on, aggregated.
        for (Rtcp.Block block : Rtcp.blocks(packet.buffer(), packet.offset(), packet.length())) {
            if (block.type() == Rtcp.PSFB && (block.format() == Rtcp.FMT_PLI || block.format() == Rtcp.FMT_FIR)) {
                requestKeyFrame(ctx, leg.source(), leg.keyFrameLayer(), nowMicros(), leg.source().keyFrameWindowMicros);
                return;
            }
        }
    }

    /** A publisher's data channel message goes to its subscribers; a subscriber's goes nowhere (as Janus). */
    @Override
    public void incomingData(PluginHandle handle, String label, byte[] data, boolean binary) {
        PluginContext ctx = context;
        if (ctx != null && handle.pluginState() instanceof VideoRoomSession session && session.participant() != null) {
            PublishedData published = session.participant().data;
            if (published != null) {
                published.relay(ctx, data, binary);
            }
        }
    }

    /**
     * Asks the sources of these legs' video for a key frame (legs that start or go on), aggregated
     * per source, within the shortest window: such a leg shows nothing until its first key frame.
     */
    private static void requestKeyFrames(PluginContext ctx, List<SubscriberLeg> legs) {
        long now = nowMicros();
        for (SubscriberLeg leg : legs) {
            if (leg.source().video) {
                requestKeyFrame(ctx, leg.source(), leg.keyFrameLayer(), now, KeyFrameGate.FLOOR_MICROS);
            }
        }
    }

    /**
     * A key frame for a leg, of simulcast {@code layer} (-1 without simulcast), through the layer's
     * gate: sent at once, or when {@code windowMicros} since the last one sent have passed.
     */
    private static void requestKeyFrame(PluginContext ctx, PublishedStream stream, int layer, long now,
                                        long windowMicros) {
        int l = stream.simulcast ? layer : -1;
        if (stream.keyFrames(l).request(now, windowMicros)) {
            sendPli(ctx, stream, l);
        }
    }

    /**
     * A PLI about the publisher's stream, or one simulcast layer of it (the core puts in that
     * layer's SSRC, or makes it a FIR).
     */
    private static void sendPli(PluginContext ctx, PublishedStream stream, int layer) {
        byte[] pli = Rtcp.pli(0, 0);
        ctx.relayRtcp(stream.publisher.handle, new MediaPacket(stream.mid, true, pli, 0, pli.length, layer));
    }

    /** Our bitrate cap towards the publisher's video, as Janus's VideoRoom sends it (the core puts the SSRCs in). */
    private static void sendRemb(PluginContext ctx, PublishedStream stream, long bitrate) {
        byte[] remb = Remb.build(0, bitrate, List.of(0L));
        ctx.relayRtcp(stream.publisher.handle, new MediaPacket(stream.mid, true, remb, 0, remb.length));
    }

    private static long nowMicros() {
        return System.nanoTime() / 1_000;
    }

    @Override
    public void hangupMedia(PluginHandle handle) {
        PluginContext ctx = context;
        if (ctx == null || !(handle.pluginState() instanceof VideoRoomSession session)) {
            return;
        }
        Subscription sub = session.subscription();
        if (sub != null) {
            sub.detach();
        }
        Participant me = session.participant();
        if (me != null) {
            Outbox out = new Outbox();
            publishing.mediaDown(me, out);
            out.deliver(ctx, config.events());
        }
    }

    @Override
    public void destroySession(PluginHandle handle) throws PluginException {
        if (!(handle.pluginState() instanceof VideoRoomSession session)) {
            throw new PluginException(-2, "No session associated with this handle");
        }
        session.destroyed();
        Outbox out = new Outbox();
        membership.gone(session, out);
        PluginContext ctx = context;
        if (ctx != null) {
            out.deliver(ctx, config.events());
        }
    }

    @Override
    public ObjectNode querySession(PluginHandle handle) {
        return handle.pluginState() instanceof VideoRoomSession s ? s.describe() : null;
    }
}
