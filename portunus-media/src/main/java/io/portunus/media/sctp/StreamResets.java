package io.portunus.media.sctp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import static io.portunus.media.sctp.SctpPacket.u16;
import static io.portunus.media.sctp.SctpPacket.u32;

/**
 * Stream resets (RFC 6525), how a data channel closes, for one {@link SctpAssociation}: our
 * outgoing reset requests (one in flight at a time, sent once the streams' queued data is out,
 * sent again when the peer's answer does not come) and the peer's requests (performed once every
 * TSN it sent before them arrived, answered "in progress" until then). Made when the association
 * knows its peer; what happens goes into the association's event queue.
 */
final class StreamResets {
    private static final long NEVER = Long.MAX_VALUE;
    private static final int PARAM_OUTGOING_RESET = 13;
    private static final int PARAM_RECONFIG_RESPONSE = 16;
    private static final int RESULT_PERFORMED = 1;
    private static final int RESULT_IN_PROGRESS = 6;
    private static final int RESULT_NOTHING_TO_DO = 0;

    private final SendQueue send;
    private final ReceiveQueue recv;
    private final Queue<SctpEvent> events;

    // our requests
    private final Set<Integer> wanted = new LinkedHashSet<>();
    private int[] inFlight;
    private long requestSeq;
    private long nextRequestSeq;
    private boolean requestDue;
    private long deadline = NEVER;

    // the peer's requests
    private long peerSeq;
    private int peerResult = -1;
    private int[] peerDeferred;
    private long peerDeferredTsn;
    private final List<long[]> responsesToSend = new ArrayList<>();

    /** Request sequence numbers start at the initial TSN of their sender (RFC 6525 §4.1). */
    StreamResets(long localInitialTsn, long peerInitialTsn, SendQueue send, ReceiveQueue recv,
                 Queue<SctpEvent> events) {
        this.send = send;
        this.recv = recv;
        this.events = events;
        this.nextRequestSeq = localInitialTsn;
        this.peerSeq = (peerInitialTsn - 1) & 0xFFFFFFFFL;
    }

    /** Resets these outgoing streams once their queued data is out. */
    void request(int[] streams) {
        for (int s : streams) {
            wanted.add(s);
        }
        startRequest();
    }

    /** Puts the wanted streams in a request unless one is in flight or their data is still queued. */
    void startRequest() {
        if (inFlight != null || wanted.isEmpty()) {
            return;
        }
        for (int s : wanted) {
            if (send.hasUnsentOn(s)) {
                return; // RFC 6525 §5.1.2: the stream's queued data goes first
            }
        }
        inFlight = wanted.stream().mapToInt(Integer::intValue).toArray();
        wanted.clear();
        requestSeq = nextRequestSeq;
        nextRequestSeq = (nextRequestSeq + 1) & 0xFFFFFFFFL;
        requestDue = true;
    }

    /** The earliest time {@link #onTimeout} has work, or {@link Long#MAX_VALUE}. */
    long deadline() {
        return deadline;
    }

    /** Our request got no final answer in time: send it again. */
    void onTimeout(long now) {
        if (deadline <= now) {
            deadline = NEVER;
            requestDue = inFlight != null;
        }
    }

    /** The association ended: no more retransmissions. */
    void stop() {
        deadline = NEVER;
    }

    /** A RE-CONFIG chunk's value; false when a parameter is malformed (the rest is skipped). */
    boolean onReconfig(byte[] b, int v, int vlen, long now) {
        int p = v;
        int end = v + vlen;
        while (p + 4 <= end) {
            int type = u16(b, p);
            int plen = u16(b, p + 2);
            if (plen < 4 || p + plen > end) {
                return false;
            }
            if (type == PARAM_OUTGOING_RESET && plen >= 16) {
                int[] streams = new int[(plen - 16) / 2];
                for (int i = 0; i < streams.length; i++) {
                    streams[i] = u16(b, p + 16 + 2 * i);
                }
                onPeerRequest(u32(b, p + 4), u32(b, p + 12), streams);
            } else if (type == PARAM_RECONFIG_RESPONSE && plen >= 12) {
                onResponse(u32(b, p + 4), (int) u32(b, p + 8), now);
            }
            p += SctpPacket.padded(plen);
        }
        return true;
    }

    /** The peer resets its outgoing streams: done once every TSN it sent before arrived. */
    private void onPeerRequest(long seq, long lastTsn, int[] streams) {
        if (seq == peerSeq && peerResult >= 0) {
            if (peerResult == RESULT_IN_PROGRESS) {
                performDeferred();
            }
            responsesToSend.add(new long[] {seq, peerResult});
            return;
        }
        peerSeq = seq;
        if (recv.receivedThrough(lastTsn)) {
            perform(streams);
            peerResult = RESULT_PERFORMED;
        } else {
            peerDeferred = streams;
            peerDeferredTsn = lastTsn;
            peerResult = RESULT_IN_PROGRESS;
        }
        responsesToSend.add(new long[] {seq, peerResult});
    }

    /** After new DATA or a FORWARD-TSN: performs the peer's request that waited for it. */
    void performDeferred() {
        if (peerDeferred != null && recv.receivedThrough(peerDeferredTsn)) {
            perform(peerDeferred);
            peerDeferred = null;
            peerResult = RESULT_PERFORMED;
            responsesToSend.add(new long[] {peerSeq, RESULT_PERFORMED});
        }
    }

    private void perform(int[] streams) {
        recv.resetStreams(streams);
        events.add(new SctpEvent.StreamsReset(streams.clone()));
    }

    private void onResponse(long seq, int result, long now) {
        if (inFlight == null || seq != requestSeq) {
            return;
        }
        if (result == RESULT_IN_PROGRESS) {
            deadline = now + send.rto;
            return;
        }
        int[] streams = inFlight;
        inFlight = null;
        deadline = NEVER;
        if (result == RESULT_PERFORMED || result == RESULT_NOTHING_TO_DO) {
            send.resetSsn(streams);
            events.add(new SctpEvent.OutgoingReset(streams));
        }
        startRequest();
    }

    /** Adds a RE-CONFIG chunk when a request or a response is due. */
    void write(PacketWriter w, long now) {
        boolean request = requestDue && inFlight != null;
        if (!request && responsesToSend.isEmpty()) {
            return;
        }
        w.begin(SctpPacket.RE_CONFIG, 0);
        if (request) {
            requestDue = false;
            deadline = now + send.rto;
            int n = Math.min(inFlight.length, (w.remaining() - 40) / 2);
            w.u16(PARAM_OUTGOING_RESET).u16(16 + 2 * n).u32(requestSeq).u32(peerSeq).u32(send.lastAssignedTsn());
            for (int i = 0; i < n; i++) {
                w.u16(inFlight[i]);
            }
            if ((n & 1) == 1) {
                w.u16(0);
            }
        }
        // RFC 6525 §3.1: at most two parameters in one RE-CONFIG; one response at a time is enough.
        if (!responsesToSend.isEmpty()) {
            long[] r = responsesToSend.remove(0);
            w.u16(PARAM_RECONFIG_RESPONSE).u16(12).u32(r[0]).u32(r[1]);
        }
        w.end();
    }
}
