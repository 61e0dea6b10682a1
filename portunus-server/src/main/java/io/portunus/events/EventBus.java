package io.portunus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Clock;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.Event;
import io.portunus.core.event.EventSink;
import io.portunus.core.event.EventType;
import io.portunus.core.event.SerializedEvent;
import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the core sends events: {@link #emit} stamps the time, serialises the event once and
 * offers the same bytes to every handler whose mask wants its type. It never blocks and never
 * throws into the caller; with no handler interested it does no work at all.
 */
public final class EventBus implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final EventBus DISABLED = new EventBus(false, "", Clock.SYSTEM, false);

    private final boolean enabled;
    private final String emitter;
    private final Clock clock;
    private final boolean sequenceNumbers;
    /**
     * Taken while an event gets its {@code seq} and goes into the queues: numbered and queued
     * apart, a plugin's event numbered 11 on its thread could be queued after a request's
     * numbered 12 (seen in Kafka's partitions), and every handler would deliver them out of order.
     */
    private final Object sequenceLock = new Object();
    private long nextSeq;
    private volatile HandlerPipe[] pipes = new HandlerPipe[0];
    private volatile EventListener[] listeners = new EventListener[0];

    /**
     * An in-process subscriber (the dashboard's recorder): it gets every event as the typed
     * record, on the emitting thread, before anything is serialised for it. It must return at
     * once (no I/O, no lock held for long): the emitting thread may be a media loop.
     */
    public interface EventListener {
        void onEvent(Event event, long timestampMicros);

        /** Whether events of this type are worth building for this listener. */
        default boolean wants(EventType type) {
            return true;
        }
    }

    /**
     * @param enabled         {@code events.broadcast}: whether modules should build events at all
     * @param emitter         {@code general.server_name}
     * @param sequenceNumbers Portunus's {@code events.sequence_numbers}: add a per-emitter {@code seq}
     */
    public EventBus(boolean enabled, String emitter, Clock clock, boolean sequenceNumbers) {
        this.enabled = enabled;
        this.emitter = emitter;
        this.clock = clock;
        this.sequenceNumbers = sequenceNumbers;
    }

    /** The bus of a server with event handlers off. */
    public static EventBus disabled() {
        return DISABLED;
    }

    /** {@code events.broadcast}: Janus's {@code janus_events_is_enabled()}. */
    public boolean enabled() {
        return enabled;
    }

    public String emitter() {
        return emitter;
    }

    /** Whether some handler wants events of this type (so that it is worth building one). */
    public boolean wants(EventType type) {
        for (EventListener l : listeners) {
            if (l.wants(type)) {
                return true;
            }
        }
        for (HandlerPipe p : pipes) {
            if ((p.mask() & type.bit()) != 0) {
                return true;
            }
        }
        return false;
    }

    public void emit(Event event) {
        HandlerPipe[] current = pipes;
        EventListener[] subscribers = listeners;
        int bit = event.type().bit();
        long timestamp = subscribers.length > 0 ? clock.wallMicros() : -1;
        for (EventListener l : subscribers) {
            if (!l.wants(event.type())) {
                continue;
            }
            try {
                l.onEvent(event, timestamp);
            } catch (RuntimeException e) {
                LOG.error("Event listener failed on {}", event, e);
            }
        }
        if (sequenceNumbers) {
            synchronized (sequenceLock) {
                offer(event, bit, current, timestamp);
            }
        } else {
            offer(event, bit, current, timestamp);
        }
    }

    /** Serialises the event once if a handler wants it (numbered when asked) and queues it for each. */
    private void offer(Event event, int bit, HandlerPipe[] current, long timestamp) {
        SerializedEvent serialized = null;
        for (HandlerPipe p : current) {
            if ((p.mask() & bit) == 0) {
                continue;
            }
            if (serialized == null) {
                try {
                    serialized = EventSerializer.serialize(event, emitter, timestamp >= 0 ? timestamp : clock.wallMicros(),
                            sequenceNumbers ? nextSeq++ : -1);
                } catch (RuntimeException e) {
                    LOG.error("Cannot serialise event {}", event, e);
                    return;
                }
            }
            p.offer(serialized);
        }
    }

    /** Adds a started handler pipe. */
    public synchronized void add(HandlerPipe pipe) {
        HandlerPipe[] next = Arrays.copyOf(pipes, pipes.length + 1);
        next[pipes.length] = pipe;
        pipes = next;
    }

    /** Adds an in-process subscriber; from then on every event is built and handed to it. */
    public synchronized void listen(EventListener listener) {
        EventListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = listener;
        listeners = next;
    }

    /** The event as handlers get it (header and body, no {@code seq}), for in-process subscribers. */
    public SerializedEvent serialize(Event event, long timestampMicros) {
        return EventSerializer.serialize(event, emitter, timestampMicros, -1);
    }

    public List<HandlerPipe> pipes() {
        return List.of(pipes);
    }

    public List<ModuleInfo> handlerInfos() {
        List<ModuleInfo> infos = new ArrayList<>();
        for (HandlerPipe p : pipes) {
            infos.add(p.handler().info());
        }
        return infos;
    }

    /**
     * Admin {@code query_eventhandler}. Returns null for an unknown handler (error 460).
     * Portunus answers {@code {"request":"stats"}} itself with the pipe's counters (delivered,
     * dropped, ...); everything else goes to the handler, as in Janus.
     */
    public ObjectNode query(String handlerName, JsonNode request) {
        for (HandlerPipe p : pipes) {
            if (!p.name().equals(handlerName)) {
                continue;
            }
            if (request != null && "stats".equals(request.path("request").asText(null))) {
                ObjectNode reply = Json.object();
                reply.put("result", 200);
                reply.set("stats", p.stats());
                return reply;
            }
            ObjectNode reply = p.handler().handleRequest(request);
            return reply == null ? Json.object() : reply;
        }
        return null;
    }

    /** Stops every handler, each given up to {@code graceMillis} to deliver what it holds. */
    public synchronized void close(long graceMillis) {
        HandlerPipe[] current = pipes;
        pipes = new HandlerPipe[0];
        listeners = new EventListener[0];
        // In parallel, so that a stuck backend does not eat the other handlers' grace time.
        List<Thread> stopping = new ArrayList<>();
        for (HandlerPipe p : current) {
            stopping.add(Threads.startVirtual("portunus-evh-stop", () -> p.stop(graceMillis)));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
