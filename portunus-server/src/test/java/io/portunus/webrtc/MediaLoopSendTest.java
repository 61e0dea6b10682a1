package io.portunus.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.portunus.net.EventLoops;
import io.portunus.net.UdpSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media sockets' send path on real UDP sockets: a socket's only datagram of a loop iteration
 * goes out at once past Netty's pipeline ({@link UdpSockets#sendNow}), several go out together
 * through the channel; either way every datagram arrives, whole and in order, and a failed or
 * impossible send loses nothing it could have kept and leaks no buffer.
 */
class MediaLoopSendTest {
    private EventLoops loops;
    private EventLoop loop;
    private MediaLoop media;
    private Channel channel;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private DatagramChannel reader;
    private Selector readable;
    private InetSocketAddress readerAddress;

    @BeforeEach
    void bind() throws Exception {
        loops = new EventLoops(1);
        loop = loops.workers().next();
        media = new MediaLoop(loop);
        channel = UdpSockets.bind(loops, loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                }, 2048);
        assertThat(channel).isNotNull();
        reader = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader.configureBlocking(false);
        readable = Selector.open();
        reader.register(readable, SelectionKey.OP_READ);
        readerAddress = (InetSocketAddress) reader.getLocalAddress();
    }

    @AfterEach
    void close() throws Exception {
        readable.close();
        reader.close();
        channel.close().syncUninterruptibly();
        loops.close();
    }

    @Test
    void aLoneDatagramAndABurstArriveWholeAndInOrder() throws Exception {
        MediaLoop.Outgoing socket = new MediaLoop.Outgoing(channel);
        inOneIteration(() -> media.write(socket, datagram("alone"), readerAddress));
        inOneIteration(() -> {
            for (String s : List.of("one", "two", "three")) {
                media.write(socket, datagram(s), readerAddress);
            }
        });
        inOneIteration(() -> media.write(socket, datagram("alone again"), readerAddress));

        assertThat(receive(5)).containsExactly("alone", "one", "two", "three", "alone again");
        assertThat(errors).isEmpty();
    }

    @Test
    void anIdleSocketSendsAtOnce() throws Exception {
        ByteBuf now = datagram("now");
        boolean[] sentAtOnce = new boolean[1];
        loop.submit(() -> {
            sentAtOnce[0] = UdpSockets.sendNow(channel, now, readerAddress);
        }).sync();

        assertThat(sentAtOnce[0]).isTrue();
        assertThat(now.refCnt()).isZero();
        assertThat(receive(1)).containsExactly("now");
    }

    @Test
    void aDatagramSentAtOnceDoesNotOvertakeOnesAlreadyQueued() throws Exception {
        ByteBuf next = datagram("next");
        boolean[] sentAtOnce = new boolean[1];
        loop.submit(() -> {
            channel.write(new DatagramPacket(datagram("queued"), readerAddress), channel.voidPromise());
            sentAtOnce[0] = UdpSockets.sendNow(channel, next, readerAddress);
            if (!sentAtOnce[0]) {
                channel.writeAndFlush(new DatagramPacket(next, readerAddress), channel.voidPromise());
            }
        }).sync();

        assertThat(sentAtOnce[0]).isFalse();
        assertThat(receive(2)).containsExactly("queued", "next");
    }

    @Test
    void aFailedSendIsReportedReleasedAndTheSocketGoesOn() throws Exception {
        MediaLoop.Outgoing socket = new MediaLoop.Outgoing(channel);
        ByteBuf refused = datagram("to port 0");
        // Linux refuses a UDP datagram to port 0 (EINVAL).
        inOneIteration(() -> media.write(socket, refused, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        inOneIteration(() -> media.write(socket, datagram("after"), readerAddress));

        assertThat(receive(1)).containsExactly("after");
        assertThat(errors).hasSize(1);
        assertThat(refused.refCnt()).isZero();
    }

    @Test
    void aDatagramForAClosedSocketIsDroppedAndReleased() throws Exception {
        MediaLoop.Outgoing socket = new MediaLoop.Outgoing(channel);
        channel.close().sync();
        ByteBuf late = datagram("late");
        assertThat(UdpSockets.sendNow(channel, late, readerAddress)).isFalse();
        assertThat(late.refCnt()).isEqualTo(1);

        inOneIteration(() -> media.write(socket, late, readerAddress));

        assertThat(late.refCnt()).isZero();
        assertThat(receive(0)).isEmpty();
    }

    private ByteBuf datagram(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return channel.alloc().directBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Runs {@code task} on the loop and returns once that loop iteration has ended: the writes'
     * flush, armed by the task before this method's own after-iteration callback, has run.
     */
    private void inOneIteration(Runnable task) throws Exception {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        loop.execute(() -> {
            task.run();
            ((SingleThreadEventLoop) loop).executeAfterEventLoopIteration(() -> ended.complete(null));
        });
        ended.get(5, TimeUnit.SECONDS);
    }

    /** Up to {@code expected} datagrams (5 s at most), then 200 ms more to show nothing else came. */
    private List<String> receive(int expected) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < expected && readable.select(5000) > 0) {
            drainInto(got);
        }
        if (readable.select(200) > 0) {
            drainInto(got);
        }
        return got;
    }

    /** Every datagram waiting on the reader, as text. */
    private void drainInto(List<String> got) throws Exception {
        readable.selectedKeys().clear();
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (reader.receive(buf.clear()) != null) {
            got.add(StandardCharsets.UTF_8.decode(buf.flip()).toString());
        }
    }
}
