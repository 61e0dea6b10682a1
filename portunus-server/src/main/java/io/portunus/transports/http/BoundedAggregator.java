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
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.portunus.core.JanusError;
import io.portunus.core.Json;

/**
 * Aggregates a request body up to the configured limit. A larger body is refused with
 * HTTP 413 and a Janus error 450 naming the limit, instead of being read into memory. On a
 * keep-alive connection the rest of the body is read and thrown away (the aggregator does that
 * once this returns) so the client sees the answer and can go on using the connection.
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
        Cors.apply(response.headers(), oversized.headers(), options);
        boolean keepAlive = HttpUtil.isKeepAlive(oversized);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
