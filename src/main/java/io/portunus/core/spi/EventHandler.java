package io.portunus.core.spi;

import io.portunus.core.ModuleInfo;

/**
 * An event handler (HTTP, WebSockets, RabbitMQ, ...), found with {@link java.util.ServiceLoader}.
 * The core gives each handler its own bounded queue and thread; {@link #deliver} is only ever
 * called from that thread, with events already serialised once.
 */
public interface EventHandler {

    ModuleInfo info();

    /** Reads its configuration; returns false if it is disabled there. */
    boolean init(io.portunus.config.jcfg.ConfigGroup config) throws Exception;

    /** Event type mask (bit per Janus event type) this handler wants. */
    int mask();

    /** Delivers one serialised JSON event. */
    void deliver(byte[] json);

    void destroy();
}
