package io.portunus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** A handle: one session's attachment to one plugin. */
public final class Handle implements PluginHandle {
    private final Session session;
    private final long id;
    private final Plugin plugin;
    private final String opaqueId;
    private final String token;
    private final long createdMicros;
    private volatile Object pluginState;
    private final AtomicBoolean detached = new AtomicBoolean();
    private final HandleFlags flags = new HandleFlags();
    private final SerialExecutor messages;
    private volatile HandleMedia peerConnection;
    /** Trickled candidates that arrived before the offer, as Janus queues them. */
    private final List<JsonNode> pendingTrickles = new ArrayList<>();

    Handle(Session session, long id, Plugin plugin, String opaqueId, String token, long createdMicros,
           Executor workers) {
        this.messages = new SerialExecutor(workers);
        this.session = session;
        this.id = id;
        this.plugin = plugin;
        this.opaqueId = opaqueId;
        this.token = token;
        this.createdMicros = createdMicros;
    }

    public Session session() {
        return session;
    }

    public Plugin plugin() {
        return plugin;
    }

    public long createdMicros() {
        return createdMicros;
    }

    public HandleFlags flags() {
        return flags;
    }

    /** Where this handle's plugin messages run: in order, one at a time. */
    public SerialExecutor messages() {
        return messages;
    }

    /** The handle's PeerConnection, or null before an offer and after a hangup. */
    public HandleMedia peerConnection() {
        return peerConnection;
    }

    /** Set by the WebRTC adapter when it makes the PeerConnection for an offer. */
    public void peerConnection(HandleMedia pc) {
        peerConnection = pc;
    }

    /**
     * Installs a PeerConnection made for this handle, unless the handle was detached (or its
     * session destroyed) while it was being made: then false, and the caller must close it.
     * Together with {@link #takePeerConnectionForTeardown()}, which a teardown calls after
     * marking the handle dead, exactly one side closes a PeerConnection whose creation raced
     * a teardown (before, its UDP sockets stayed bound for the life of the process).
     */
    public synchronized boolean installPeerConnection(HandleMedia pc) {
        if (!isAlive()) {
            return false;
        }
        peerConnection = pc;
        return true;
    }

    /** For a teardown, after the handle was marked dead: the PeerConnection to close, if any. */
    public synchronized HandleMedia takePeerConnectionForTeardown() {
        return peerConnection;
    }

    public void queueTrickle(JsonNode candidate) {
        synchronized (pendingTrickles) {
            if (pendingTrickles.size() < 1000) {
                pendingTrickles.add(candidate);
            }
        }
    }

    public List<JsonNode> drainPendingTrickles() {
        synchronized (pendingTrickles) {
            var copy = List.copyOf(pendingTrickles);
            pendingTrickles.clear();
            return copy;
        }
    }

    public int pendingTrickles() {
        synchronized (pendingTrickles) {
            return pendingTrickles.size();
        }
    }

    @Override
    public long sessionId() {
        return session.id();
    }

    @Override
    public long handleId() {
        return id;
    }

    @Override
    public String opaqueId() {
        return opaqueId;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public Object pluginState() {
        return pluginState;
    }

    @Override
    public void pluginState(Object state) {
        pluginState = state;
    }

    @Override
    public boolean isAlive() {
        return !detached.get() && !session.isDestroyed();
    }

    /** Returns true for the one caller that gets to detach the handle. */
    boolean markDetached() {
        return detached.compareAndSet(false, true);
    }
}
