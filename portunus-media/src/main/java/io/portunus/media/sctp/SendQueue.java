package io.portunus.media.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.portunus.media.sctp.SctpPacket.unwrap;

/**
 * The sending half of an association: messages cut into DATA chunks, TSNs given as chunks first
 * go out, SACKs processed (cumulative and gap acks, RTT samples), fast retransmit after three
 * miss reports and T3 retransmission (RFC 4960 §6.3, §7.2.4), the congestion window (slow start,
 * congestion avoidance, fast recovery; §7.2) and the peer's receiver window, and partial
 * reliability (RFC 3758): messages given up after their retransmissions or lifetime, and the
 * FORWARD-TSN that tells the peer.
 */
final class SendQueue {

    static final class Message {
        final int stream;
        final boolean unordered;
        final int maxRetransmits;
        final long expiresAt;
        final List<Chunk> chunks = new ArrayList<>();
        int ssn = -1;
        boolean abandoned;

        Message(int stream, boolean unordered, int maxRetransmits, long expiresAt) {
            this.stream = stream;
            this.unordered = unordered;
            this.maxRetransmits = maxRetransmits;
            this.expiresAt = expiresAt;
        }
    }

    static final class Chunk {
        final Message message;
        final int ppid;
        final boolean begin;
        final boolean end;
        final byte[] data;
        long tsn = -1;
        long sentAt;
        int transmissions;
        int missReports;
        boolean acked;
        boolean inFlight;
        boolean retransmit;
        boolean fastRetransmitted;
        boolean abandoned;

        Chunk(Message message, int ppid, boolean begin, boolean end, byte[] data) {
            this.message = message;
            this.ppid = ppid;
            this.begin = begin;
            this.end = end;
            this.data = data;
        }

        int flags() {
            return (message.unordered ? 4 : 0) | (begin ? 2 : 0) | (end ? 1 : 0);
        }
    }

    static final int RTO_INITIAL = 1000;
    /** Above the peer's delayed-ack time (200 ms in browsers), else a lone packet's SACK comes after a T3. */
    static final int RTO_MIN = 400;
    static final int RTO_MAX = 10_000;
    /**
     * What each DATA chunk counts against the congestion window on top of its data: its
     * 16-byte header and about what a packet of its own costs below SCTP (DTLS record, UDP,
     * IP). RFC 4960 counts data bytes only, so a window of 4,380 bytes let 200 short messages
     * (an echo of a browser's burst) go as 200 packets at once, more than a browser's socket
     * buffer takes; every packet it dropped was a message given up on a maxRetransmits-0
     * channel. Counted like this, short messages beyond the window wait and go bundled.
     */
    static final int CHUNK_CHARGE = 100;

    private final int mtu;
    private final boolean peerSupportsForwardTsn;
    private final ArrayDeque<Chunk> unsent = new ArrayDeque<>();
    private final TreeMap<Long, Chunk> outstanding = new TreeMap<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private long nextTsn;
    private long cumulativeAcked;
    private long advancedPeerAckPoint;
    private long flight;
    /** What the chunks in flight count against cwnd: their data and {@link #CHUNK_CHARGE} each. */
    private long flightCharge;
    private long unsentBytes;
    long cwnd;
    long ssthresh;
    private long partialBytesAcked;
    long peerWindow;
    private boolean fastRecovery;
    private long fastRecoveryExit;
    private double srtt = -1;
    private double rttvar;
    long rto = RTO_INITIAL;
    private boolean forwardTsnDue;

    long retransmissions;
    long fastRetransmits;
    long t3Expiries;
    long abandonedMessages;
    long sentChunks;
    long reneged;
    /** Outstanding chunks a gap block acked (not yet cumulatively). */
    private int gapAcked;
    /** False once a walk found no chunk marked for retransmission; true again when one is marked. */
    private boolean retransmissionsMarked;

