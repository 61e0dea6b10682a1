package io.portunus.transports.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** Janus's CORS headers, on every response (transports.md §1.2). */
final class Cors {
    private Cors() {
    }

    static void apply(HttpHeaders response, HttpHeaders request, HttpOptions options) {
        if (options.allowOrigin() == null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, options.allowOrigin());
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.set(HttpHeaderNames.VARY, "Origin");
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        String method = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (method != null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method);
        }
        String headers = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (headers != null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headers);
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
