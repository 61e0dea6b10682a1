package io.portunus.webrtc;

import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.ReflexiveGatherer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The I/O half of srflx gathering for one PeerConnection: drives a {@link ReflexiveGatherer}
 * on the PeerConnection's loop with its media sockets (the srflx candidate's base must be the
 * socket media will use, so the requests go out from those very sockets). The
 * {@link IceTransport} hands it STUN datagrams first while it runs.
 */
final class ReflexiveGathering {
    private final MediaIo io;
    private final ReflexiveGatherer gatherer;
    private final CompletableFuture<List<IceCandidate>> done = new CompletableFuture<>();
    private MediaIo.Timer timer;

    ReflexiveGathering(MediaIo io, InetSocketAddress server, ReflexiveGatherer.Timing timing) {
        this.io = io;
        this.gatherer = new ReflexiveGatherer(server, timing);
    }

    /** Starts gathering from these host candidates; completes with the srflx candidates found. */
    CompletableFuture<List<IceCandidate>> start(List<IceCandidate> hosts) {
        io.execute(() -> {
            gatherer.start(hosts, io.nowMicros());
            pump();
        });
        return done;
    }

    /** On the loop: true if the datagram was the STUN server's answer (consumed). */
    boolean offer(byte[] data, int len, InetSocketAddress from) {
        if (done.isDone() || !gatherer.handleResponse(data, 0, len, from, io.nowMicros())) {
            return false;
        }
        pump();
        return true;
    }

    private void pump() {
        if (done.isDone()) {
            return;
        }
        long now = io.nowMicros();
        for (var t : gatherer.pollTransmit(now)) {
            io.send(t.from(), t.to(), t.data());
        }
        if (gatherer.isDone(now)) {
            finish();
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        long delay = Math.max(1_000, gatherer.nextDeadlineMicros() - now);
        timer = io.schedule(this::pump, delay);
    }

    private void finish() {
        if (timer != null) {
            timer.cancel();
        }
        done.complete(gatherer.candidates());
    }
}
