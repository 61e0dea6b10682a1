package io.portunus.eventhandlers.http;

import io.portunus.config.jcfg.ConfigGroup;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The sample HTTP handler's own options (event-handlers.md §1), as one immutable value that
 * {@code tweak} replaces whole, so a delivery never sees half a change.
 *
 * @param failOnHttpError Portunus's {@code fail_on_http_error} (default true): any reply but
 *                        2xx counts as a failed delivery and is retried (the events stay queued). Janus counts any
 *                        reply as delivered; set false for that.
 * @param hmacSecret      Portunus's {@code hmac_secret}: when set, each POST carries
 *                        {@code X-Portunus-Signature: sha256=<hex HMAC-SHA256 of the body sent>}
 */
record HttpHandlerSettings(URI backend, String user, String password, int maxRetransmissions, int backoffMs,
                           boolean compress, int compression, boolean failOnHttpError, String hmacSecret) {

    static HttpHandlerSettings from(ConfigGroup general) {
        String backend = general.string("backend", null);
        if (backend == null) {
            throw new IllegalArgumentException("missing backend (the URL events are POSTed to)");
        }
        int retries = (int) general.integer("max_retransmissions", 5);
        int backoff = (int) general.integer("retransmissions_backoff", 100);
        int compression = (int) general.integer("compression", 6);
        return new HttpHandlerSettings(uri(backend), general.string("backend_user", null),
                general.string("backend_pwd", null), retries < 0 ? 5 : retries, backoff <= 0 ? 100 : backoff,
                general.bool("compress", false), compression < 0 || compression > 9 ? 6 : compression,
                general.bool("fail_on_http_error", true), general.string("hmac_secret", null));
    }

    /** Janus only asks that the URL start with "http"; Portunus also checks that it parses. */
    static URI uri(String backend) {
        if (!backend.startsWith("http")) {
            throw new IllegalArgumentException("invalid backend '" + backend + "': must be an http:// or https:// URL");
        }
        try {
            URI uri = new URI(backend);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("invalid backend '" + backend + "': must be an http:// or https:// URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid backend '" + backend + "': " + e.getMessage());
        }
    }

    boolean basicAuth() {
        return user != null && password != null;
    }

    HttpHandlerSettings withBackend(URI b) {
        return new HttpHandlerSettings(b, user, password, maxRetransmissions, backoffMs, compress, compression,
                failOnHttpError, hmacSecret);
    }

    HttpHandlerSettings withCredentials(String u, String p) {
        return new HttpHandlerSettings(backend, u, p, maxRetransmissions, backoffMs, compress, compression,
                failOnHttpError, hmacSecret);
    }

    HttpHandlerSettings withRetries(int max, int backoff) {
        return new HttpHandlerSettings(backend, user, password, max, backoff, compress, compression,
                failOnHttpError, hmacSecret);
    }

    HttpHandlerSettings withCompression(boolean on, int level) {
        return new HttpHandlerSettings(backend, user, password, maxRetransmissions, backoffMs, on, level,
                failOnHttpError, hmacSecret);
    }
}
