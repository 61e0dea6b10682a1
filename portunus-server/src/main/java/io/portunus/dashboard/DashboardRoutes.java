package io.portunus.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import io.portunus.core.TokenStore;
import io.portunus.core.spi.OperatorRoutes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code /dashboard/} on the Admin API's HTTP server (its bind address and ACL apply): the
 * static files, which hold no data, and {@code POST /dashboard/feed}, the live feed, which
 * starts only for a body carrying the right {@code admin_secret} (in the body, never in the
 * URL, so that no access log keeps it). Everything else the page shows comes from the Admin
 * API with the same secret. Other requests fall through to the routes behind (health, metrics).
 */
final class DashboardRoutes implements OperatorRoutes {
    static final String PREFIX = "/dashboard";
    static final String FEED = PREFIX + "/feed";
    static final String CAPTURE = PREFIX + "/capture";
    private static final String NDJSON = "application/x-ndjson";
    private static final String JSON = "application/json";

    private final Supplier<String> adminSecret;
    private final LiveFeed feed;
    private final CaptureDownload captures;
    private final OperatorRoutes next;

    DashboardRoutes(Supplier<String> adminSecret, LiveFeed feed, CaptureDownload captures, OperatorRoutes next) {
        this.adminSecret = adminSecret;
        this.feed = feed;
        this.captures = captures;
        this.next = next;
    }

    @Override
    public Answer answer(String method, String path, boolean admin, String authorization) {
        return answer(method, path, admin, authorization, new byte[0]);
    }

    @Override
    public Answer answer(String method, String path, boolean admin, String authorization, byte[] body) {
        if (!admin || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            return next == null ? null : next.answer(method, path, admin, authorization, body);
        }
        if (path.equals(FEED)) {
            return method.equals("POST") ? openFeed(body) : json(405, "{\"error\":\"use POST\"}");
        }
        if (path.equals(CAPTURE)) {
            return method.equals("POST") ? download(body) : json(405, "{\"error\":\"use POST\"}");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return json(405, "{\"error\":\"use GET\"}");
        }
        String name = path.equals(PREFIX) || path.equals(PREFIX + "/") ? "index.html" : path.substring(PREFIX.length() + 1);
        return StaticFiles.find(name)
                .map(f -> new Answer(200, f.contentType(), f.body()))
                .orElseGet(() -> json(404, "{\"error\":\"no such file\"}"));
    }

    /** The live feed for a browser that knows the admin secret; 403 (and no feed) for anyone else. */
    private Answer openFeed(byte[] body) {
        if (!secretMatches(body)) {
            return json(403, "{\"error\":\"wrong or missing admin_secret\"}");
        }
        FeedQueue queue = feed.subscribe();
        if (queue == null) {
            return json(503, "{\"error\":\"too many browsers on the live feed (dashboard.feed_browsers)\"}");
        }
        queue.offer("{\"feed\":{\"started\":true}}\n".getBytes(StandardCharsets.US_ASCII));
        return new Answer(200, NDJSON, new byte[0], queue);
    }

    /** A capture file for the handle page's download link: {@code {"admin_secret":..., "file":...}}. */
    private Answer download(byte[] body) {
        if (!secretMatches(body)) {
            return json(403, "{\"error\":\"wrong or missing admin_secret\"}");
        }
        JsonNode file = parse(body).get("file");
        return captures.serve(file != null && file.isTextual() ? file.asText() : null);
    }

    boolean secretMatches(byte[] body) {
        JsonNode secret = parse(body).get("admin_secret");
        return secret != null && secret.isTextual() && TokenStore.secretEquals(adminSecret.get(), secret.asText());
    }

    /** The request's JSON object, or an empty one for anything else. */
    private static JsonNode parse(byte[] body) {
        try {
            JsonNode request = body.length == 0 ? null : Json.MAPPER.readTree(body);
            return request != null && request.isObject() ? request : Json.object();
        } catch (IOException e) {
            return Json.object();
        }
    }

    private static Answer json(int status, String body) {
        return new Answer(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }
}
