package io.portunus.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schemas shipped in the jar (io/portunus/schema, copied from docs/schema at build
 * time), loaded with networknt's validator. Their {@code $id}s live under
 * {@code https://portunus.invalid/schema/} (a reserved name that never resolves); the registry
 * maps that prefix to the class path, so nothing is fetched.
 */
public final class Schemas {
    public static final String ID_PREFIX = "https://portunus.invalid/schema/";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(Schemas::resource));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    /** Admin verbs and the schema of their success reply (docs/schema/README.md has the same table). */
    private static final Map<String, String> ADMIN_REPLIES = Map.ofEntries(
            Map.entry("info", "server-info"), Map.entry("ping", "admin-pong"),
            Map.entry("get_status", "admin-get-status"), Map.entry("list_sessions", "admin-list-sessions"),
            Map.entry("list_handles", "admin-list-handles"), Map.entry("loops_info", "admin-loops-info"),
            Map.entry("set_session_timeout", "admin-set-session-timeout"),
            Map.entry("set_log_level", "admin-set-log-level"), Map.entry("set_locking_debug", "admin-set-locking-debug"),
            Map.entry("set_refcount_debug", "admin-set-refcount-debug"), Map.entry("set_log_timestamps", "admin-set-log-timestamps"),
            Map.entry("set_log_colors", "admin-set-log-colors"), Map.entry("set_min_nack_queue", "admin-set-min-nack-queue"),
            Map.entry("set_nack_optimizations", "admin-set-nack-optimizations"),
            Map.entry("set_no_media_timer", "admin-set-no-media-timer"),
            Map.entry("set_slowlink_threshold", "admin-set-slowlink-threshold"),
            Map.entry("accept_new_sessions", "admin-accept-new-sessions"), Map.entry("set_libnice_debug", "admin-set-libnice-debug"),
            Map.entry("add_token", "admin-token-plugins"), Map.entry("allow_token", "admin-token-plugins"),
            Map.entry("disallow_token", "admin-token-plugins"), Map.entry("list_tokens", "admin-list-tokens"),
            Map.entry("remove_token", "admin-success"), Map.entry("custom_event", "admin-success"),
            Map.entry("custom_logline", "admin-success"), Map.entry("destroy_session", "admin-success"),
            Map.entry("detach_handle", "admin-success"), Map.entry("hangup_webrtc", "admin-success"),
            Map.entry("start_pcap", "admin-success"), Map.entry("stop_pcap", "admin-success"),
            Map.entry("start_text2pcap", "admin-success"), Map.entry("stop_text2pcap", "admin-success"),
            Map.entry("message_plugin", "admin-query-response"), Map.entry("query_transport", "admin-query-response"),
            Map.entry("query_eventhandler", "admin-query-response"), Map.entry("query_logger", "admin-query-response"),
            Map.entry("resolve_address", "admin-resolve-address"), Map.entry("test_stun", "admin-test-stun"),
            Map.entry("handle_info", "admin-handle-info"));

    private Schemas() {
    }

    /**
     * A file of the repository by its path from the top ({@code docs/schema}, {@code e2e/...}),
     * found from the working directory upwards (the top, or a module folder below it).
     */
    public static Path repoPath(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** The schema names in docs/schema (the source the jar's copies come from). */
    public static List<String> names() {
        try (Stream<Path> files = Files.list(repoPath("docs/schema"))) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".schema.json"))
                    .map(f -> f.substring(0, f.length() - ".schema.json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code io/portunus/schema/<name>.schema.json} in the jar. */
    public static String text(String name) {
        try (InputStream in = Schemas.class.getResourceAsStream("/io/portunus/schema/" + name + ".schema.json")) {
            if (in == null) {
                throw new IllegalArgumentException("no schema " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String iri) {
        if (!iri.startsWith(ID_PREFIX)) {
            return null;
        }
        String file = iri.substring(ID_PREFIX.length());
        return text(file.substring(0, file.length() - ".schema.json".length()));
    }

    public static Schema get(String name) {
        return LOADED.computeIfAbsent(name, n -> REGISTRY.getSchema(SchemaLocation.of(ID_PREFIX + n + ".schema.json")));
    }

    /** The problems {@code schema} finds in {@code json} (empty when it validates). */
    public static List<String> problems(String schema, String json) {
        return get(schema).validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    public static void assertValid(String schema, JsonNode json) {
        String text = json.toString();
        String shown = text.length() > 400 ? text.substring(0, 400) + "..." : text;
        assertThat(problems(schema, text)).as("%s against %s", shown, schema).isEmpty();
    }

    /** The schema of a verb's reply: the error schema when it failed, else the verb's own. */
    public static String forAdminReply(String verb, JsonNode reply) {
        if (reply.path("janus").asText().equals("error")) {
            return "admin-error";
        }
        String schema = ADMIN_REPLIES.get(verb.toLowerCase(Locale.ROOT));
        if (schema == null) {
            throw new IllegalArgumentException("no reply schema for admin verb " + verb);
        }
        return schema;
    }

    public static Map<String, String> adminReplies() {
        return ADMIN_REPLIES;
    }

    /** Checks an Admin reply against its verb's schema and against admin-reply (any reply). */
    public static void assertValidAdminReply(String verb, JsonNode reply) {
        assertValid(forAdminReply(verb, reply), reply);
        if (!reply.path("janus").asText().equals("error")) {
            assertValid("admin-reply", reply);
        }
    }

    /** Checks an event against event.schema.json (any event) and tells which schema it is. */
    public static void assertValidEvent(JsonNode event) {
        assertValid("event", event);
    }
}
