package io.portunus.transports.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.portunus.transports.HttpLimits;
import io.portunus.transports.ServerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Lets through only WebSocket upgrades that ask for this server's subprotocol, as Janus does:
 * plain HTTP requests and handshakes without (or with another) subprotocol get 403. Also
 * applies the server's ACL.
 */
final class HandshakeGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);
    private final ServerEndpoint endpoint;
    private final HttpLimits limits;

    HandshakeGuard(ServerEndpoint endpoint, HttpLimits limits) {
        this.endpoint = endpoint;
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
        if (!endpoint.acl().allows(ip)) {
            LOG.warn("{}: refusing connection from {} (acl)", endpoint.label(), ip);
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            if (HttpLimits.rejectIfMalformed(ctx, req.decoderResult(), limits)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
            String protocols = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
            boolean isUpgrade = upgrade != null && upgrade.equalsIgnoreCase("websocket");
            boolean offersOurs = protocols != null && Arrays.stream(protocols.split(","))
                    .map(String::trim).anyMatch(endpoint.basePath()::equals);
            if (!isUpgrade || !offersOurs) {
                ReferenceCountUtil.release(msg);
                var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
