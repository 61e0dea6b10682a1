package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What a test receiver got, in arrival order, with waits for what a test expects next. */
public final class Received {
    private final List<JsonNode> events = new ArrayList<>();

    public synchronized void add(JsonNode event) {
        events.add(event);
        notifyAll();
    }

    public synchronized List<JsonNode> all() {
        return List.copyOf(events);
    }

    public synchronized int size() {
        return events.size();
    }

    public synchronized void clear() {
        events.clear();
    }

    /** Waits until {@code count} received events match, or fails after {@code seconds}. */
    public synchronized List<JsonNode> await(Predicate<JsonNode> which, int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<JsonNode> matching = events.stream().filter(which).toList();
            if (matching.size() >= count) {
                return matching;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " matching events within " + seconds + " s, got "
                        + matching.size() + " of " + events.size() + ": " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public static Predicate<JsonNode> ofType(int type) {
        return e -> e.path("type").asInt() == type;
    }

    public static Predicate<JsonNode> named(int type, String name) {
        return e -> e.path("type").asInt() == type && name.equals(e.path("event").path("name").asText(null));
    }
}
