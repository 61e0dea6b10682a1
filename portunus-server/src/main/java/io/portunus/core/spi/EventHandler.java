package io.portunus.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.EventType;
import io.portunus.core.event.SerializedEvent;
import io.portunus.events.HandlerPipe;

import java.util.List;
import java.util.ServiceLoader;

/**
 * An event handler (HTTP, WebSockets, GELF, ...), found with {@link ServiceLoader}
 * and configured by its own {@code <package>.jcfg}. The core gives each handler its own
 * bounded queue and thread ({@code HandlerPipe}); {@link #deliver} is only
 * ever called from that thread, in order, with events already serialised once and shared by
 * every handler. A handler may block in {@code deliver} (retries, reconnects): only its own
 * queue waits, never the core.
 */
public interface EventHandler {

    ModuleInfo info();

    /**
     * Reads the configuration. Returns false when the file does not enable the handler (it is
     * then not loaded); throws {@link IllegalArgumentException} with a readable message for a
     * configuration it cannot use (the server still starts, without this handler).
     */
    boolean init(ConfigGroup config, EventHandlerContext context) throws Exception;

    /** The event types wanted, one bit per type (see {@code EventType}). */
    int mask();

    /** How many queued events one {@link #deliver} call may take: 100 when grouping, else 1. */
    int maxBatch();

    /**
     * Delivers a batch. Returns when it was delivered; throws when the handler gave up on it
     * (after its own retries), and the core then counts those events as dropped, or, with a
     * spool, keeps them and tries again later.
     */
    void deliver(List<SerializedEvent> batch) throws Exception;

    /** The Admin API's {@code query_eventhandler}; null makes the core answer {@code {}}. */
    ObjectNode handleRequest(JsonNode request);

    void destroy();
}
