package io.portunus.transports;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a last message (an HTTP error, a WebSocket close frame) so that
 * the client gets to read it. Closing at once while the client is still sending makes the
 * kernel answer its unread bytes with a reset, and a reset can discard the last message before
 * the client reads it. So the output is shut (the client sees the end of the stream), what
 * still arrives is read and thrown away by the decoder, and the connection is closed when the
 * client closes it or after {@link #LINGER_MS}.
 */
public final class GracefulClose {
    public static final long LINGER_MS = 2_000;

    private GracefulClose() {
    }

    /** Writes {@code last}, then closes as described above. */
    public static void after(ChannelHandlerContext ctx, Object last) {
        ChannelFuture written = ctx.writeAndFlush(last);
        written.addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex && ctx.pipeline().get(SslHandler.class) == null) {
                duplex.shutdownOutput();
            } else if (!f.isSuccess()) {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_MS, TimeUnit.MILLISECONDS);
    }
}
