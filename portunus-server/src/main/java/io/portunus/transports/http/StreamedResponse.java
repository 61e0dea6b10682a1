package io.portunus.transports.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portunus.core.spi.OperatorRoutes;

/**
 * A chunked response whose body an {@link OperatorRoutes.Stream} keeps writing (the dashboard's
 * live feed). Lines are pulled on the connection's loop only while Netty's outbound buffer is
 * under its high-water mark: a client that reads slowly leaves its lines in the stream's own
 * bounded queue, where they are dropped and counted, and never holds up whoever produces them.
 */
final class StreamedResponse {
    private final ChannelHandlerContext ctx;
    private final OperatorRoutes.Stream stream;

    private StreamedResponse(ChannelHandlerContext ctx, OperatorRoutes.Stream stream) {
        this.ctx = ctx;
        this.stream = stream;
    }

    /** Writes the head and starts pulling; the connection closes when the response ends. */
    static StreamedResponse start(ChannelHandlerContext ctx, OperatorRoutes.Answer answer) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        StreamedResponse response = new StreamedResponse(ctx, answer.stream());
        ctx.writeAndFlush(head).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        ctx.channel().closeFuture().addListener(f -> answer.stream().closed());
        answer.stream().open(() -> ctx.executor().execute(response::drain));
        response.drain();
        return response;
    }

    /** Writes what waits while the connection takes it; runs on the connection's loop. */
    void drain() {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean wrote = false;
        while (ctx.channel().isWritable()) {
            byte[] line = stream.next();
            if (line == null) {
                break;
            }
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }
}
