package io.portunus.transports.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/** Janus's CORS headers, on every response (transports.md §1.2). */
final class Cors {
    private static final AsciiString ANY_ORIGIN = AsciiString.cached("*");
    private static final AsciiString ONE_DAY = AsciiString.cached("86400");
    private Cors() {
    }

    /**
     * The two request headers a response echoes, kept instead of a copy of all the request's
     * headers for a reply that comes later (a copy per request showed in the Admin API profile).
     */
    record Preflight(String method, String headers) {
        static final Preflight NONE = new Preflight(null, null);

        static Preflight of(HttpHeaders request) {
            String method = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
            String headers = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            return method == null && headers == null ? NONE : new Preflight(method, headers);
        }
    }

    static void apply(HttpHeaders response, HttpHeaders request, HttpOptions options) {
        apply(response, Preflight.of(request), options);
    }

    static void apply(HttpHeaders response, Preflight request, HttpOptions options) {
        if (options.allowOrigin() == null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
        } else {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, options.allowOrigin());
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.set(HttpHeaderNames.VARY, "Origin");
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, ONE_DAY);
        if (request.method() != null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, request.method());
        }
        if (request.headers() != null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, request.headers());
        }
    }

    /** With {@code enforce_cors}, a request whose Origin (or Referer) does not start with allow_origin is refused. */
    static boolean allowed(HttpHeaders request, HttpOptions options) {
        if (options.allowOrigin() == null || !options.enforceCors()) {
            return true;
        }
        String origin = request.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            origin = request.get(HttpHeaderNames.REFERER);
        }
        return origin != null && origin.startsWith(options.allowOrigin());
    }
}
