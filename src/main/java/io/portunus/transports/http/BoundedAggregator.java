package io.portunus.transports.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portunus.core.JanusError;
import io.portunus.core.Json;

/**
 * Aggregates a request body up to the configured limit. A larger body is refused with
 * HTTP 413 and a Janus error 450 naming the limit, instead of being read into memory; the
 * connection is then closed because the rest of the body is still on the wire.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final HttpOptions options;

    BoundedAggregator(HttpOptions options) {
        super(options.maxRequestSize());
        this.options = options;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        byte[] body = options.json().bytes(Json.error(0, null, JanusError.TRANSPORT_SPECIFIC.code(),
                "Request payload too large (limit " + options.maxRequestSize() + " bytes)"));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        Cors.apply(response.headers(), oversized.headers(), options);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
