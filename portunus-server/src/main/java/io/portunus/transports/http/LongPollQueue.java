package io.portunus.transports.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP session's events and the long polls waiting for them. An event goes to the oldest
 * waiting poll whose connection is still open, else it waits here for the next poll; a poll
 * whose write fails puts its events back at the front, so a dropped connection loses nothing.
 */
final class LongPollQueue {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollQueue.class);

    /** A waiting long poll: where to write and how many events it takes. */
    interface Poller {
        boolean isOpen();

        int maxEvents();

        /** Writes the events (never empty); calls {@code onFailure} with them if the write fails. */
        void complete(List<ObjectNode> events, Consumer<List<ObjectNode>> onFailure);

        /** Ends the poll with a keepalive. */
        void keepalive();
    }

    private final long sessionId;
    private final int maxQueued;
    private final ArrayDeque<ObjectNode> events = new ArrayDeque<>();
    private final ArrayDeque<Poller> pollers = new ArrayDeque<>();
    private long dropped;

    LongPollQueue(long sessionId, int maxQueued) {
        this.sessionId = sessionId;
        this.maxQueued = maxQueued;
    }

    void offer(ObjectNode event) {
        Poller target;
        List<ObjectNode> batch;
        synchronized (this) {
            events.addLast(event);
            target = nextOpenPoller();
            if (target == null) {
                trim();
                return;
            }
            batch = take(target.maxEvents());
        }
        target.complete(batch, this::requeue);
    }

    /** A new long poll: answered at once if events wait, else parked until one arrives. */
    void poll(Poller poller) {
        List<ObjectNode> batch;
        synchronized (this) {
            if (events.isEmpty()) {
                pollers.addLast(poller);
                return;
            }
            batch = take(poller.maxEvents());
        }
        poller.complete(batch, this::requeue);
    }

    /** The poll timed out: if it is still parked, answer it with a keepalive. */
    void expire(Poller poller) {
        boolean parked;
        synchronized (this) {
            parked = pollers.remove(poller);
        }
        if (parked) {
            poller.keepalive();
        }
    }

    void close() {
        List<Poller> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(pollers);
            pollers.clear();
        }
        waiting.forEach(Poller::keepalive);
    }

    synchronized int queued() {
        return events.size();
    }

    private void requeue(List<ObjectNode> failed) {
        synchronized (this) {
            for (int i = failed.size() - 1; i >= 0; i--) {
                events.addFirst(failed.get(i));
            }
        }
        LOG.debug("Long poll for session {} closed before delivery; {} event(s) kept", sessionId, failed.size());
    }

    private Poller nextOpenPoller() {
        Poller p;
        while ((p = pollers.pollFirst()) != null) {
            if (p.isOpen()) {
                return p;
            }
        }
        return null;
    }

    private List<ObjectNode> take(int max) {
        List<ObjectNode> batch = new ArrayList<>(Math.min(max, events.size()));
        while (batch.size() < max && !events.isEmpty()) {
            batch.add(events.pollFirst());
        }
        return batch;
    }

    /** A client that never polls must not grow memory without bound: drop the oldest, counted. */
    private void trim() {
        while (events.size() > maxQueued) {
            events.pollFirst();
            dropped++;
            if (dropped == 1 || dropped % 1000 == 0) {
                LOG.warn("Session {} is not polling: dropped {} event(s) past the queue limit of {}", sessionId, dropped, maxQueued);
            }
        }
    }
}
