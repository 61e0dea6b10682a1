package io.portunus.transports;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.JanusError;
import io.portunus.core.Json;

import java.nio.charset.StandardCharsets;

/**
 * Limits of every HTTP listener (the Janus and Admin API servers, and the WebSocket servers
 * before the upgrade), from the {@code general} group of the transport's configuration. Janus
 * has none of these options: libmicrohttpd and libwebsockets apply their own fixed limits and
 * no timeouts, so a client can hold a connection (and a file descriptor) forever.
 *
 * @param maxHeaderSize   bytes of request headers (431 beyond)
 * @param maxUrlSize      bytes of the request line (414 beyond)
 * @param headTimeoutMs   time to receive a request head, from the connection's start or from
 *                        the first byte of a request on a kept-alive connection
 * @param bodyTimeoutMs   time to receive a request body once its head is in
 * @param idleTimeoutMs   how long a kept-alive connection may wait for its next request
 * @param maxConnections  connections per listener; 0 for no cap
 */
public record HttpLimits(int maxHeaderSize, int maxUrlSize, long headTimeoutMs, long bodyTimeoutMs,
                         long idleTimeoutMs, int maxConnections) {
    public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
    public static final int DEFAULT_MAX_URL_SIZE = 8192;
    public static final double DEFAULT_HEAD_TIMEOUT_S = 10;
    public static final double DEFAULT_BODY_TIMEOUT_S = 30;
    public static final double DEFAULT_IDLE_TIMEOUT_S = 60;

    /** Reads the options; a timeout of 0 turns that timeout off. */
    public static HttpLimits from(ConfigGroup general) {
        return new HttpLimits(
                (int) positive(general, "max_header_size", DEFAULT_MAX_HEADER_SIZE),
                (int) positive(general, "max_url_size", DEFAULT_MAX_URL_SIZE),
                millis(general, "request_head_timeout", DEFAULT_HEAD_TIMEOUT_S),
                millis(general, "request_body_timeout", DEFAULT_BODY_TIMEOUT_S),
                millis(general, "keepalive_timeout", DEFAULT_IDLE_TIMEOUT_S),
                (int) Math.max(0, general.integer("max_connections", 0)));
    }

    private static long positive(ConfigGroup group, String name, long def) {
        long v = group.integer(name, def);
        if (v < 1) {
            throw new IllegalArgumentException(group.path() + "." + name + " must be at least 1 (is " + v + ")");
        }
        return v;
    }

    /** Seconds, fractions allowed (tests use a fraction of a second). */
    private static long millis(ConfigGroup group, String name, double defSeconds) {
        String text = group.string(name, null);
        double seconds;
        try {
            seconds = text == null ? defSeconds : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(group.path() + "." + name + ": expected a number of seconds, got '" + text + "'");
        }
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new IllegalArgumentException(group.path() + "." + name + " must not be negative");
        }
        return Math.round(seconds * 1000);
    }

    /** The HTTP codec with these size limits. */
    public HttpServerCodec codec() {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxUrlSize)
                .setMaxHeaderSize(maxHeaderSize));
    }

    /**
     * Answers a request the codec could not read (a framing error: bad or conflicting
     * Content-Length, a head over the limits, a broken chunk) and closes the connection: the
     * codec cannot tell where the next request would start, so keeping it open would swallow
     * every later request.
     *
     * @return true when the request was malformed and has been answered
     */
    public static boolean rejectIfMalformed(ChannelHandlerContext ctx, DecoderResult result, HttpLimits limits) {
        if (result.isSuccess()) {
            return false;
        }
        Throwable cause = result.cause();
        HttpResponseStatus status;
        String reason;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            reason = "Request line too long (limit " + limits.maxUrlSize() + " bytes)";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            reason = "Request header fields too large (limit " + limits.maxHeaderSize() + " bytes)";
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            reason = "Request too large";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            reason = "Malformed HTTP request" + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        byte[] body = Json.error(0, null, JanusError.TRANSPORT_SPECIFIC.code(), reason).toString()
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        GracefulClose.after(ctx, response);
        return true;
    }
}
