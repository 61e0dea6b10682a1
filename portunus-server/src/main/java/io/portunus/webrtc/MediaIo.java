package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Everything a {@link PeerConnection} needs from outside its protocol logic: the one thread
 * its packets and timers run on, time, timers, the shared tick, and UDP sockets. The server's
 * is {@link NettyMediaIo} (a Netty event loop, its {@link MediaLoop} and real sockets); a test
 * gives a fake clock and an in-memory network instead, and the whole PeerConnection (ICE,
 * DTLS-SRTP, RTP, RTCP, NACKs) then runs without sockets and without waiting for time to pass.
 */
interface MediaIo {

    /** A scheduled task that may be called off. */
    interface Timer {
        void cancel();
    }

    /** Where a bound socket's datagrams go (on the loop). */
    interface DatagramSink {
        /**
         * A datagram, {@code data[0, len)}. The array is lent for this call only: the socket
         * reads every datagram into the same one, so what must outlive the call is copied (the
         * DTLS queue, STUN parsing, a plugin's recording, a leg's hand-over and the capture
         * tap all copy; the echo and the send path finish with it before returning).
         */
        void received(byte[] data, int len, InetSocketAddress from, InetSocketAddress local);

        /** A send or read failed on a socket (the peer may be gone; ICE consent decides). */
        void socketError(Throwable cause);
    }

    /** The work a PeerConnection hands to the shared tick, once DTLS is up. */
    interface Ticking {
        /** Every tick (20 ms). */
        void tick(long nowMicros);

        /** Once a second, spread over the ticks by registration order. */
        void secondTick(long nowMicros);

        /** False once closed: dropped from the tick. */
        boolean active();
    }

    /** Whether the caller is on the PeerConnection's thread. */
    boolean inLoop();

    /** Runs the task on the PeerConnection's thread, later. */
    void execute(Runnable task);

    /** Runs the task on the PeerConnection's thread and returns once it ran. */
    void runAndWait(Runnable task);

    /**
     * Hands a forwarded packet (owned by {@code target} from now on) to {@code target}'s thread,
     * from any thread: at once when called on it, else queued (the VideoRoom's forwarding).
     */
    void handOver(RtpSender target, MediaPacket packet);

    /** Runs the task on the PeerConnection's thread after {@code delayMicros}. */
    Timer schedule(Runnable task, long delayMicros);

    /** Monotonic µs: the time base of every packet, timer and handle_info time. */
    long nowMicros();

    /** Wall-clock µs since the epoch: the NTP time of RTCP reports and round trips. */
    long wallMicros();

    /**
     * Where the DTLS handshake runs: Bouncy Castle's handshake blocks, so it has a thread of its
     * own, which hands what it learns back through {@link #execute}.
     */
    ThreadFactory handshakeThreads();

    /** Joins the shared 20 ms tick (NACKs, transport feedback; reports once a second). */
    void tick(Ticking target);

    /** Binds a UDP socket at {@code address} whose datagrams go to {@code sink}; null when taken. */
    InetSocketAddress bind(InetSocketAddress address, DatagramSink sink) throws InterruptedException;

    /** Sends a datagram from one of our bound addresses. */
    default void send(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        send(from, to, datagram, 0, datagram.length);
    }

    /**
     * Sends {@code buf[off, off + len)} as one datagram from one of our bound addresses. The
     * bytes are copied before this returns, so the caller may reuse {@code buf} at once: the RTP
     * send path protects every packet of a PeerConnection into one scratch array instead of a
     * new one per packet (a quarter of what the server allocated at 100 echo sessions).
     */
    void send(InetSocketAddress from, InetSocketAddress to, byte[] buf, int off, int len);

    /** Closes every socket bound here. */
    void closeSockets();
}
