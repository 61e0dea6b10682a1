package io.portunus.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.event.Event;
import io.portunus.core.event.MediaStats;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the dashboard knows of one handle, from its events: its timeline, its ICE and DTLS
 * states, the last few minutes of media figures, and, once it ended, why, its last
 * {@code handle_info} and its final figures. The same record moves into {@link CallHistory}
 * when the handle is detached (events that arrive later, such as the hangup of a detach, still
 * land on it). Events of one handle come from a few threads; one lock per record is enough.
 */
final class HandleRecord {
    final long sessionId;
    final long handleId;
    private final long plotMillis;
    private final Timeline timeline;
    private final ArrayDeque<StatsSample> samples = new ArrayDeque<>();
    private final Map<String, StatsSample> lastSample = new LinkedHashMap<>();
    private final Map<String, MediaStats> lastStats = new LinkedHashMap<>();
    private String opaqueId;
    private String plugin;
    private long attachedMicros;
    private long endedMicros;
    private String iceState;
    private String dtlsState;
    private boolean webrtcUp;
    private String hangupReason;
    private ObjectNode lastHandleInfo;

    HandleRecord(long sessionId, long handleId, int timelineEvents, int plotSeconds) {
        this.sessionId = sessionId;
        this.handleId = handleId;
        this.timeline = new Timeline(timelineEvents);
        this.plotMillis = plotSeconds * 1000L;
    }

    synchronized void attached(long timestampMicros, String pluginName, String opaque) {
        attachedMicros = timestampMicros;
        plugin = pluginName;
        opaqueId = opaque;
    }

    synchronized void add(long timestampMicros, Event event) {
        if (opaqueId == null && event.origin().opaqueId() != null) {
            opaqueId = event.origin().opaqueId();
        }
        timeline.add(timestampMicros, event);
    }

    synchronized void iceState(String state) {
        iceState = state;
    }

    synchronized void dtlsState(String state) {
        dtlsState = state;
    }

    synchronized void connection(String connection, String reason) {
        if (connection.equals("webrtcup")) {
            webrtcUp = true;
            return;
        }
        // The first reason is the real one: a detach after an Admin hangup reports "Detach" again.
        if (hangupReason == null) {
            hangupReason = reason == null ? "" : reason;
        }
    }

    synchronized void stats(long timestampMicros, MediaStats stats) {
        StatsSample s = StatsSample.of(timestampMicros, stats);
        samples.addLast(s);
        lastSample.put(stats.media(), s);
        lastStats.put(stats.media(), stats);
        long oldest = s.atMillis() - plotMillis;
        while (!samples.isEmpty() && samples.peekFirst().atMillis() < oldest) {
            samples.removeFirst();
        }
    }

    /** Keeps the richest {@code handle_info}: one taken without a PeerConnection never replaces one with. */
    synchronized void handleInfo(ObjectNode info) {
        if (info == null) {
            return;
        }
        if (lastHandleInfo == null || info.has("webrtc") || !lastHandleInfo.has("webrtc")) {
            lastHandleInfo = info;
        }
    }

    synchronized void ended(long timestampMicros) {
        endedMicros = timestampMicros;
    }

    synchronized long endedMicros() {
        return endedMicros;
    }

    synchronized String opaqueId() {
        return opaqueId;
    }

    synchronized String iceState() {
        return iceState;
    }

    synchronized String dtlsState() {
        return dtlsState;
    }

    /** In and out bits per second over the last second, all media summed, from the latest stats events. */
    synchronized long[] bitrates() {
        long in = 0;
        long out = 0;
        for (StatsSample s : lastSample.values()) {
            in += s.inBps();
            out += s.outBps();
        }
        return new long[] {in, out};
    }

    /** One line of a list: ids, plugin, states, bitrates, and for an ended call its reason. */
    synchronized ObjectNode summary() {
        ObjectNode o = Json.object();
        o.put("session_id", sessionId);
        o.put("handle_id", handleId);
        if (plugin != null) {
            o.put("plugin", plugin);
        }
        if (opaqueId != null) {
            o.put("opaque_id", opaqueId);
        }
        o.put("attached", attachedMicros);
        if (endedMicros > 0) {
            o.put("ended", endedMicros);
            o.put("duration_ms", Math.max(0, (endedMicros - attachedMicros) / 1000));
        }
        if (iceState != null) {
            o.put("ice_state", iceState);
        }
        if (dtlsState != null) {
            o.put("dtls_state", dtlsState);
        }
        o.put("webrtcup", webrtcUp);
        if (hangupReason != null) {
            o.put("hangup_reason", hangupReason);
        }
        ObjectNode totals = o.putObject("final_stats");
        for (Map.Entry<String, MediaStats> e : lastStats.entrySet()) {
            MediaStats m = e.getValue();
            ObjectNode t = totals.putObject(e.getKey());
            t.put("packets_received", m.packetsReceived());
            t.put("packets_sent", m.packetsSent());
            t.put("bytes_received", m.bytesReceived());
            t.put("bytes_sent", m.bytesSent());
            t.setAll(lastSample.get(e.getKey()).toJson());
            t.remove("t");
            t.remove("media");
        }
        return o;
    }

    /**
     * Everything: the summary, the timeline (each event as handlers get it), the plot samples,
     * and the last {@code handle_info} when one was taken.
     *
     * @param writer an event and its timestamp to its JSON
     */
    synchronized ObjectNode details(BiFunction<Event, Long, JsonNode> writer) {
        ObjectNode o = summary();
        ArrayNode events = o.putArray("timeline");
        for (Timeline.Entry e : timeline.entries()) {
            events.add(writer.apply(e.event(), e.timestampMicros()));
        }
        o.put("timeline_left_out", timeline.leftOut());
        ArrayNode plot = o.putArray("samples");
        for (StatsSample s : samples) {
            plot.add(s.toJson());
        }
        if (lastHandleInfo != null) {
            o.set("handle_info", lastHandleInfo);
        }
        return o;
    }
}
