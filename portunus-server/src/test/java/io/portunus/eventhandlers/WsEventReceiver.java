package io.portunus.eventhandlers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portunus.core.Json;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket backend for wsevh on 127.0.0.1, speaking only the {@code janus-event-handlers}
 * subprotocol (a client that does not offer it cannot connect): records every event,
 * unwrapping arrays, and every raw message.
 */
public final class WsEventReceiver implements AutoCloseable {
    public final Received events = new Received();
    public final List<String> messages = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    /** The accepted connections: closed one by one on {@link #close}, as a backend that exits would. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    public WsEventReceiver() throws InterruptedException {
        this(0);
    }

    /** On a given port, for a backend that comes up after the server started. */
    public WsEventReceiver(int port) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/", "janus-event-handlers", true, 16 << 20),
                                new WebSocketFrameAggregator(16 << 20),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) throws Exception {
                                        String text = f.text();
                                        messages.add(text);
                                        var json = Json.MAPPER.readTree(text);
                                        if (json.isArray()) {
                                            json.forEach(events::add);
                                        } else {
                                            events.add(json);
                                        }
                                    }
                                });
                    }
                }).bind("127.0.0.1", port).sync().channel();
    }

    public String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort() + "/";
    }

    @Override
    public void close() {
        // Not left to the event loop's shutdown: closing only the listening socket and not waiting
        // for the loop to end could leave a connection open that nobody reads (writes to it then
        // succeed into its socket buffer), which is not what a stopped backend looks like.
        channel.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
