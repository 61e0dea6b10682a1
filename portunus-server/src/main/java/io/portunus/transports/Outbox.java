package io.portunus.transports;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a broker transport could not publish while its broker was away (replies and events),
 * published in order once it is back. Bounded: beyond {@code capacity} the oldest is dropped,
 * counted and logged, so a long outage cannot eat the heap. Used by the RabbitMQ transport
 * (drained on reconnect) and the MQTT transport (a publisher thread takes from it in order).
 */
public final class Outbox<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private final String module;
    private final int capacity;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private long dropped;

    public Outbox(String module, int capacity) {
        this.module = module;
        this.capacity = capacity;
    }

    public synchronized void add(T item) {
        if (items.size() >= capacity) {
            items.pollFirst();
            if (dropped++ % 1000 == 0) {
                LOG.warn("{}: broker away and {} messages waiting: dropped the oldest ({} so far)", module, capacity, dropped);
            }
        }
        items.addLast(item);
        notifyAll();
    }

    /** Waits for the oldest item and takes it. */
    public synchronized T take() throws InterruptedException {
        while (items.isEmpty()) {
            wait();
        }
        return items.pollFirst();
    }

    /** Everything waiting, oldest first, and empties the box. */
    public synchronized List<T> drain() {
        List<T> out = new ArrayList<>(items);
        items.clear();
        return out;
    }

    /** Puts back what could not be sent, ahead of anything newer. */
    public synchronized void putBack(List<T> unsent) {
        for (int i = unsent.size() - 1; i >= 0; i--) {
            items.addFirst(unsent.get(i));
        }
        notifyAll();
    }

    public synchronized int size() {
        return items.size();
    }

    public synchronized long dropped() {
        return dropped;
    }
}
