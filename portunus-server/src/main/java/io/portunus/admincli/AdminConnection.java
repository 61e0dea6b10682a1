package io.portunus.admincli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/** One way to reach an Admin API (HTTP POST or the janus-admin-protocol WebSocket). */
interface AdminConnection extends AutoCloseable {

    /** Sends one request and returns its reply; {@link Unreachable} when none comes in time. */
    JsonNode send(ObjectNode request) throws Unreachable;

    @Override
    void close();

    /** Could not connect, the connection broke, the reply did not come in time or was not JSON. */
    final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    static AdminConnection open(URI url, Duration timeout) throws Unreachable {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> new HttpAdminConnection(url, timeout);
            case "ws", "wss" -> WsAdminConnection.connect(url, timeout);
            default -> throw new IllegalArgumentException("--url must be http(s):// or ws(s)://, not " + url);
        };
    }
}
