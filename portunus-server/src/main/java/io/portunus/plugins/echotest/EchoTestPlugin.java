package io.portunus.plugins.echotest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.MediaPacket;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginException;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.media.rtcp.Remb;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.Codec;
import io.portunus.media.sdp.EchoAnswer;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * EchoTest ({@code janus.plugin.echotest}): sends a peer's own media back to it. Requests and
 * replies as Janus's (plugins.md §1): every message is acknowledged with the hint
 * {@code "I'm taking my time!"} and answered by an event with the same transaction.
 */
public final class EchoTestPlugin implements Plugin {
    public static final String PACKAGE = "janus.plugin.echotest";
    static final String HINT = "I'm taking my time!";
    /** What a REMB says to lift our cap (bps): far above any camera. */
    static final long NO_CAP = 10_000_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus EchoTest plugin", "The Portunus authors",
            "A trivial EchoTest plugin: whatever a peer sends is sent back to it.", 7, "0.0.7",
            List.of("libjanus_echotest.so"));

    private volatile PluginContext context;
    private volatile boolean eventsEnabled = true;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public void init(PluginContext context) {
        this.context = context;
        this.eventsEnabled = context.config().group("general").bool("events", true);
    }

    @Override
    public void destroy() {
        context = null;
    }

    @Override
    public void createSession(PluginHandle handle) throws PluginException {
        if (context == null) {
            throw new PluginException(-1, "Plugin not initialized");
        }
        handle.pluginState(new EchoSession());
    }

    @Override
    public PluginResult handleMessage(PluginHandle handle, String transaction, ObjectNode body, ObjectNode jsep) {
        PluginContext ctx = context;
        if (ctx == null) {
            return PluginResult.error("Plugin not initialized");
        }
        if (!(handle.pluginState() instanceof EchoSession session)) {
            return PluginResult.error("No session associated with this handle");
        }
        return PluginResult.okWait(HINT, () -> process(ctx, handle, session, transaction, body, jsep));
    }

    private void process(PluginContext ctx, PluginHandle handle, EchoSession session, String transaction,
                         ObjectNode body, ObjectNode jsep) {
        ObjectNode event = Json.object();
        event.put("echotest", "event");
        ObjectNode answer = null;
        try {
            EchoRequest request = EchoRequest.parse(body, jsep != null);
            EchoRecording.check(ctx.recorder(), request);
            boolean videoWasOff = !session.echoes(true);
            long bitrateBefore = session.bitrate();
            session.apply(request);
            if (jsep != null) {
                answer = answer(ctx, handle, session, body, jsep);
            } else if (videoWasOff && session.echoes(true)) {
                // Video back on: the receiver needs a key frame to start decoding again.
                requestKeyFrame(ctx, handle);
            }
            if (session.bitrate() != bitrateBefore) {
                // A new cap is told at once; 0 lifts it with a REMB no camera reaches.
                sendRemb(ctx, handle, session, session.bitrate() > 0 ? session.bitrate() : NO_CAP);
            }
            session.recording.apply(ctx.recorder(), request, handle.handleId(), session.audioCodec(), session.videoCodec());
            event.put("result", "ok");
        } catch (EchoRequest.Invalid e) {
            event.remove("result");
            event.put("error_code", e.code());
            event.put("error", e.getMessage());
        }
        ctx.pushEvent(handle, transaction, event, answer);
        if (eventsEnabled && ctx.eventsEnabled() && event.has("result")) {
            ctx.notifyEvent(handle, session.describeForEvents());
        }
    }

    /** The answer to the peer's offer: same m-lines, one codec each, echoing what comes in. */
    private static ObjectNode answer(PluginContext ctx, PluginHandle handle, EchoSession session, ObjectNode body,
                                     ObjectNode jsep) throws EchoRequest.Invalid {
        try {
            Sdp offer = Sdp.parse(jsep.path("sdp").asText());
            AnswerOptions options = AnswerOptions.defaults()
                    .withAudioCodec(body.path("audiocodec").asText(null))
                    .withVideoCodec(body.path("videocodec").asText(null));
            Sdp answer = EchoAnswer.answer(offer, ctx.localMedia(handle), options);
            session.negotiated(codecOf(answer, "audio"), codecOf(answer, "video"), offersSimulcast(offer));
            ObjectNode out = Json.object();
            out.put("type", "answer");
            out.put("sdp", answer.write());
            return out;
        } catch (SdpException | IllegalStateException e) {
            throw new EchoRequest.Invalid(EchoRequest.INVALID_SDP, "Error parsing offer: " + e.getMessage());
        }
    }

    /** The codec an accepted m-line of the answer uses (lower case), or null. */
    private static String codecOf(Sdp answer, String type) {
        for (MediaSection m : answer.media()) {
            if (m.type().equals(type) && !m.isRejected() && !m.formats().isEmpty()) {
                try {
                    // RED comes first when negotiated: the codec is the first format that is neither RED nor RTX.
                    for (String f : m.formats()) {
                        Codec c = m.codec(Integer.parseInt(f));
                        if (c != null && !c.is("red") && !c.is("rtx")) {
                            return c.name().toLowerCase(Locale.ROOT);
                        }
                    }
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Whether the offer's video sends simulcast: rid-based (RFC 8853) or an ssrc-group SIM. */
    private static boolean offersSimulcast(Sdp offer) {
        for (MediaSection m : offer.media()) {
            if (m.type().equals("video") && !m.isRejected()
                    && (m.simulcastSsrcs().size() > 1 || m.simulcast() != null && m.simulcast().send().size() > 1)) {
                return true;
            }
        }
        return false;
    }

    /** Our REMB towards the peer's video (the core puts its SSRCs in). */
    private static void sendRemb(PluginContext ctx, PluginHandle handle, EchoSession session, long bitrate) {
        String mid = session.videoMid();
        if (mid != null) {
            byte[] remb = Remb.build(0, bitrate, List.of(0L));
            ctx.relayRtcp(handle, new MediaPacket(mid, true, remb, 0, remb.length));
            session.rembSent(nowMicros());
        }
    }

    private static void requestKeyFrame(PluginContext ctx, PluginHandle handle, int substream) {
        if (handle.pluginState() instanceof EchoSession s && s.videoMid() != null) {
            byte[] pli = Rtcp.pli(0, 0);
            ctx.relayRtcp(handle, new MediaPacket(s.videoMid(), true, pli, 0, pli.length, substream));
        }
    }

    private static void requestKeyFrame(PluginContext ctx, PluginHandle handle) {
        // A PLI about our outgoing video; the core rewrites it towards the peer's video stream.
        if (handle.pluginState() instanceof EchoSession s && s.videoMid() != null) {
            byte[] pli = Rtcp.pli(0, 0);
            ctx.relayRtcp(handle, new MediaPacket(s.videoMid(), true, pli, 0, pli.length));
        }
    }

    /** What the EchoTest prefixes to text it echoes (Janus 1.1.2's demo shows it); binary goes back as it came. */
    static final String DATA_PREFIX = "Janus EchoTest here! You wrote: ";

    @Override
    public void incomingData(PluginHandle handle, String label, byte[] data, boolean binary) {
        PluginContext ctx = context;
        if (ctx == null || !(handle.pluginState() instanceof EchoSession)) {
            return;
        }
        if (binary) {
            ctx.relayData(handle, label, data, true);
            return;
        }
        byte[] prefix = DATA_PREFIX.getBytes(StandardCharsets.UTF_8);
        byte[] reply = Arrays.copyOf(prefix, prefix.length + data.length);
        System.arraycopy(data, 0, reply, prefix.length, data.length);
        ctx.relayData(handle, label, reply, false);
    }

    @Override
    public void incomingRtp(PluginHandle handle, MediaPacket packet) {
        PluginContext ctx = context;
        if (ctx == null || !(handle.pluginState() instanceof EchoSession s)) {
            return;
        }
        s.sawMedia(packet.mid(), packet.video());
        s.recording.rtp(packet.video(), packet.buffer(), packet.offset(), packet.length(), packet.substream());
        if (!packet.video()) {
            if (s.echoes(false)) {
                ctx.relayRtp(handle, packet);
            }
            return;
        }
        long now = nowMicros();
        if (s.rembDue(now)) {
            sendRemb(ctx, handle, s, s.bitrate());
        }
        SimulcastSwitcher simulcast = s.simulcast();
        if (simulcast != null && packet.substream() >= 0) {
            // Layers are picked even while video is off, so it comes back on the right one.
            var d = simulcast.packet(packet.buffer(), packet.offset(), packet.length(), packet.substream(), now);
            if (d.keyFrameLayer() >= 0) {
                requestKeyFrame(ctx, handle, d.keyFrameLayer());
            }
            if (d.substreamNow() >= 0) {
                pushLayerEvent(ctx, handle, s, "substream", d.substreamNow());
            }
            if (d.temporalNow() >= 0) {
                pushLayerEvent(ctx, handle, s, "temporal", d.temporalNow());
            }
            if (!d.forward()) {
                return;
            }
        }
        if (s.echoes(true)) {
            ctx.relayRtp(handle, packet);
        }
    }

    /** plugins.md §1.3: a simulcast layer change that took effect. */
    private static void pushLayerEvent(PluginContext ctx, PluginHandle handle, EchoSession s, String key, int value) {
        ObjectNode event = Json.object();
        event.put("echotest", "event");
        event.put("videocodec", s.videoCodec());
        event.put(key, value);
        ctx.pushEvent(handle, null, event, null);
    }

    @Override
    public void incomingRtcp(PluginHandle handle, MediaPacket packet) {
        PluginContext ctx = context;
        if (ctx == null) {
            return;
        }
        if (handle.pluginState() instanceof EchoSession s) {
            SimulcastSwitcher simulcast = s.simulcast();
            if (simulcast != null && packet.video() && simulcast.substream() >= 0) {
                // The peer's PLI/FIR is about the layer it is being sent: that layer must make the key frame.
                packet = new MediaPacket(packet.mid(), true, packet.buffer(), packet.offset(), packet.length(),
                        simulcast.substream());
            }
            for (Rtcp.Block block : Rtcp.blocks(packet.buffer(), packet.offset(), packet.length())) {
                long peer = Remb.bitrate(packet.buffer(), block);
                if (peer >= 0) {
                    // As Janus: note what the peer estimates, and pass it on no higher than our cap.
                    s.peerBitrate(peer);
                    if (simulcast != null) {
                        // Except with simulcast: the estimate is about the one layer echoed, and
                        // as a cap on all the layers sent it would switch the upper ones off.
                        return;
                    }
                    if (s.bitrate() > 0) {
                        Remb.cap(packet.buffer(), block, s.bitrate());
                    }
                }
            }
        }
        ctx.relayRtcp(handle, packet);
    }

    private static long nowMicros() {
        return System.nanoTime() / 1_000;
    }

    @Override
    public void hangupMedia(PluginHandle handle) {
        PluginContext ctx = context;
        if (handle.pluginState() instanceof EchoSession rec) {
            rec.recording.stop();
        }
        if (ctx != null && handle.pluginState() instanceof EchoSession s && s.hangup()) {
            ObjectNode done = Json.object();
            done.put("echotest", "event");
            done.put("result", "done");
            ctx.pushEvent(handle, null, done, null);
        }
    }

    @Override
    public void destroySession(PluginHandle handle) throws PluginException {
        if (!(handle.pluginState() instanceof EchoSession s)) {
            throw new PluginException(-2, "No session associated with this handle");
        }
        s.recording.stop();
        s.destroy();
    }

    @Override
    public ObjectNode querySession(PluginHandle handle) {
        return handle.pluginState() instanceof EchoSession s ? s.describe() : null;
    }

    @Override
    public ObjectNode handleAdminMessage(ObjectNode request) {
        // As Janus's EchoTest: the Admin API gets its own request echoed back.
        JsonNode copy = request == null ? Json.object() : request.deepCopy();
        return copy.isObject() ? (ObjectNode) copy : Json.object();
    }
}
