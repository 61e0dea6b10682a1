package io.portunus.core.spi;

/**
 * The operators' HTTP endpoints a transport serves next to its API (Portunus's own, not in
 * Janus): {@code GET /health/live} and {@code GET /health/ready} on every HTTP server,
 * {@code GET /metrics} (Prometheus text) and the dashboard ({@code /dashboard/}) on the Admin
 * API's. The transport asks this first for each request and sends what it answers; null means
 * "not ours" and the request takes the API's path.
 */
public interface OperatorRoutes {

    /**
     * A complete answer: status code, content type and body; or, with a {@link Stream}, the
     * head of a response whose body goes on for as long as the stream and the connection last.
     */
    record Answer(int status, String contentType, byte[] body, Stream stream) {
        public Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }
    }

    /**
     * The body of a long-lived response (the dashboard's live feed). The transport writes what
     * {@link #next} gives while the connection can take it, and stops when the client reads too
     * slowly: the stream then keeps (or drops) what waits, so a slow client never holds up the
     * thread that produces the lines.
     */
    interface Stream {
        /**
         * Called once before anything else; the stream runs {@code wake} (from any thread, and
         * cheaply) when lines wait after {@link #next} returned null.
         */
        void open(Runnable wake);

        /** The next chunk to write, or null when nothing waits. */
        byte[] next();

        /** The connection is gone; no more calls follow. */
        void closed();
    }

    /**
     * @param method        the HTTP method (GET and HEAD are served; others get 405)
     * @param path          the request path without its query
     * @param admin         whether the request came to the Admin API's server
     * @param authorization the {@code Authorization} header, or null
     */
    Answer answer(String method, String path, boolean admin, String authorization);

    /** As {@link #answer(String, String, boolean, String)}, for routes that read the request's body. */
    default Answer answer(String method, String path, boolean admin, String authorization, byte[] body) {
        return answer(method, path, admin, authorization);
    }
}
