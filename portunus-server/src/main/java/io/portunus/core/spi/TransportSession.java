package io.portunus.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One client of a transport (a WebSocket connection, the HTTP server's per-session queues,
 * a broker client). The core binds every Janus session to the instance that created or last
 * claimed it and sends that session's asynchronous events there only.
 */
public interface TransportSession {

    /** An asynchronous event (not a reply) for a session bound to this instance. */
    void sendEvent(ObjectNode event);

    /** A Janus session was created through this instance. */
    default void sessionCreated(long sessionId) {
    }

    /** A session bound here ended: destroyed, timed out, or claimed by another instance. */
    default void sessionOver(long sessionId, boolean timeout, boolean claimed) {
    }

    /** A session was claimed through this instance. */
    default void sessionClaimed(long sessionId) {
    }

    /** The transport's package name, for logs and the Admin API. */
    String transportName();
}
