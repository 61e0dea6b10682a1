package io.portunus.transports.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Netty's server protocol handler, except that a frame that breaks the protocol does not
 * close the connection at once: {@link WsClient} sends the close frame with the RFC 6455 code
 * and closes once the client has had time to read it. (The decoder is told not to close on a
 * protocol violation; it then discards whatever the client still sends.)
 */
final class ProtocolHandler extends WebSocketServerProtocolHandler {
    ProtocolHandler(WebSocketServerProtocolConfig config) {
        super(config);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (cause instanceof CorruptedWebSocketFrameException) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        super.exceptionCaught(ctx, cause);
    }
}
