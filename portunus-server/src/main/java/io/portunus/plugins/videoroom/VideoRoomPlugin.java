package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginException;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.plugins.videoroom.Params.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * VideoRoom ({@code janus.plugin.videoroom}), Janus's SFU: rooms made from the configuration
 * file or by {@code create}, managed with the synchronous requests over the Janus API and the
 * Admin API (plugins.md §2.3), and joined by publishers (§2.4). Media is not forwarded yet.
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

    private volatile PluginContext context;
    private volatile VideoRoomConfig config;
    private volatile RoomRequests roomRequests;
    private volatile Membership membership;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public void init(PluginContext context) {
        VideoRoomConfig config = VideoRoomConfig.read(context.config());
        Rooms rooms = new Rooms();
        config.staticRooms().forEach(rooms::add);
        this.config = config;
        this.roomRequests = new RoomRequests(config, rooms, RoomFile.of(context.config(), config.fromFile()));
        this.membership = new Membership(config, rooms);
        this.context = context;
        LOG.info("VideoRoom: {} static room(s), {} ids{}", rooms.size(), config.stringIds() ? "string" : "integer",
                config.adminKey() != null ? ", rooms created with the admin key only" : "");
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
            return PluginResult.okWait(null, () -> asynchronous(ctx, request, body, handle, session, transaction));
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

    private void asynchronous(PluginContext ctx, String request, JsonNode body, PluginHandle handle,
                              VideoRoomSession session, String transaction) {
        Outbox out = new Outbox();
        try {
            switch (request) {
                case "join" -> membership.join(body, handle, session, transaction, out);
                case "leave" -> membership.leave(handle, session, transaction, out);
                default -> {
                    if (session.participant() == null && !request.equals("joinandconfigure")) {
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
    public void hangupMedia(PluginHandle handle) {
        // No media is sent or received yet: nothing to tear down.
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
