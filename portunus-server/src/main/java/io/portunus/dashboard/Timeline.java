package io.portunus.dashboard;

import io.portunus.core.event.Event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A handle's events, bounded: the first half of the room is kept for good (how the call began:
 * offer, ICE, DTLS, webrtcup) and the second half holds the latest events, older ones between
 * the two being counted as left out. Not thread-safe: {@link HandleRecord} guards it.
 */
final class Timeline {
    /** An event and its wall-clock time (µs), as the event header carries it. */
    record Entry(long timestampMicros, Event event) {
    }

    private final int headRoom;
    private final int tailRoom;
    private final List<Entry> head = new ArrayList<>();
    private final ArrayDeque<Entry> tail = new ArrayDeque<>();
    private long leftOut;

    Timeline(int capacity) {
        this.headRoom = Math.max(1, capacity / 2);
        this.tailRoom = Math.max(1, capacity - headRoom);
    }

    void add(long timestampMicros, Event event) {
        Entry e = new Entry(timestampMicros, event);
        if (head.size() < headRoom) {
            head.add(e);
            return;
        }
        if (tail.size() == tailRoom) {
            tail.removeFirst();
            leftOut++;
        }
        tail.addLast(e);
    }

    List<Entry> entries() {
        List<Entry> all = new ArrayList<>(head.size() + tail.size());
        all.addAll(head);
        all.addAll(tail);
        return all;
    }

    long leftOut() {
        return leftOut;
    }
}
