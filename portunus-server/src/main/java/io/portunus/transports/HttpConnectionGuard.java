package io.portunus.transports;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timeouts and the connection cap of one HTTP connection ({@link HttpLimits}). Two
 * handlers share the state: one before the codec sees bytes arrive (a request has started),
 * one after it sees request heads and ends, and responses go out. While a request is being
 * served (a long poll, a reply the core has not given yet) no timer runs: the request's own
 * timeouts apply. After a WebSocket upgrade the connection is never timed out here either.
 * Everything runs on the channel's event loop, so the state needs no locking.
 */
public final class HttpConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionGuard.class);
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private enum State { IDLE, HEAD, BODY, SERVING, UPGRADED }

    private final HttpLimits limits;
    private final String label;
    private final AtomicInteger openConnections;
    private State state = State.IDLE;
    private int unanswered;
    private boolean counted;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext bytesCtx;

    private HttpConnectionGuard(HttpLimits limits, String label, AtomicInteger openConnections) {
        this.limits = limits;
        this.label = label;
        this.openConnections = openConnections;
    }

    /**
     * Adds the guard around the codec: call before adding the codec, then add
     * {@code messages} right after it.
     *
     * @param openConnections the listener's count of open connections (for the cap)
     * @return the handler to add right after the codec
     */
    public static ChannelDuplexHandler install(ChannelPipeline pipeline, HttpLimits limits, String label,
                                               AtomicInteger openConnections) {
        HttpConnectionGuard guard = new HttpConnectionGuard(limits, label, openConnections);
        pipeline.addLast(guard.new Bytes());
        return guard.new Messages();
    }

    private void arm(long millis, Runnable onExpiry) {
        cancel();
        if (millis > 0 && bytesCtx != null) {
            timer = bytesCtx.executor().schedule(onExpiry, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void idle(long millis) {
        state = State.IDLE;
        arm(millis, () -> {
            LOG.debug("{}: closing a connection idle for {} ms", label, millis);
            bytesCtx.close();
        });
    }

    private void expireRequest(String what, long millis) {
        LOG.debug("{}: closing a connection that took over {} ms to send a request {}", label, millis, what);
        bytesCtx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Before the codec: the connection's start and end, and the first bytes of each request. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            bytesCtx = ctx;
            if (limits.maxConnections() > 0) {
                counted = true;
                if (openConnections.incrementAndGet() > limits.maxConnections()) {
                    LOG.warn("{}: {} connections open, the limit (max_connections); refusing one from {}", label,
                            limits.maxConnections(), ctx.channel().remoteAddress());
                    ctx.close();
                    return;
                }
            }
            // A new connection has the head timeout to send its first request.
            idle(limits.headTimeoutMs());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancel();
            if (counted) {
                counted = false;
                openConnections.decrementAndGet();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (state == State.IDLE && msg instanceof ByteBuf buf && buf.isReadable()) {
                state = State.HEAD;
                long millis = limits.headTimeoutMs();
                arm(millis, () -> expireRequest("head", millis));
            }
            super.channelRead(ctx, msg);
        }
    }

    /** After the codec: request heads and ends in, responses out. */
    private final class Messages extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (state != State.UPGRADED) {
                if (msg instanceof HttpRequest) {
                    unanswered++;
                    state = State.BODY;
                    long millis = limits.bodyTimeoutMs();
                    arm(millis, () -> expireRequest("body", millis));
                }
                if (msg instanceof LastHttpContent && state == State.BODY) {
                    cancel();
                    if (unanswered > 0) {
                        state = State.SERVING;
                    } else {
                        idle(limits.idleTimeoutMs()); // answered early (413) and the body has now been read
                    }
                }
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (state != State.UPGRADED && msg instanceof HttpResponse response) {
                HttpResponseStatus status = response.status();
                if (status.equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                    cancel();
                    state = State.UPGRADED;
                } else if (status.codeClass() != HttpStatusClass.INFORMATIONAL
                        && msg instanceof LastHttpContent) {
                    promise = promise.unvoid();
                    promise.addListener(f -> answered());
                }
            }
            super.write(ctx, msg, promise);
        }

        private void answered() {
            unanswered = Math.max(0, unanswered - 1);
            if (unanswered == 0 && state == State.SERVING && bytesCtx.channel().isActive()) {
                idle(limits.idleTimeoutMs());
            }
        }
    }
}
