package io.portunus.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's page, script, styles and the kept charting library (uPlot, with its licence),
 * from the jar at {@code io/portunus/dashboard/}: no build step, nothing fetched at run time.
 */
final class StaticFiles {
    private static final String ROOT = "/io/portunus/dashboard/";
    /** Plain file names only: no "..", no slash, so nothing outside the folder is reachable. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,80}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "svg", "image/svg+xml");
    private static final Map<String, Optional<byte[]>> LOADED = new ConcurrentHashMap<>();

    /** A file and its content type. */
    record File(String contentType, byte[] body) {
    }

    private StaticFiles() {
    }

    static Optional<File> find(String name) {
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        return LOADED.computeIfAbsent(name, StaticFiles::load).map(body -> new File(type, body));
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
