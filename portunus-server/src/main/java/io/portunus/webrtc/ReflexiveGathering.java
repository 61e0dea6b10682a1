package io.portunus.webrtc;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.ReflexiveGatherer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The I/O half of srflx gathering for one PeerConnection: drives a {@link ReflexiveGatherer}
 * on the PeerConnection's loop with its media sockets (the srflx candidate's base must be the
 * socket media will use, so the requests go out from those very sockets). The
 * {@link IceTransport} hands it STUN datagrams first while it runs.
 */
final class ReflexiveGathering {
    private final EventLoop loop;
    private final Function<InetSocketAddress, Channel> channelFor;
    private final ReflexiveGatherer gatherer;
    private final CompletableFuture<List<IceCandidate>> done = new CompletableFuture<>();
    private ScheduledFuture<?> timer;

    ReflexiveGathering(EventLoop loop, Function<InetSocketAddress, Channel> channelFor, InetSocketAddress server,
                       ReflexiveGatherer.Timing timing) {
        this.loop = loop;
        this.channelFor = channelFor;
        this.gatherer = new ReflexiveGatherer(server, timing);
    }

    /** Starts gathering from these host candidates; completes with the srflx candidates found. */
    CompletableFuture<List<IceCandidate>> start(List<IceCandidate> hosts) {
        loop.execute(() -> {
            gatherer.start(hosts, PeerConnection.nowMicros());
            pump();
        });
        return done;
    }

    /** On the loop: true if the datagram was the STUN server's answer (consumed). */
    boolean offer(byte[] data, int len, InetSocketAddress from) {
        if (done.isDone() || !gatherer.handleResponse(data, 0, len, from, PeerConnection.nowMicros())) {
            return false;
        }
        pump();
        return true;
    }

    private void pump() {
        if (done.isDone()) {
            return;
        }
        long now = PeerConnection.nowMicros();
        for (var t : gatherer.pollTransmit(now)) {
            Channel ch = channelFor.apply(t.from());
            if (ch != null) {
                ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(t.data()), t.to()));
            }
        }
        if (gatherer.isDone(now)) {
            finish();
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        long delay = Math.max(1_000, gatherer.nextDeadlineMicros() - now);
        timer = loop.schedule(this::pump, delay, TimeUnit.MICROSECONDS);
    }

    private void finish() {
        if (timer != null) {
            timer.cancel(false);
        }
        done.complete(gatherer.candidates());
    }
}
