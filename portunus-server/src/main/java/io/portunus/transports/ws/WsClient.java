package io.portunus.transports.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.InetSocketAddress;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.transports.TransportControl;
import io.portunus.transports.ServerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One WebSocket connection: a transport instance. Replies and the events of every session
 * bound to it are written here as text messages; when it closes the core is told so that the
 * sessions are destroyed (or left for reclaim, with a reclaim timeout).
 */
final class WsClient extends SimpleChannelInboundHandler<WebSocketFrame> implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);

    private final TransportContext context;
    private final ServerEndpoint endpoint;
    private final TransportControl control;
    private final WebSocketTransport transport;
    private volatile ChannelHandlerContext ctx;
    private volatile boolean open;

    WsClient(TransportContext context, ServerEndpoint endpoint, TransportControl control, WebSocketTransport transport) {
        this.context = context;
        this.endpoint = endpoint;
        this.control = control;
        this.transport = transport;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            this.ctx = ctx;
            open = true;
            transport.clients.add(this);
            if (control.events() && context.eventsEnabled()) {
                ObjectNode data = Json.object();
                data.put("event", "connected");
                data.put("admin_api", endpoint.admin());
                data.put("ip", ctx.channel().remoteAddress() instanceof InetSocketAddress a
                        ? a.getAddress().getHostAddress() : null);
                context.notifyEvent(this, data);
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame text)) {
            LOG.debug("{}: ignoring a non-text frame", endpoint.label());
            return;
        }
        String payload = text.text();
        // A message may hold several JSON objects back to back; each is a request, in order.
        // (A MappingIterator would unwrap a top-level array; Janus treats it as one bad request.)
        try (JsonParser parser = Json.MAPPER.createParser(payload)) {
            JsonNode request;
            while ((request = Json.MAPPER.readTree(parser)) != null) {
                context.incomingRequest(this, request, endpoint.admin(), this::send);
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : "<string>(" + loc.getLineNr() + "," + loc.getColumnNr() + "): ";
            send(Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + (endpoint.admin() ? "Admin" : "Janus") + " API request - " + where + e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            send(Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + (endpoint.admin() ? "Admin" : "Janus") + " API request"));
        }
    }

    private void send(ObjectNode message) {
        ChannelHandlerContext c = ctx;
        if (c == null || !open) {
            LOG.debug("{}: connection gone, dropping {}", endpoint.label(), message.path("janus").asText());
            return;
        }
        c.writeAndFlush(new TextWebSocketFrame(control.json().text(message)));
    }

    @Override
    public void sendEvent(ObjectNode event) {
        send(event);
    }

    @Override
    public String transportName() {
        return WebSocketTransport.PACKAGE;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (open) {
            open = false;
            transport.clients.remove(this);
            // Janus sends "disconnected" before the sessions go (transports.md §2).
            if (control.events() && context.eventsEnabled()) {
                context.notifyEvent(this, Json.object().put("event", "disconnected"));
            }
            context.transportGone(this);
        }
        super.channelInactive(ctx);
    }

    void close() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException) {
            // RFC 6455 §7.4.1: 1009 tells the client why; the rest of the message is not read.
            LOG.warn("{}: message over the size limit, closing the connection", endpoint.label());
            ctx.writeAndFlush(new CloseWebSocketFrame(
                    WebSocketCloseStatus.MESSAGE_TOO_BIG))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        LOG.debug("{}: connection error: {}", endpoint.label(), cause.toString());
        ctx.close();
    }
}
