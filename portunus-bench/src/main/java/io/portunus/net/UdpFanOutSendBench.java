package io.portunus.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one socket per leg costs a fan-out against one socket shared by the legs of an I/O
 * thread, on this machine's kernel: {@code legs} datagrams of 1,200 bytes written on Netty's
 * epoll transport as the media path writes them (a pooled direct buffer each, flushed at the end
 * of the loop's task), either one per socket (one {@code sendto} each, what Portunus does today)
 * or all on one socket (Netty's {@code sendmmsg}: one system call for the batch). A reader on a
 * second loop receives them, as the load tool does. The score is one fan-out, including its
 * hand-off to the sending loop and the wait for it (the same for both layouts); the difference
 * between two {@code legs} values, divided by theirs, is the time per forwarded datagram.
 * <p>
 * {@code bench/jmh/run.sh UdpFanOutSendBench}: the estimate of what a shared media port would
 * save (docs/benchmarks.md, issue #19 and #22), before anyone builds one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpFanOutSendBench {
    private static final int DATAGRAM = 1200;

    @Param({"1", "10", "50"})
    public int legs;

    @Param({"socketPerLeg", "sharedSocket"})
    public String layout;

    private EventLoopGroup senderLoop;
    private EventLoopGroup readerLoop;
    private EventLoop loop;
    private final List<Channel> senders = new ArrayList<>();
    private Channel reader;
    private InetSocketAddress target;
    private final byte[] payload = new byte[DATAGRAM];
    private final AtomicLong received = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        senderLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        readerLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = senderLoop.next();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        reader = new Bootstrap().group(readerLoop).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        received.incrementAndGet();
                    }
                }).bind(new InetSocketAddress(loopback, 0)).sync().channel();
        target = (InetSocketAddress) reader.localAddress();
        int sockets = layout.equals("sharedSocket") ? 1 : legs;
        for (int i = 0; i < sockets; i++) {
            // The senders receive nothing: they need a handler, not one that does anything.
            senders.add(new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress(loopback, 0)).sync().channel());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        senders.forEach(Channel::close);
        reader.close();
        senderLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        readerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        // A fan-out whose datagrams go nowhere (a wrong target, a closed reader) would measure
        // only Netty's bookkeeping: the run fails instead of printing a score.
        if (received.get() == 0) {
            throw new IllegalStateException("the reader received none of the datagrams sent");
        }
    }

    /** One publisher packet sent on to every leg, on the sending loop, as the media path does. */
    @Benchmark
    public void fanOut() {
        loop.submit(this::sendToEveryLeg).syncUninterruptibly();
    }

    private void sendToEveryLeg() {
        int sockets = senders.size();
        for (int i = 0; i < legs; i++) {
            Channel ch = senders.get(sockets == 1 ? 0 : i);
            ByteBuf copy = ch.alloc().directBuffer(DATAGRAM, DATAGRAM).writeBytes(payload);
            ch.write(new DatagramPacket(copy, target), ch.voidPromise());
        }
        for (int i = 0; i < sockets; i++) {
            senders.get(i).flush();
        }
    }
}