    SendQueue(long initialTsn, long peerWindow, int mtu, boolean peerSupportsForwardTsn) {
        this.nextTsn = initialTsn;
        this.cumulativeAcked = initialTsn - 1;
        this.advancedPeerAckPoint = cumulativeAcked;
        this.peerWindow = peerWindow;
        this.mtu = mtu;
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380));
        this.ssthresh = peerWindow;
        this.peerSupportsForwardTsn = peerSupportsForwardTsn;
    }

    /** Cuts a message into chunks of at most {@code fragment} bytes and queues them. */
    void add(int stream, int ppid, byte[] data, boolean unordered, int maxRetransmits, long expiresAt, int fragment) {
        boolean reliable = !peerSupportsForwardTsn || (maxRetransmits < 0 && expiresAt == Long.MAX_VALUE);
        Message m = new Message(stream, unordered, reliable ? -1 : maxRetransmits, reliable ? Long.MAX_VALUE : expiresAt);
        int off = 0;
        do {
            int n = Math.min(fragment, data.length - off);
            byte[] part = off == 0 && n == data.length ? data : Arrays.copyOfRange(data, off, off + n);
            Chunk c = new Chunk(m, ppid, off == 0, off + n == data.length, part);
            m.chunks.add(c);
            unsent.add(c);
            unsentBytes += n;
            off += n;
        } while (off < data.length);
    }

    long bufferedAmount() {
        return unsentBytes + flight;
    }

    boolean idle() {
        return unsent.isEmpty() && outstanding.isEmpty();
    }

    boolean hasUnsentOn(int stream) {
        for (Chunk c : unsent) {
            if (c.message.stream == stream) {
                return true;
            }
        }
        return false;
    }

    /** The last TSN given out (for a stream reset request). */
    long lastAssignedTsn() {
        return (nextTsn - 1) & 0xFFFFFFFFL;
    }

    /** After a performed outgoing reset: the streams' SSNs start at 0 again. */
    void resetSsn(int[] streams) {
        for (int s : streams) {
            nextSsn.remove(s);
        }
    }

    boolean hasOutstanding() {
        return flight > 0 || outstanding.values().stream().anyMatch(c -> !c.acked && !c.abandoned);
    }

    // ---- choosing what goes out -------------------------------------------------------------

    /** The next chunk to retransmit (T3 or fast retransmit), or null. */
    Chunk nextRetransmission(long now) {
        if (!retransmissionsMarked) {
            return null;   // the usual case: no walk over every chunk in flight (it was the top of a profile)
        }
        for (Chunk c : outstanding.values()) {
            if (c.retransmit && !c.acked && !c.abandoned) {
                if (expired(c, now)) {
                    abandon(c.message);
                    continue;
                }
                return c;
            }
        }
        retransmissionsMarked = false;
        return null;
    }

    /** The next new chunk, if the windows allow it (one chunk may always go when nothing is in flight). */
    Chunk nextNew(long now) {
        while (!unsent.isEmpty()) {
            Chunk c = unsent.peek();
            if (c.begin && c.message.expiresAt <= now) {
                dropUnsent(c.message); // its lifetime passed before it was ever sent
                abandonedMessages++;
                continue;
            }
            boolean windows = flightCharge < cwnd && c.data.length <= peerWindow;
            if (!windows && flight > 0) {
                return null;
            }
            unsent.poll();
            unsentBytes -= c.data.length;
            c.tsn = nextTsn++;
            if (c.begin && !c.message.unordered) {
                int ssn = nextSsn.getOrDefault(c.message.stream, 0);
                c.message.ssn = ssn;
                nextSsn.put(c.message.stream, (ssn + 1) & 0xFFFF);
            }
            outstanding.put(c.tsn, c);
            return c;
        }
        return null;
    }

    /** A chunk is going on the wire now (first time or again). */
    void sent(Chunk c, long now) {
        if (c.transmissions > 0) {
            retransmissions++;
        }
        c.transmissions++;
        c.sentAt = now;
        c.retransmit = false;
        sentChunks++;
        if (!c.inFlight) {
            c.inFlight = true;
            flight += c.data.length;
            flightCharge += charge(c);
            peerWindow = Math.max(0, peerWindow - c.data.length);
        }
    }

    /** Whether a retransmission may go: fast retransmits once regardless, the rest within cwnd. */
    boolean mayRetransmit(Chunk c) {
        return c.fastRetransmitted && c.transmissions == 1 || flightCharge < cwnd || flight == 0;
    }

    // ---- SACK ------------------------------------------------------------------------------

    /** @return true if the cumulative ack moved (the T3 timer restarts) */
    boolean sack(long cumTsn32, long window, int[] gaps, long now) {
        long cum = unwrap(cumulativeAcked, cumTsn32);
        if (cum < cumulativeAcked || cum >= nextTsn) {
            return false; // an old SACK, or one acking what we never sent
        }
        long flightBefore = flightCharge;
        long bytesAcked = 0;
        long highestNewlyAcked = -1;
        Chunk rttSample = null;
        for (Iterator<Chunk> it = outstanding.headMap(cum, true).values().iterator(); it.hasNext(); ) {
            Chunk c = it.next();
            if (c.acked) {
                gapAcked--;
            } else {
                bytesAcked += charge(c);
                highestNewlyAcked = c.tsn;
                if (c.transmissions == 1 && !c.abandoned) {
                    rttSample = c;
                }
            }
            leaveFlight(c);
            it.remove();
        }
        long highestGapAcked = -1;
        for (int i = 0; i + 1 < gaps.length; i++) {
            long from = cum + gaps[i];
            long to = cum + gaps[++i];
            if (from > to || from <= cum) {
                continue;
            }
            for (Chunk c : outstanding.subMap(from, true, to, true).values()) {
                highestGapAcked = Math.max(highestGapAcked, c.tsn);
                if (!c.acked) {
                    c.acked = true;
                    gapAcked++;
                    c.retransmit = false;
                    bytesAcked += charge(c);
                    highestNewlyAcked = Math.max(highestNewlyAcked, c.tsn);
                    if (c.transmissions == 1 && !c.abandoned) {
                        rttSample = c;
                    }
                    leaveFlight(c);
                }
            }
        }
        if (gapAcked > 0) {
            renege(cum, gaps);
        }
        if (rttSample != null) {
            measureRtt(now - rttSample.sentAt);
        }
        boolean advanced = cum > cumulativeAcked;
        cumulativeAcked = cum;
        if (advancedPeerAckPoint < cum) {
            advancedPeerAckPoint = cum;
        }
        if (fastRecovery && cum >= fastRecoveryExit) {
            fastRecovery = false;
        }
        if (advanced && !fastRecovery) {
            growWindow(bytesAcked, flightBefore);
        }
        if (highestNewlyAcked >= 0) {
            missReports(Math.min(highestNewlyAcked, Math.max(highestGapAcked, cum)));
        }
        peerWindow = Math.max(0, window - flight);
        advanceAckPoint();
        if (advancedPeerAckPoint > cumulativeAcked) {
            forwardTsnDue = true; // RFC 3758 §3.5 F2: again with each SACK that leaves it behind
        }
        return advanced;
    }

    /**
     * RFC 4960 §6.2.1 D iv: a chunk an earlier SACK reported in a gap block and this one does
     * not was reneged (or the earlier SACK was wrong): it counts as not acked again, so T3 (or
     * three miss reports) sends it again. Without this one bad gap block stalled the
     * association for good: the chunk was never sent again and the peer never got it.
     */
    private void renege(long cum, int[] gaps) {
        for (Chunk c : outstanding.values()) {
            if (!c.acked) {
                continue;
            }
            boolean covered = false;
            for (int i = 0; i + 1 < gaps.length && !covered; i += 2) {
                covered = c.tsn >= cum + gaps[i] && c.tsn <= cum + gaps[i + 1];
            }
            if (!covered) {
                c.acked = false;
                gapAcked--;
                reneged++;
            }
        }
    }

    private void growWindow(long bytesAcked, long flightBefore) {
        if (cwnd <= ssthresh) {
            if (flightBefore + mtu >= cwnd) {
                cwnd += Math.min(bytesAcked, mtu);
            }
        } else {
            partialBytesAcked += bytesAcked;
            if (partialBytesAcked >= cwnd && flightBefore + mtu >= cwnd) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
    }

    /** RFC 4960 §7.2.4: chunks below the highest newly acked one are reported missing; the third report retransmits. */
    private void missReports(long highest) {
        for (Chunk c : outstanding.headMap(highest, false).values()) {
            if (c.acked || c.abandoned || c.retransmit || c.fastRetransmitted) {
                continue;
            }
            if (++c.missReports < 3) {
                continue;
            }
            c.fastRetransmitted = true;
            fastRetransmits++;
            markForRetransmission(c);
            if (!fastRecovery) {
                fastRecovery = true;
                fastRecoveryExit = outstanding.lastKey();
                ssthresh = Math.max(cwnd / 2, 4L * mtu);
                cwnd = ssthresh;
                partialBytesAcked = 0;
            }
        }
    }

    private void markForRetransmission(Chunk c) {
        c.retransmit = true;
        retransmissionsMarked = true;
        leaveFlight(c);
        int m = c.message.maxRetransmits;
        if (m >= 0 && c.transmissions > m) {
            abandon(c.message);
        }
    }

    private void measureRtt(long r) {
        if (r < 0) {
            return;
        }
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
            srtt = 0.875 * srtt + 0.125 * r;
        }
        rto = Math.clamp((long) (srtt + Math.max(4 * rttvar, 1)), RTO_MIN, RTO_MAX);
    }

    long srttMillis() {
        return srtt < 0 ? -1 : (long) srtt;
    }

    // ---- T3 ----------------------------------------------------------------------------------

    /** The retransmission timer expired: everything unacked goes again, from one MTU of window. */
    void t3Expired(long now) {
        t3Expiries++;
        rto = Math.min(rto * 2, RTO_MAX);
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        for (Chunk c : List.copyOf(outstanding.values())) {
            if (!c.acked && !c.abandoned) {
                markForRetransmission(c);
                if (!c.abandoned && expired(c, now)) {
                    abandon(c.message);
                }
            }
        }
        advanceAckPoint();
        if (advancedPeerAckPoint > cumulativeAcked) {
            forwardTsnDue = true;
        }
    }

    // ---- partial reliability -----------------------------------------------------------------

    private static boolean expired(Chunk c, long now) {
        return c.message.expiresAt <= now;
    }

    private void abandon(Message m) {
        if (m.abandoned) {
            return;
        }
        m.abandoned = true;
        abandonedMessages++;
        for (Chunk c : m.chunks) {
            c.abandoned = true;
            c.retransmit = false;
            leaveFlight(c);
        }
        dropUnsent(m);
        advanceAckPoint();
    }

    /**
     * Takes an abandoned message's unsent chunks out of the queue. If part of it already went
     * out, the rest still gets TSNs (marked abandoned, never sent) so the FORWARD-TSN covers the
     * whole message and the peer drops its fragments and skips its SSN.
     */
    private void dropUnsent(Message m) {
        boolean started = m.chunks.get(0).tsn >= 0;
        for (Iterator<Chunk> it = unsent.iterator(); it.hasNext(); ) {
            Chunk c = it.next();
            if (c.message == m) {
                unsentBytes -= c.data.length;
                it.remove();
                if (started) {
                    c.tsn = nextTsn++;
                    c.abandoned = true;
                    outstanding.put(c.tsn, c);
                }
            }
        }
        m.abandoned = true;
    }

    /** RFC 3758 §3.5 C: move the advanced peer ack point over abandoned chunks. */
    private void advanceAckPoint() {
        if (!peerSupportsForwardTsn) {
            return;
        }
        long before = advancedPeerAckPoint;
        while (true) {
            Chunk c = outstanding.get(advancedPeerAckPoint + 1);
            if (c == null || !c.abandoned) {
                break;
            }
            advancedPeerAckPoint++;
        }
        if (advancedPeerAckPoint > before) {
            forwardTsnDue = true;
        }
    }

    /** Whether a FORWARD-TSN should go in the next packet (cleared by taking it). */
    boolean forwardTsnDue() {
        return forwardTsnDue && advancedPeerAckPoint > cumulativeAcked;
    }

    /**
     * The FORWARD-TSN: the new cumulative TSN and, per ordered stream, the highest SSN skipped.
     * Writes into {@code pairs} (stream, ssn, ...) and returns the TSN.
     */
    long takeForwardTsn(List<int[]> pairs) {
        forwardTsnDue = false;
        Map<Integer, Integer> highest = new HashMap<>();
        for (Chunk c : outstanding.headMap(advancedPeerAckPoint, true).values()) {
            if (c.abandoned && !c.message.unordered && c.message.ssn >= 0) {
                highest.merge(c.message.stream, c.message.ssn, (a, b) -> newerSsn(a, b) ? a : b);
            }
        }
        highest.forEach((s, ssn) -> pairs.add(new int[] {s, ssn}));
        return advancedPeerAckPoint & 0xFFFFFFFFL;
    }

    private static boolean newerSsn(int a, int b) {
        return (short) (a - b) > 0;
    }

    private void leaveFlight(Chunk c) {
        if (c.inFlight) {
            c.inFlight = false;
            flight -= c.data.length;
            flightCharge -= charge(c);
        }
    }

    private static long charge(Chunk c) {
        return c.data.length + CHUNK_CHARGE;
    }

    long flightSize() {
        return flight;
    }

    int outstandingChunks() {
        return outstanding.size();
    }
}
