package io.portunus.media.dtls;

import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The Bouncy Castle {@link DatagramTransport} of one {@link DtlsSession}: BC's handshake thread
 * blocks in {@link #receive(byte[], int, int, int)} on a bounded queue that the I/O thread fills
 * without blocking ({@link #offer}); what BC sends goes straight to the session's
 * {@code send} consumer (the ICE-selected pair).
 *
 * <p>It also keeps the counters Janus shows: datagrams and bytes in each direction, and
 * {@code retransmissions}. BC has no retransmission hook, but it only resends a flight after
 * a {@code receive} timed out with nothing arriving (RFC 6347 §4.2.4 timer), so a send that
 * follows such a timeout is one retransmitted flight.
 */
final class QueueDatagramTransport implements DatagramTransport {

    /**
     * Datagrams waiting for the session thread. A handshake flight is a handful, but after the
     * handshake every SCTP packet of the data channels comes through here, and a browser sends
     * a burst of one packet per message (200 {@code send()} calls: 200 datagrams within a few
     * ms). With 64 the rest of such a burst was dropped before SCTP saw it, and on a
     * {@code maxRetransmits: 0} channel each dropped packet was a message the browser gave up.
     * 1024 holds about our SCTP receiver window (1 MiB) in full-size packets.
     */
    static final int QUEUE_CAPACITY = 1024;
    /** Wakes the handshake thread on close. */
    private static final byte[] WAKE = new byte[0];

    private final BlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Consumer<byte[]> send;
    private final int sendLimit;
    private final int receiveLimit;

    private volatile boolean closed;
    private volatile long handshakeDeadline = Long.MAX_VALUE; // System.nanoTime() based
    private volatile boolean handshakeTimedOut;
    private boolean lastReceiveTimedOut;       // handshake thread only
    private volatile boolean handshaking = true;

    final AtomicLong inPackets = new AtomicLong();
    final AtomicLong inBytes = new AtomicLong();
    final AtomicLong outPackets = new AtomicLong();
    final AtomicLong outBytes = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong invalid = new AtomicLong();
    final AtomicLong retransmissions = new AtomicLong();

    QueueDatagramTransport(Consumer<byte[]> send, int mtu) {
        this.send = send;
        this.sendLimit = mtu;
        // Peers may use a larger MTU than ours (1500-byte Ethernet paths); take what they send.
        this.receiveLimit = Math.max(mtu, 2048);
    }

    /** From the I/O thread: queue a copy of an incoming datagram, never blocking. */
    void offer(byte[] datagram, int offset, int length) {
        inPackets.incrementAndGet();
        inBytes.addAndGet(length);
        if (closed) {
            return;
        }
        if (!DtlsFraming.plausible(datagram, offset, length)) {
            invalid.incrementAndGet();
            return;
        }
        byte[] copy = new byte[length];
        System.arraycopy(datagram, offset, copy, 0, length);
        if (!inbox.offer(copy)) {
            // A full queue means the handshake thread is far behind or the peer floods us;
            // dropping is what the network would do, and DTLS retransmits.
            dropped.incrementAndGet();
        }
    }

    /** Starts the handshake clock: {@link #receive} fails once {@code timeoutMillis} have passed. */
    void startHandshake(int timeoutMillis) {
        handshakeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    void handshakeDone() {
        handshaking = false;
        handshakeDeadline = Long.MAX_VALUE;
    }

    int queued() {
        return inbox.size();
    }

    boolean handshakeTimedOut() {
        return handshakeTimedOut;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        long now = System.nanoTime();
        long waitEnd = now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMillis));
        while (true) {
            if (closed) {
                throw new IOException("DTLS session closed");
            }
            now = System.nanoTime();
            if (now - handshakeDeadline >= 0) {
                handshakeTimedOut = true;
                throw new TlsTimeoutException("DTLS handshake timed out");
            }
            long wait = Math.min(waitEnd - now, handshakeDeadline - now);
            byte[] d;
            try {
                d = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS receive interrupted");
            }
            if (d == WAKE) {
                continue;
            }
            if (d == null) {
                if (System.nanoTime() - waitEnd >= 0) {
                    lastReceiveTimedOut = true;
                    return -1;
                }
                continue; // woke for the handshake deadline: the loop reports it
            }
            lastReceiveTimedOut = false;
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (handshaking && lastReceiveTimedOut) {
            // First datagram of a flight resent after a timer expiry: count the flight once.
            lastReceiveTimedOut = false;
            retransmissions.incrementAndGet();
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        outPackets.incrementAndGet();
        outBytes.addAndGet(len);
        try {
            send.accept(copy);
        } catch (RuntimeException e) {
            // A failed UDP send is packet loss to DTLS: the retransmission timer recovers.
        }
    }

    /** Called by BC when its record layer closes, and by the session: stops any blocked receive. */
    @Override
    public void close() {
        closed = true;
        inbox.clear();
        inbox.offer(WAKE);
    }
}
