package io.portunus.media.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.portunus.media.sctp.SctpPacket.unwrap;
import static io.portunus.media.sctp.SctpPacket.unwrap16;

/**
 * The receiving half of an association: which TSNs arrived (the cumulative point and the gaps a
 * SACK reports), reassembly of fragments into messages, delivery in SSN order per stream for
 * ordered messages, FORWARD-TSN (RFC 3758 §3.6) and incoming stream resets (RFC 6525 §5.2.2).
 *
 * <p>TSNs and SSNs are kept unwrapped on a 64-bit line so comparisons need no serial arithmetic.
 * Memory is bounded: a chunk too far ahead of the cumulative point, or one that would overfill
 * the buffer, is dropped unacknowledged and the peer sends it again.
 */
final class ReceiveQueue {
    /** How far ahead of the cumulative TSN a chunk may be (bounds the gap list under fuzzing). */
    static final long MAX_TSN_AHEAD = 1 << 16;

    private record Fragment(long tsn, int stream, int ssn, int ppid, boolean unordered, boolean begin, boolean end,
                            byte[] data) {
    }

    private static final class StreamIn {
        long nextSsn;
        final TreeMap<Long, SctpEvent.Message> waiting = new TreeMap<>();
    }

    private final int bufferSize;
    private final int maxMessageSize;
    private long cumulative;
    private final TreeSet<Long> above = new TreeSet<>();
    private final TreeMap<Long, Fragment> fragments = new TreeMap<>();
    private final Map<Integer, StreamIn> streams = new HashMap<>();
    private final ArrayDeque<Long> duplicates = new ArrayDeque<>();
    private long buffered;

    long receivedChunks;
    long duplicateChunks;
    long droppedChunks;
    long deliveredMessages;

    ReceiveQueue(long peerInitialTsn, int bufferSize, int maxMessageSize) {
        this.cumulative = peerInitialTsn - 1;
        this.bufferSize = bufferSize;
        this.maxMessageSize = maxMessageSize;
    }

    /** The cumulative TSN ack point as a 32-bit TSN. */
    long cumulativeTsn() {
        return cumulative & 0xFFFFFFFFL;
    }

    long cumulativeUnwrapped() {
        return cumulative;
    }

    boolean hasGaps() {
        return !above.isEmpty();
    }

    /** Our advertised receiver window: what is left of the buffer. */
    long window() {
        return Math.max(0, bufferSize - buffered);
    }

    /**
     * A DATA chunk. Whole messages it completes go to {@code out}.
     *
     * @return false for a duplicate (the SACK must say so at once)
     */
    boolean data(long tsn32, int stream, int ssn, int ppid, int flags, byte[] payload, List<SctpEvent> out) {
        long tsn = unwrap(cumulative, tsn32);
        if (tsn <= cumulative || above.contains(tsn)) {
            duplicateChunks++;
            if (duplicates.size() < 16) {
                duplicates.add(tsn);
            }
            return false;
        }
        boolean full = buffered + payload.length > bufferSize;
        if (tsn - cumulative > MAX_TSN_AHEAD || (full && tsn != cumulative + 1)
            || buffered + payload.length > 4L * bufferSize) {
            droppedChunks++;
            return true;
        }
        receivedChunks++;
        above.add(tsn);
        advance();
        boolean unordered = (flags & 4) != 0;
        Fragment f = new Fragment(tsn, stream, ssn, ppid, unordered, (flags & 2) != 0, (flags & 1) != 0, payload);
        fragments.put(tsn, f);
        buffered += payload.length;
        assemble(f, out);
        return true;
    }

    private void advance() {
        while (!above.isEmpty() && above.first() == cumulative + 1) {
            cumulative = above.pollFirst();
        }
    }

    /** Finds the message {@code f} belongs to; if all its fragments are here, takes it out. */
    private void assemble(Fragment f, List<SctpEvent> out) {
        Fragment first = f;
        while (!first.begin) {
            Fragment prev = fragments.get(first.tsn - 1);
            if (prev == null || !sameMessage(prev, first) || prev.end) {
                return;
            }
            first = prev;
        }
        Fragment last = f;
        while (!last.end) {
            Fragment next = fragments.get(last.tsn + 1);
            if (next == null || !sameMessage(next, last) || next.begin) {
                return;
            }
            last = next;
        }
        byte[] data;
        if (first == last) {
            data = f.data;
            fragments.remove(f.tsn);
        } else {
            // Counted over all the fragments: the one that completed the message may be any of them.
            int size = 0;
            for (long t = first.tsn; t <= last.tsn; t++) {
                size += fragments.get(t).data.length;
            }
            data = new byte[size];
            int pos = 0;
            for (long t = first.tsn; t <= last.tsn; t++) {
                Fragment part = fragments.remove(t);
                System.arraycopy(part.data, 0, data, pos, part.data.length);
                pos += part.data.length;
            }
        }
        buffered -= data.length;
        if (data.length > maxMessageSize) {
            droppedChunks++;
            return; // larger than we said we take (a=max-message-size)
        }
        SctpEvent.Message m = new SctpEvent.Message(first.stream, first.ppid, data, first.unordered);
        if (first.unordered) {
            deliver(m, out);
            return;
        }
        StreamIn s = streams.computeIfAbsent(first.stream, k -> new StreamIn());
        long ssn = unwrap16(s.nextSsn, first.ssn);
        if (ssn < s.nextSsn) {
            return; // already delivered or skipped by a FORWARD-TSN
        }
        s.waiting.put(ssn, m);
        buffered += data.length;
        release(s, out);
    }

