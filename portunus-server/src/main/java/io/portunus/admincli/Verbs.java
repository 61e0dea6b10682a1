package io.portunus.admincli;

import io.portunus.admincli.Verb.Kind;
import io.portunus.admincli.Verb.Param;
import io.portunus.admincli.Verb.Scope;

import java.util.ArrayList;
import java.util.List;

/** Every verb of the Admin API (admin-api.md §5), Janus 1.1.2's set_libnice_debug included. */
final class Verbs {
    static final List<Verb> ALL = build();

    private Verbs() {
    }

    private static List<Verb> build() {
        List<Verb> v = new ArrayList<>();
        v.add(global("info", "Server information (name, version, modules)"));
        v.add(global("ping", "Check that the server answers (no secret needed)"));
        v.add(global("get_status", "Live settings: timeouts, log level, debug switches, NACK queue"));
        v.add(global("list_sessions", "Sessions with their handles, plugin, ICE/DTLS state and bitrate (--json: the ids only)"));
        v.add(global("loops_info", "Static event loops and their handles"));
        v.add(global("set_session_timeout", "Default session timeout in seconds (0 = never), or with --session one session's (-1 = default)",
                Param.required("timeout", Kind.INT, "seconds"),
                Param.optional("session_id", Kind.INT, "--session", "only this session")));
        v.add(global("set_log_level", "Log level 0-7", Param.required("level", Kind.INT, "0 (none) to 7 (huge)")));
        v.add(setter("set_locking_debug", "debug", "Locking debug"));
        v.add(setter("set_refcount_debug", "debug", "Reference-count debug"));
        v.add(setter("set_log_timestamps", "timestamps", "Timestamps on log lines"));
        v.add(setter("set_log_colors", "colors", "Colours in the log"));
        v.add(setter("set_libnice_debug", "debug", "libnice debug (Janus 1.1.2 only)"));
        v.add(global("set_min_nack_queue", "Minimum NACK queue in ms (0 disables)", Param.required("min_nack_queue", Kind.INT, "milliseconds")));
        v.add(setter("set_nack_optimizations", "nack_optimizations", "NACK optimizations"));
        v.add(global("set_no_media_timer", "Seconds without media before a media-off event (0 disables)",
                Param.required("no_media_timer", Kind.INT, "seconds")));
        v.add(global("set_slowlink_threshold", "Lost packets per second for a slow-link event (0 disables)",
                Param.required("slowlink_threshold", Kind.INT, "packets")));
        v.add(setter("accept_new_sessions", "accept", "Accept new sessions (false: drain)"));
        v.add(global("message_plugin", "Send a request to a plugin's Admin hook, print its response",
                Param.required("plugin", Kind.STRING, "package, e.g. janus.plugin.echotest"),
                Param.optional("request", Kind.JSON_OBJECT, "--request", "the request object, e.g. '{\"request\":\"list\"}'")));
        v.add(global("query_transport", "Send a request to a transport",
                Param.required("transport", Kind.STRING, "package, e.g. janus.transport.http"),
                Param.optional("request", Kind.JSON_OBJECT, "--request", "the request object")));
        v.add(global("query_eventhandler", "Send a request to an event handler",
                Param.required("handler", Kind.STRING, "package, e.g. janus.eventhandler.sampleevh"),
                Param.optional("request", Kind.JSON_OBJECT, "--request", "the request object")));
        v.add(global("query_logger", "Send a request to a logger",
                Param.required("logger", Kind.STRING, "package"),
                Param.optional("request", Kind.JSON_OBJECT, "--request", "the request object")));
        v.add(global("custom_event", "Emit an external event to the event handlers",
                Param.required("schema", Kind.STRING, "the event's schema name"),
                Param.required("data", Kind.JSON_OBJECT, "the event's data object")));
        v.add(global("custom_logline", "Write a line to the server's log",
                Param.required("line", Kind.STRING, "the text"),
                Param.optional("level", Kind.INT, "--level", "log level 0-7 (default 4)")));
        v.add(global("add_token", "Add a stored token (all plugins, or those given)",
                Param.required("token", Kind.STRING, "the token"),
                Param.optional("plugins", Kind.STRINGS, "--plugin", "a plugin it may use (repeat)")));
        v.add(global("list_tokens", "Stored tokens and their plugins"));
        v.add(global("allow_token", "Let a token use more plugins",
                Param.required("token", Kind.STRING, "the token"),
                Param.optional("plugins", Kind.STRINGS, "--plugin", "a plugin (repeat; at least one)")));
        v.add(global("disallow_token", "Stop a token from using plugins",
                Param.required("token", Kind.STRING, "the token"),
                Param.optional("plugins", Kind.STRINGS, "--plugin", "a plugin (repeat; at least one)")));
        v.add(global("remove_token", "Remove a stored token", Param.required("token", Kind.STRING, "the token")));
        v.add(global("resolve_address", "Resolve a name as the server does", Param.required("address", Kind.STRING, "a host name")));
        v.add(global("test_stun", "Ask a STUN server for the server's public address",
                Param.required("address", Kind.STRING, "STUN server"),
                Param.required("port", Kind.INT, "STUN port"),
                Param.optional("localport", Kind.INT, "--localport", "local port (default: any)")));
        v.add(new Verb("list_handles", Scope.SESSION, "A session's handles with plugin, ICE/DTLS state and bitrate (--json: the ids)", List.of()));
        v.add(new Verb("destroy_session", Scope.SESSION, "Destroy a session", List.of()));
        v.add(new Verb("handle_info", Scope.HANDLE, "Everything about a handle: plugin, ICE, DTLS, media and their statistics",
                List.of(Param.optional("plugin_only", Kind.BOOL, "--plugin-only", "only the plugin's part"))));
        v.add(new Verb("detach_handle", Scope.HANDLE, "Detach a handle from its plugin", List.of()));
        v.add(new Verb("hangup_webrtc", Scope.HANDLE, "Hang up a handle's PeerConnection", List.of()));
        for (String capture : List.of("start_pcap", "start_text2pcap")) {
            v.add(new Verb(capture, Scope.HANDLE, "Start capturing a handle's media (" + (capture.contains("text") ? "text2pcap" : "pcap") + ")",
                    List.of(Param.optional("folder", Kind.STRING, "--folder", "where to write"),
                            Param.optional("filename", Kind.STRING, "--filename", "file name"),
                            Param.optional("truncate", Kind.INT, "--truncate", "bytes kept of each packet (0 = all)"))));
        }
        v.add(new Verb("stop_pcap", Scope.HANDLE, "Stop a handle's capture", List.of()));
        v.add(new Verb("stop_text2pcap", Scope.HANDLE, "Stop a handle's capture", List.of()));
        return List.copyOf(v);
    }

    private static Verb global(String name, String description, Param... params) {
        return new Verb(name, Scope.GLOBAL, description, List.of(params));
    }

    private static Verb setter(String name, String member, String what) {
        return global(name, what + " on or off", Param.required(member, Kind.BOOL, "true or false"));
    }
}
