package io.portunus.net.sp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.portunus.net.EventLoops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One SP socket (what {@code nn_socket} gives in nanomsg) on Netty: bound to or connected to
 * one {@link SpAddress}, with up to {@code maxPeers} peers. NN_PAIR has one peer (a second
 * connection is closed at once) and keeps what it sends while no peer is there (bounded,
 * oldest dropped); NN_PUB sends to every peer and skips peers that do not keep up, as nanomsg.
 * A peer that sends no valid header within {@link #HANDSHAKE_TIMEOUT_MS}, breaks the framing,
 * announces too large a message or stalls mid-message for {@link #STALL_TIMEOUT_MS} is dropped.
 * A connecting socket reconnects after a drop, waiting 100 ms doubling up to 5 s.
 */
public final class SpSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpSocket.class);
    static final long HANDSHAKE_TIMEOUT_MS = 5_000;
    static final long STALL_TIMEOUT_MS = 30_000;
    private static final long MIN_RECONNECT_MS = 100;
    private static final long MAX_RECONNECT_MS = 5_000;
    private static final boolean EPOLL = Epoll.isAvailable();

    /** What the socket's owner hears; called on Netty threads. */
    public interface Listener {
        void message(byte[] message);

        default void peerUp(Channel peer) {
        }

        default void peerDown(Channel peer) {
        }
    }

    private final EventLoops loops;
    private final String name;
    private final int protocol;
    private final int peerProtocol;
    private final int maxPeers;
    private final int pendingCap;
    private final long maxMessage;
    private final Listener listener;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> peers = ConcurrentHashMap.newKeySet();
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private volatile SpAddress address;
    private volatile Channel server;
    private volatile boolean connecting;
    private volatile boolean closed;
    private long reconnectMs = MIN_RECONNECT_MS;
    private long pendingDropped;

    /**
     * @param pendingCap messages kept while no peer is connected (0: dropped at once)
     */
    public SpSocket(EventLoops loops, String name, int protocol, int peerProtocol, int maxPeers, int pendingCap,
                    long maxMessage, Listener listener) {
        this.loops = loops;
        this.name = name;
        this.protocol = protocol;
        this.peerProtocol = peerProtocol;
        this.maxPeers = maxPeers;
        this.pendingCap = pendingCap;
        this.maxMessage = maxMessage;
        this.listener = listener;
    }

    public static SpSocket pair(EventLoops loops, String name, long maxMessage, Listener listener) {
        return new SpSocket(loops, name, SpCodec.PAIR, SpCodec.PAIR, 1, 1000, maxMessage, listener);
    }

    public static SpSocket pub(EventLoops loops, String name, Listener listener) {
        return new SpSocket(loops, name, SpCodec.PUB, SpCodec.SUB, 1024, 0, 64 * 1024, listener);
    }

    /** Binds and listens; throws when the address cannot be used. */
    public void bind(SpAddress where) throws Exception {
        address = where;
        SocketAddress local;
        Class<? extends ServerChannel> type;
        if (where.ipc()) {
            clearStaleIpc(where);
            local = EPOLL ? new DomainSocketAddress(where.path().toString()) : UnixDomainSocketAddress.of(where.path());
            type = EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
        } else {
            local = where.bindAddress();
            type = loops.serverChannel();
        }
        ServerBootstrap b = new ServerBootstrap().group(loops.boss(), loops.workers()).channel(type)
                .childHandler(initializer(where.ipc()));
        if (!where.ipc()) {
            b.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.SO_KEEPALIVE, true);
        }
        try {
            server = b.bind(local).sync().channel();
        } catch (Exception e) {
            throw new IOException("cannot bind " + where + ": " + e.getMessage(), e);
        }
    }

    /** Connects in the background, and again whenever the connection drops, until closed. */
    public void connect(SpAddress where) {
        address = where;
        connecting = true;
        dial();
    }

    private void dial() {
        if (closed) {
            return;
        }
        SpAddress where = address;
        Bootstrap b = new Bootstrap().group(loops.workers())
                .channel(where.ipc() ? (EPOLL ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class)
                        : (EPOLL ? EpollSocketChannel.class : NioSocketChannel.class))
                .handler(initializer(where.ipc()));
        SocketAddress remote = where.ipc()
                ? (EPOLL ? new DomainSocketAddress(where.path().toString()) : UnixDomainSocketAddress.of(where.path()))
                : where.connectAddress();
        b.connect(remote).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                LOG.debug("{}: cannot connect to {} ({}), retrying", name, where, f.cause().toString());
                redial();
            }
        });
    }

    private void redial() {
        if (closed || !connecting) {
            return;
        }
        long delay;
        synchronized (this) {
            delay = reconnectMs;
            reconnectMs = Math.min(reconnectMs * 2, MAX_RECONNECT_MS);
        }
        loops.workers().schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    private ChannelInitializer<Channel> initializer(boolean ipc) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Peer(new SpCodec(peerProtocol, ipc, maxMessage), ipc));
            }
        };
    }

    /** A stale {@code ipc://} socket file is removed; one somebody still listens on is refused. */
    private static void clearStaleIpc(SpAddress where) throws IOException {
        if (!Files.exists(where.path())) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(where.path()));
            throw new IOException("cannot bind " + where + ": another process is listening there");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot bind")) {
                throw e;
            }
            Files.deleteIfExists(where.path());
        }
    }

    /**
     * Sends one message: to the peer (NN_PAIR, kept for the next peer when there is none) or to
     * every peer that keeps up (NN_PUB). Returns the writes started, to wait on if needed.
     */
    public synchronized List<ChannelFuture> send(byte[] message) {
        List<ChannelFuture> writes = new ArrayList<>(1);
        if (peers.isEmpty()) {
            if (pendingCap > 0) {
                if (pending.size() >= pendingCap) {
                    pending.pollFirst();
                    if (pendingDropped++ % 100 == 0) {
                        LOG.warn("{}: no peer on {}, dropped the oldest kept message ({} so far)", name, address, pendingDropped);
                    }
                }
                pending.addLast(message);
            }
            return writes;
        }
        for (Channel ch : peers) {
            if (peers.size() > 1 && !ch.isWritable()) {
                continue;
            }
            writes.add(write(ch, message));
        }
        return writes;
    }

    private ChannelFuture write(Channel ch, byte[] message) {
        boolean ipc = address.ipc();
        return ch.writeAndFlush(Unpooled.wrappedBuffer(SpCodec.frameHeader(message.length, ipc), message));
    }

    private synchronized void peerReady(Channel ch) {
        peers.add(ch);
        reconnectMs = MIN_RECONNECT_MS;
        byte[] m;
        while ((m = pending.pollFirst()) != null) {
            write(ch, m);
        }
    }

    /** Peers that finished the header exchange. */
    public int peers() {
        return peers.size();
    }

    public SpAddress address() {
        return address;
    }

    @Override
    public void close() {
        closed = true;
        connecting = false;
        Channel s = server;
        if (s != null) {
            s.close().syncUninterruptibly();
        }
        for (Channel ch : connections) {
            ch.close().syncUninterruptibly();
        }
        SpAddress a = address;
        if (s != null && a != null && a.ipc()) {
            try {
                Files.deleteIfExists(a.path());
            } catch (IOException e) {
                LOG.debug("{}: cannot remove {}: {}", name, a.path(), e.toString());
            }
        }
    }

    /** One connection: header exchange, then framed messages. */
    private final class Peer extends ChannelInboundHandlerAdapter {
        private final SpCodec codec;
        private final boolean ipc;
        private long lastRead = System.nanoTime();
        private boolean admitted;

        Peer(SpCodec codec, boolean ipc) {
            this.codec = codec;
            this.ipc = ipc;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (closed || connections.size() >= maxPeers) {
                LOG.warn("{}: refusing a connection on {}: {}", name, address,
                        closed ? "closing" : "only " + maxPeers + " peer(s) allowed");
                ctx.close();
                return;
            }
            admitted = true;
            connections.add(ctx.channel());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(SpCodec.header(protocol)));
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive() && !codec.headerDone()) {
                    LOG.warn("{}: no SP header from {} within {} ms, closing the connection", name, remote(ctx), HANDSHAKE_TIMEOUT_MS);
                    ctx.close();
                }
            }, HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        private void checkStall(ChannelHandlerContext ctx) {
            if (!ctx.channel().isActive()) {
                return;
            }
            long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRead);
            if (!codec.idle() && idleMs >= STALL_TIMEOUT_MS) {
                LOG.warn("{}: {} stopped in the middle of a message, closing the connection", name, remote(ctx));
                ctx.close();
            } else if (!codec.idle()) {
                ctx.executor().schedule(() -> checkStall(ctx), STALL_TIMEOUT_MS - idleMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            boolean wasIdle = codec.idle();
            try {
                boolean before = codec.headerDone();
                for (ByteBuffer nio : buf.nioBuffers()) {
                    codec.feed(nio, m -> {
                        if (!codec.headerDone()) {
                            return;
                        }
                        listener.message(m);
                    });
                    if (!before && codec.headerDone()) {
                        before = true;
                        peerReady(ctx.channel());
                        listener.peerUp(ctx.channel());
                    }
                }
            } catch (SpException e) {
                LOG.warn("{}: {} from {}, closing the connection", name, e.getMessage(), remote(ctx));
                ctx.close();
                return;
            } finally {
                buf.release();
            }
            lastRead = System.nanoTime();
            if (wasIdle && !codec.idle()) {
                ctx.executor().schedule(() -> checkStall(ctx), STALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (admitted) {
                connections.remove(ctx.channel());
                boolean wasPeer;
                synchronized (SpSocket.this) {
                    wasPeer = peers.remove(ctx.channel());
                }
                if (wasPeer) {
                    listener.peerDown(ctx.channel());
                }
                if (connecting && !closed) {
                    redial();
                }
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: connection error from {}: {}", name, remote(ctx), cause.toString());
            ctx.close();
        }

        private String remote(ChannelHandlerContext ctx) {
            SocketAddress a = ctx.channel().remoteAddress();
            return a == null || a.toString().isEmpty() ? "a peer on " + address : a.toString();
        }
    }
}