    private static boolean sameMessage(Fragment a, Fragment b) {
        return a.stream == b.stream && a.unordered == b.unordered && (a.unordered || a.ssn == b.ssn);
    }

    private void release(StreamIn s, List<SctpEvent> out) {
        while (!s.waiting.isEmpty() && s.waiting.firstKey() <= s.nextSsn) {
            var e = s.waiting.pollFirstEntry();
            buffered -= e.getValue().data().length;
            if (e.getKey() == s.nextSsn) {
                s.nextSsn++;
                deliver(e.getValue(), out);
            }
        }
    }

    private void deliver(SctpEvent.Message m, List<SctpEvent> out) {
        deliveredMessages++;
        out.add(m);
    }

    /**
     * FORWARD-TSN: the peer gave up on everything up to {@code newCumulative32}; for ordered
     * streams it names the last SSN skipped, so later messages of the stream may be delivered.
     */
    void forwardTsn(long newCumulative32, int[] streamSsnPairs, List<SctpEvent> out) {
        long target = unwrap(cumulative, newCumulative32);
        if (target <= cumulative || target - cumulative > MAX_TSN_AHEAD) {
            return;
        }
        for (Iterator<Fragment> it = fragments.headMap(target, true).values().iterator(); it.hasNext(); ) {
            buffered -= it.next().data.length;
            it.remove();
        }
        above.headSet(target, true).clear();
        cumulative = target;
        advance();
        for (int i = 0; i + 1 < streamSsnPairs.length; i += 2) {
            StreamIn s = streams.computeIfAbsent(streamSsnPairs[i], k -> new StreamIn());
            long skipped = unwrap16(s.nextSsn, streamSsnPairs[i + 1]);
            if (skipped >= s.nextSsn) {
                s.nextSsn = skipped + 1;
            }
            release(s, out);
        }
        // Fragments left below the new point of an unordered message can never complete.
        dropIncompleteBelow(cumulative);
    }

    /**
     * A fragment at or below the cumulative point whose predecessor is gone (skipped) and which
     * is not a message's first can never complete: dropped, and its followers with it.
     */
    private void dropIncompleteBelow(long tsn) {
        for (Iterator<Fragment> it = fragments.headMap(tsn, true).values().iterator(); it.hasNext(); ) {
            Fragment f = it.next();
            if (f.begin || fragments.containsKey(f.tsn - 1)) {
                continue;
            }
            buffered -= f.data.length;
            it.remove();
        }
    }

    /** Whether every TSN up to {@code lastTsn32} arrived (a peer's reset waits for that). */
    boolean receivedThrough(long lastTsn32) {
        return unwrap(cumulative, lastTsn32) <= cumulative;
    }

    /** The peer reset its outgoing streams (our incoming): their SSNs start at 0 again. */
    void resetStreams(int[] ids) {
        if (ids.length == 0) {
            streams.values().forEach(s -> s.waiting.values().forEach(m -> buffered -= m.data().length));
            streams.clear();
            return;
        }
        for (int id : ids) {
            StreamIn s = streams.remove(id);
            if (s != null) {
                s.waiting.values().forEach(m -> buffered -= m.data().length);
            }
        }
    }

    /** The gap ack blocks of a SACK, as start/end offsets from the cumulative TSN (at most {@code max}). */
    List<int[]> gapBlocks(int max) {
        List<int[]> blocks = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long t : above) {
            if (start >= 0 && t == end + 1) {
                end = t;
                continue;
            }
            if (start >= 0) {
                blocks.add(new int[] {(int) (start - cumulative), (int) (end - cumulative)});
                if (blocks.size() == max) {
                    return blocks;
                }
            }
            start = t;
            end = t;
        }
        if (start >= 0) {
            blocks.add(new int[] {(int) (start - cumulative), (int) (end - cumulative)});
        }
        return blocks;
    }

    /** Duplicate TSNs seen since the last SACK (reported once). */
    long[] takeDuplicates() {
        long[] d = new long[duplicates.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = duplicates.poll() & 0xFFFFFFFFL;
        }
        return d;
    }

    long bufferedBytes() {
        return buffered;
    }
}
