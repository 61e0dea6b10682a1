package io.portunus.admincli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Human-readable output of each reply (tables and key: value lines); --json bypasses it. */
final class Render {
    private final PrintWriter out;
    private final AdminConnection connection;
    private final String secret;

    Render(PrintWriter out, AdminConnection connection, String secret) {
        this.out = out;
        this.connection = connection;
        this.secret = secret;
    }

    void reply(Verb verb, ObjectNode request, JsonNode reply) throws AdminConnection.Unreachable {
        switch (verb.name()) {
            case "info" -> info(reply);
            case "ping" -> out.println("pong");
            case "get_status" -> keyValues(reply.path("status"));
            case "list_sessions" -> sessions(reply.path("sessions"));
            case "list_handles" -> handles(List.of(request.path("session_id").asLong()), Map.of(request.path("session_id").asLong(), reply.path("handles")));
            case "handle_info" -> handleInfo(reply.path("info"));
            case "loops_info" -> loops(reply.path("loops"));
            case "list_tokens" -> tokens(reply.path("data").path("tokens"));
            case "add_token", "allow_token", "disallow_token" ->
                    out.println("token may use: " + join(reply.path("data").path("plugins")));
            case "message_plugin", "query_transport", "query_eventhandler", "query_logger" ->
                    out.println(reply.path("response").toPrettyString());
            case "resolve_address" -> out.println(reply.path("ip").asText() + "  (" + reply.path("elapsed").asLong() + " µs)");
            case "test_stun" -> out.println(reply.path("public_ip").asText() + ":" + reply.path("public_port").asInt()
                    + "  (" + reply.path("elapsed").asLong() + " µs)");
            default -> setterOrOk(reply);
        }
    }

