package io.portunus.transports.ws;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.transports.GracefulClose;
import io.portunus.transports.ServerEndpoint;
import io.portunus.transports.TransportControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

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
    /** Set once a close frame has gone out for a protocol error. */
    private boolean closing;

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
        if (closing) {
            return; // a close is under way: nothing more is read as a request
        }
        // Binary messages are read as text, as Janus does (JSON is UTF-8 either way).
        if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
            return;
        }
        ByteBuf content = frame.content();
        byte[] payload = ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
        // A message holds one JSON value or several back to back; each is a request, in order.
        // All are read before any runs: a message with garbage after a valid request gets only
        // the error, so a request is never half-taken. (A MappingIterator would unwrap a
        // top-level array; Janus treats it as one bad request.)
        List<JsonNode> requests = new ArrayList<>(1);
        try (JsonParser parser = Json.MAPPER.createParser(payload)) {
            JsonNode request;
            while ((request = Json.MAPPER.readTree(parser)) != null) {
                requests.add(request);
            }
            if (requests.isEmpty()) {
                JsonLocation end = parser.currentLocation();
                send(Json.error(0, null, JanusError.INVALID_JSON.code(), "Invalid " + apiName() + " API request - <string>("
                        + end.getLineNr() + "," + Math.max(0, end.getColumnNr() - 1) + "): '[' or '{' expected near end of file"));
                return;
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : "<string>(" + loc.getLineNr() + "," + loc.getColumnNr() + "): ";
            send(Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + apiName() + " API request - " + where + e.getOriginalMessage()));
            return;
        } catch (IOException | RuntimeException e) {
            send(Json.error(0, null, JanusError.INVALID_JSON.code(), "Invalid " + apiName() + " API request"));
            return;
        }
        for (JsonNode request : requests) {
            context.incomingRequest(this, request, endpoint.admin(), this::send);
        }
    }

    private String apiName() {
        return endpoint.admin() ? "Admin" : "Janus";
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
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // RFC 6455 §7.4.1: 1002 protocol error, 1007 invalid UTF-8, 1009 too big.
            LOG.warn("{}: closing a connection: {}", endpoint.label(), cause.getMessage());
            closeWith(ctx, corrupted.closeStatus(), cause.getMessage());
            return;
        }
        if (cause instanceof TooLongFrameException) {
            // A message in continuation frames over the limit; the rest of it is not read.
            LOG.warn("{}: message over the size limit, closing the connection", endpoint.label());
            closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, null);
            return;
        }
        LOG.debug("{}: connection error: {}", endpoint.label(), cause.toString());
        ctx.close();
    }

    /** Sends the close frame; the connection closes once the client has had time to read it. */
    private void closeWith(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        String text = reason == null || reason.isEmpty() ? status.reasonText() : reason;
        if (text.length() > 120) {
            text = text.substring(0, 120); // a close frame's payload is at most 125 bytes
        }
        GracefulClose.after(ctx, new CloseWebSocketFrame(status.code(), text));
    }
}
