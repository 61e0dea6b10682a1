package io.portunus.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.admin.AdminApi;
import io.portunus.api.Validation;
import io.portunus.api.Validation.Kind;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.Session;
import io.portunus.core.event.Event;
import io.portunus.core.spi.Plugin;
import io.portunus.events.EventBus;
import io.portunus.events.HandlerPipe;
import io.portunus.logging.LogControl;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Admin API requests the dashboard adds (Portunus's own; Janus clients never see them
 * unless they send them): {@code dashboard_status}, {@code dashboard_sessions} (every session
 * and handle in one reply, so a thousand sessions are one request), {@code dashboard_rooms} (the
 * VideoRoom handles with their {@code plugin_specific} and bitrates, which the rooms view groups
 * by room), {@code handle_timeline}, {@code list_ended_calls} and {@code ended_call_info}. The admin secret applies as to any
 * Admin request.
 */
final class DashboardRequests {
    private static final String VIDEOROOM = "janus.plugin.videoroom";

    private final Gateway gateway;
    private final EventBus events;
    private final CallRecorder recorder;
    private final LiveFeed feed;
    private final long startedMillis;

    DashboardRequests(Gateway gateway, EventBus events, CallRecorder recorder, LiveFeed feed, long startedMillis) {
        this.gateway = gateway;
        this.events = events;
        this.recorder = recorder;
        this.feed = feed;
        this.startedMillis = startedMillis;
    }

    void register(AdminApi api) {
        api.global("dashboard_status", (r, t) -> status(t));
        api.global("dashboard_sessions", (r, t) -> sessions(t));
        api.global("dashboard_rooms", (r, t) -> rooms(t));
        api.handle("handle_timeline", (r, t, handle) -> timeline(t, handle));
        api.global("list_ended_calls", (r, t) -> endedCalls(t));
        api.global("ended_call_info", this::endedCall);
    }

    private ObjectNode status(String transaction) {
        ObjectNode ok = Json.message("success", 0, transaction);
        ObjectNode s = ok.putObject("status");
        s.put("uptime_seconds", (System.currentTimeMillis() - startedMillis) / 1000);
        s.put("accepting_new_sessions", gateway.acceptNewSessions());
        int sessions = 0;
        int handles = 0;
        int peerConnections = 0;
        for (Session session : gateway.sessions()) {
            sessions++;
            for (Handle h : session.handles()) {
                handles++;
                if (h.peerConnection() != null) {
                    peerConnections++;
                }
            }
        }
        s.put("sessions", sessions);
        s.put("handles", handles);
        s.put("peerconnections", peerConnections);
        s.put("ended_calls", recorder.history().size());
        s.put("log_level", LogControl.get().level());
        ArrayNode handlers = s.putArray("event_handlers");
        for (HandlerPipe p : events.pipes()) {
            ObjectNode h = p.stats();
            h.put("name", p.name());
            handlers.add(h);
        }
        s.set("live_feed", feed.stats());
        return ok;
    }

    private ObjectNode sessions(String transaction) {
        ObjectNode ok = Json.message("success", 0, transaction);
        ArrayNode list = ok.putArray("sessions");
        for (Session session : gateway.sessions()) {
            ObjectNode s = list.addObject();
            s.put("session_id", session.id());
            if (session.transport() != null) {
                s.put("transport", session.transport().transportName());
            }
            ArrayNode handles = s.putArray("handles");
            for (Handle h : session.handles()) {
                handles.add(handleLine(h));
            }
        }
        return ok;
    }

    /**
     * Every VideoRoom handle with the plugin's own view of it ({@code plugin_specific}: type,
     * room, id, display) and its bitrates. The rooms themselves come from the plugin's
     * {@code list} through {@code message_plugin}, which also applies its admin key to private
     * rooms; this reply adds who is in them and how much they send, which no Janus request gives.
     */
    private ObjectNode rooms(String transaction) {
        ObjectNode ok = Json.message("success", 0, transaction);
        ArrayNode list = ok.putArray("handles");
        Plugin videoRoom = gateway.plugins().get(VIDEOROOM);
        ok.put("videoroom", videoRoom != null);
        if (videoRoom == null) {
            return ok;
        }
        for (Session session : gateway.sessions()) {
            for (Handle h : session.handles()) {
                if (h.plugin() != videoRoom) {
                    continue;
                }
                ObjectNode line = handleLine(h);
                line.put("session_id", session.id());
                ObjectNode specific = videoRoom.querySession(h);
                if (specific != null) {
                    line.set("plugin_specific", specific);
                }
                list.add(line);
            }
        }
        return ok;
    }

    /** What the sessions view shows of a handle: from the handle itself and its record's latest events. */
    private ObjectNode handleLine(Handle h) {
        ObjectNode o = Json.object();
        o.put("handle_id", h.handleId());
        o.put("plugin", h.plugin().info().packageName());
        if (h.opaqueId() != null) {
            o.put("opaque_id", h.opaqueId());
        }
        o.put("webrtc", h.peerConnection() != null);
        HandleRecord record = recorder.live(h.handleId());
        if (record != null) {
            if (record.iceState() != null) {
                o.put("ice_state", record.iceState());
            }
            if (record.dtlsState() != null) {
                o.put("dtls_state", record.dtlsState());
            }
            long[] bitrates = record.bitrates();
            o.put("in_bps", bitrates[0]);
            o.put("out_bps", bitrates[1]);
        }
        return o;
    }

    private ObjectNode timeline(String transaction, Handle handle) {
        ObjectNode ok = Json.message("success", handle.sessionId(), transaction);
        ok.put("handle_id", handle.handleId());
        HandleRecord record = recorder.live(handle.handleId());
        ok.set("record", record == null ? Json.object() : record.details(this::eventJson));
        return ok;
    }

    private ObjectNode endedCalls(String transaction) {
        ObjectNode ok = Json.message("success", 0, transaction);
        ArrayNode calls = ok.putArray("calls");
        for (HandleRecord r : recorder.history().list()) {
            calls.add(r.summary());
        }
        return ok;
    }

    private ObjectNode endedCall(JsonNode request, String transaction) throws ApiException {
        Validation.PLAIN.check(request, "handle", Kind.POSITIVE_INTEGER, true);
        long id = request.get("handle").asLong();
        HandleRecord r = recorder.history().find(id);
        if (r == null) {
            throw new ApiException(JanusError.HANDLE_NOT_FOUND, "No ended call of handle " + id);
        }
        ObjectNode ok = Json.message("success", 0, transaction);
        ok.set("call", r.details(this::eventJson));
        return ok;
    }

    private JsonNode eventJson(Event event, long timestampMicros) {
        try {
            return Json.MAPPER.readTree(events.serialize(event, timestampMicros).json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
