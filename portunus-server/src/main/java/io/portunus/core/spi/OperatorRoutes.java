package io.portunus.core.spi;

/**
 * The operators' HTTP endpoints a transport serves next to its API (Portunus's own, not in
 * Janus): {@code GET /health/live} and {@code GET /health/ready} on every HTTP server, and
 * {@code GET /metrics} (Prometheus text) on the Admin API's. The transport asks this first
 * for each request and sends what it answers; null means "not ours" and the request takes the
 * API's path.
 */
public interface OperatorRoutes {

    /** A complete answer: status code, content type and body. */
    record Answer(int status, String contentType, byte[] body) {
    }

    /**
     * @param method        the HTTP method (GET and HEAD are served; others get 405)
     * @param path          the request path without its query
     * @param admin         whether the request came to the Admin API's server
     * @param authorization the {@code Authorization} header, or null
     */
    Answer answer(String method, String path, boolean admin, String authorization);
}
