package io.portunus.core.event;

/**
 * Where the core's components send their events. The event handlers' dispatcher
 * ({@code events/EventBus}) implements it; the core knows only this, so it never depends on how
 * events are serialised, queued or delivered.
 */
public interface EventSink {

    /** A sink for a server with event handlers off: {@link #enabled} false, everything ignored. */
    EventSink DISABLED = new EventSink() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean wants(EventType type) {
            return false;
        }

        @Override
        public void emit(Event event) {
        }
    };

    /** {@code events.broadcast}: whether modules should build events at all. */
    boolean enabled();

    /** Whether some handler wants events of this type (so that it is worth building one). */
    boolean wants(EventType type);

    /** Never blocks, never throws into the caller. */
    void emit(Event event);
}
