package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal JSON-over-HTTP client for the Janus API on Netty: one connection per request
 * ({@code Connection: close}), on the caller's event loop, so the future completes on that loop.
 */
final class HttpJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String host;
    private final int port;
    private final Class<? extends SocketChannel> channelClass;

    HttpJson(URI base, Class<? extends SocketChannel> channelClass) {
        if (!"http".equals(base.getScheme())) {
            throw new IllegalArgumentException("only http:// Janus API URLs are supported: " + base);
        }
        this.base = base;
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
        this.channelClass = channelClass;
    }

    /** POST a JSON body to base + suffix (e.g. "/123/456"). */
    CompletableFuture<JsonNode> post(EventLoop loop, String suffix, JsonNode body, int timeoutSeconds) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return request(loop, HttpMethod.POST, suffix, Unpooled.wrappedBuffer(bytes), timeoutSeconds);
    }

    CompletableFuture<JsonNode> get(EventLoop loop, String suffix, int timeoutSeconds) {
        return request(loop, HttpMethod.GET, suffix, Unpooled.EMPTY_BUFFER, timeoutSeconds);
    }

    private CompletableFuture<JsonNode> request(EventLoop loop, HttpMethod method, String suffix, ByteBuf body,
                                                int timeoutSeconds) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        String path = base.getRawPath() + suffix;
        Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(timeoutSeconds, TimeUnit.SECONDS),
                                new HttpClientCodec(), new HttpObjectAggregator(16 << 20),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        try {
                                            String text = r.content().toString(StandardCharsets.UTF_8);
                                            if (r.status().code() != 200) {
                                                result.completeExceptionally(new IllegalStateException(
                                                        "HTTP " + r.status().code() + " " + method + " " + path + ": " + text));
                                            } else {
                                                result.complete(JSON.readTree(text));
                                            }
                                        } catch (Exception e) {
                                            result.completeExceptionally(e);
                                        }
                                        ctx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        result.completeExceptionally(cause);
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        result.completeExceptionally(new IllegalStateException(
                                                "connection closed before a reply to " + method + " " + path));
                                    }
                                });
                    }
                });
        b.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                body.release();
                result.completeExceptionally(f.cause());
                return;
            }
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, body);
            req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (method == HttpMethod.POST) {
                req.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            f.channel().writeAndFlush(req);
        });
        return result;
    }
}
