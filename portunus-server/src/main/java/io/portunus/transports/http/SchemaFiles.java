package io.portunus.transports.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The JSON Schemas of events and Admin replies (docs/schema, copied into the jar at
 * io/portunus/schema by the build), as the admin HTTP server serves them at
 * {@code /schema/<name>.json} (or {@code /schema/<name>.schema.json}).
 */
final class SchemaFiles {
    static final String PREFIX = "/schema/";
    static final String CONTENT_TYPE = "application/schema+json";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Map<String, Optional<byte[]>> LOADED = new ConcurrentHashMap<>();

    private SchemaFiles() {
    }

    /** The schema at {@code path} (which starts with {@link #PREFIX}), or empty when there is none. */
    static Optional<byte[]> find(String path) {
        String name = path.substring(PREFIX.length());
        if (!name.endsWith(".json")) {
            return Optional.empty();
        }
        name = name.substring(0, name.length() - ".json".length());
        if (name.endsWith(".schema")) {
            name = name.substring(0, name.length() - ".schema".length());
        }
        // Only plain names reach the class path: no "..", no slashes, bounded length.
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return LOADED.computeIfAbsent(name, SchemaFiles::load);
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = SchemaFiles.class.getResourceAsStream("/io/portunus/schema/" + name + ".schema.json")) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
