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
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.EchoAnswer;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;

import java.util.List;

/**
 * EchoTest ({@code janus.plugin.echotest}): sends a peer's own media back to it. Requests and
 * replies as Janus's (plugins.md §1): every message is acknowledged with the hint
 * {@code "I'm taking my time!"} and answered by an event with the same transaction.
 */
public final class EchoTestPlugin implements Plugin {
    public static final String PACKAGE = "janus.plugin.echotest";
    static final String HINT = "I'm taking my time!";

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
            boolean videoWasOff = !session.echoes(true);
            session.apply(request);
            if (jsep != null) {
                answer = answer(ctx, handle, body, jsep);
            } else if (videoWasOff && session.echoes(true)) {
                // Video back on: the receiver needs a key frame to start decoding again.
                requestKeyFrame(ctx, handle);
            }
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
    private static ObjectNode answer(PluginContext ctx, PluginHandle handle, ObjectNode body, ObjectNode jsep)
            throws EchoRequest.Invalid {
        try {
            Sdp offer = Sdp.parse(jsep.path("sdp").asText());
            AnswerOptions options = AnswerOptions.defaults()
                    .withAudioCodec(body.path("audiocodec").asText(null))
                    .withVideoCodec(body.path("videocodec").asText(null));
            Sdp answer = EchoAnswer.answer(offer, ctx.localMedia(handle), options);
            ObjectNode out = Json.object();
            out.put("type", "answer");
            out.put("sdp", answer.write());
            return out;
        } catch (SdpException | IllegalStateException e) {
            throw new EchoRequest.Invalid(EchoRequest.INVALID_SDP, "Error parsing offer: " + e.getMessage());
        }
    }

    private static void requestKeyFrame(PluginContext ctx, PluginHandle handle) {
        // A PLI about our outgoing video; the core rewrites it towards the peer's video stream.
        if (handle.pluginState() instanceof EchoSession s && s.videoMid() != null) {
            byte[] pli = io.portunus.media.rtcp.Rtcp.pli(0, 0);
            ctx.relayRtcp(handle, new MediaPacket(s.videoMid(), true, pli, 0, pli.length));
        }
    }

    @Override
    public void incomingRtp(PluginHandle handle, MediaPacket packet) {
        PluginContext ctx = context;
        if (ctx != null && handle.pluginState() instanceof EchoSession s) {
            s.sawMedia(packet.mid(), packet.video());
            if (s.echoes(packet.video())) {
                ctx.relayRtp(handle, packet);
            }
        }
    }

    @Override
    public void incomingRtcp(PluginHandle handle, MediaPacket packet) {
        PluginContext ctx = context;
        if (ctx != null) {
            ctx.relayRtcp(handle, packet);
        }
    }

    @Override
    public void hangupMedia(PluginHandle handle) {
        PluginContext ctx = context;
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
