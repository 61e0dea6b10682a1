package io.portunus.core.spi;

/** What the core offers an event handler. */
public interface EventHandlerContext {

    /** {@code general.server_name}, the {@code emitter} of every event (GELF's {@code host}). */
    String serverName();

    /**
     * Drops the oldest queued events beyond {@code keep}, counted as dropped: for a handler
     * that caps what it keeps while its backend is away (wsevh's {@code events_cap_on_reconnect}).
     */
    void dropOldestBeyond(int keep);
}