    /** Setters answer with the value now in effect; other verbs with a bare success. */
    private void setterOrOk(JsonNode reply) {
        List<String> lines = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = reply.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!List.of("janus", "transaction", "session_id").contains(e.getKey())) {
                lines.add(e.getKey() + ": " + e.getValue().asText(e.getValue().toString()));
            }
        }
        if (lines.isEmpty()) {
            out.println("ok");
        } else {
            lines.forEach(out::println);
        }
    }

    private void info(JsonNode info) {
        out.println(info.path("name").asText() + " " + info.path("version_string").asText()
                + " (" + info.path("server-name").asText() + ")");
        out.println("accepting new sessions: " + info.path("accepting-new-sessions").asText()
                + ", session timeout " + info.path("session-timeout").asText() + " s");
        out.println("plugins:        " + names(info.path("plugins")));
        out.println("transports:     " + names(info.path("transports")));
        out.println("event handlers: " + names(info.path("events")));
    }

    private void keyValues(JsonNode object) {
        int width = 0;
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            width = Math.max(width, it.next().length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.println(e.getKey() + " ".repeat(width - e.getKey().length()) + "  " + e.getValue().asText(e.getValue().toString()));
        }
    }

    /** list_sessions: one list_handles per session and one handle_info per handle, then one table. */
    private void sessions(JsonNode ids) throws AdminConnection.Unreachable {
        List<Long> sessions = new ArrayList<>();
        ids.forEach(id -> sessions.add(id.asLong()));
        Map<Long, JsonNode> handles = new LinkedHashMap<>();
        for (long session : sessions) {
            JsonNode reply = ask("list_handles", session, 0);
            handles.put(session, reply.path("handles"));  // a session gone meanwhile shows no handles
        }
        handles(sessions, handles);
        out.println(sessions.size() + (sessions.size() == 1 ? " session" : " sessions"));
    }

    private void handles(List<Long> sessions, Map<Long, JsonNode> handles) throws AdminConnection.Unreachable {
        Table table = new Table("SESSION", "HANDLE", "PLUGIN", "OPAQUE_ID", "ICE", "DTLS", "IN kbit/s", "OUT kbit/s");
        for (long session : sessions) {
            JsonNode list = handles.get(session);
            if (list == null || list.isEmpty()) {
                table.row(session, null, null, null, null, null, null, null);
                continue;
            }
            for (JsonNode h : list) {
                JsonNode info = ask("handle_info", session, h.asLong()).path("info");
                JsonNode webrtc = info.path("webrtc");
                table.row(session, h.asLong(), text(info.path("plugin")), text(info.path("opaque_id")),
                        text(webrtc.path("ice").path("state")), text(webrtc.path("dtls").path("dtls-state")),
                        kbps(webrtc.path("media"), "in"), kbps(webrtc.path("media"), "out"));
            }
        }
        table.print(out);
    }

    private void handleInfo(JsonNode info) {
        out.println("session    " + info.path("session_id").asLong() + "  transport " + text(info.path("session_transport"))
                + ", timeout " + info.path("session_timeout").asText() + " s");
        out.println("handle     " + info.path("handle_id").asLong() + (info.has("opaque_id") ? "  opaque_id " + info.path("opaque_id").asText() : ""));
        out.println("plugin     " + text(info.path("plugin")));
        if (info.path("plugin_specific").isObject() && !info.path("plugin_specific").isEmpty()) {
            List<String> parts = new ArrayList<>();
            info.path("plugin_specific").fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText(e.getValue().toString())));
            out.println("  " + String.join(" ", parts));
        }
        if (info.has("flags")) {
            List<String> set = new ArrayList<>();
            info.path("flags").fields().forEachRemaining(e -> {
                if (e.getValue().asBoolean()) {
                    set.add(e.getKey());
                }
            });
            out.println("flags      " + (set.isEmpty() ? "-" : String.join(" ", set)));
        }
        JsonNode webrtc = info.path("webrtc");
        if (webrtc.isMissingNode()) {
            out.println("webrtc     no PeerConnection");
            return;
        }
        JsonNode ice = webrtc.path("ice");
        out.println("ICE        " + text(ice.path("state")) + " (" + text(info.path("ice-mode")) + ", " + text(info.path("ice-role")) + ")"
                + (ice.has("selected-pair") ? "  " + ice.path("selected-pair").asText() : ""));
        JsonNode dtls = webrtc.path("dtls");
        out.println("DTLS       " + text(dtls.path("dtls-state")) + " (" + text(dtls.path("dtls-role")) + ", " + text(dtls.path("srtp-profile")) + ")");
        Table media = new Table("MID", "TYPE", "CODEC", "SEND", "RECV", "IN pkts", "IN bytes", "IN kbit/s", "OUT pkts", "OUT bytes",
                "OUT kbit/s", "NACKS in/out", "LOST", "RTT ms");
        webrtc.path("media").forEach(m -> {
            JsonNode in = m.path("stats").path("in");
            JsonNode outStats = m.path("stats").path("out");
            JsonNode rtcp = m.path("rtcp").path("main");
            media.row(m.path("mid").asText(), m.path("type").asText(), text(m.path("codecs").path("codec")),
                    text(m.path("direction").path("send")), text(m.path("direction").path("recv")),
                    in.path("packets").asLong(), in.path("bytes").asLong(), kbps(in.path("bytes_lastsec")),
                    outStats.path("packets").asLong(), outStats.path("bytes").asLong(), kbps(outStats.path("bytes_lastsec")),
                    text(in.path("nacks")) + "/" + text(outStats.path("nacks")), text(rtcp.path("lost")), text(rtcp.path("rtt")));
        });
        if (!media.isEmpty()) {
            media.print(out);
        }
    }

    private void loops(JsonNode loops) {
        if (loops.isEmpty()) {
            out.println("no static event loops");
            return;
        }
        Table table = new Table("LOOP", "HANDLES");
        loops.forEach(l -> table.row(l.path("id").asLong(), l.path("handles").asLong()));
        table.print(out);
    }

    private void tokens(JsonNode tokens) {
        Table table = new Table("TOKEN", "PLUGINS");
        tokens.forEach(t -> table.row(t.path("token").asText(), join(t.path("allowed_plugins"))));
        table.print(out);
    }

    /** A follow-up request (list_sessions' handles and their handle_info), the secret as the first one. */
    private JsonNode ask(String verb, long session, long handle) throws AdminConnection.Unreachable {
        ObjectNode request = AdminCli.JSON.createObjectNode();
        request.put("janus", verb);
        request.put("transaction", AdminCli.transaction());
        request.put("session_id", session);
        if (handle > 0) {
            request.put("handle_id", handle);
        }
        if (secret != null) {
            request.put("admin_secret", secret);
        }
        return connection.send(request);
    }

    /** Sum over media of bytes_lastsec in one direction, in kbit/s; "-" when the server gives none. */
    private static String kbps(JsonNode media, String direction) {
        long bytes = 0;
        boolean any = false;
        for (JsonNode m : media) {
            JsonNode b = m.path("stats").path(direction).path("bytes_lastsec");
            if (b.isNumber()) {
                bytes += b.asLong();
                any = true;
            }
        }
        return any ? String.valueOf(bytes * 8 / 1000) : "-";
    }

    private static String kbps(JsonNode bytesLastSecond) {
        return bytesLastSecond.isNumber() ? String.valueOf(bytesLastSecond.asLong() * 8 / 1000) : "-";
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }

    private static String names(JsonNode modules) {
        List<String> names = new ArrayList<>();
        modules.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(a -> items.add(a.asText()));
        return items.isEmpty() ? "-" : String.join(", ", items);
    }
}
