package io.portunus.core;

import io.portunus.core.spi.TransportSession;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Janus session: a bag of handles bound to the transport instance that created or last
 * claimed it. Times are monotonic microseconds from {@link Clock}.
 */
public final class Session {
    private final long id;
    private final long createdMicros;
    private volatile long lastActivityMicros;
    private volatile TransportSession transport;
    private volatile boolean transportGone;
    /** -1 = use the global timeout; 0 = never; > 0 seconds. Set by the Admin API. */
    private volatile int timeoutSeconds = -1;
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    /** This session's place in {@link SessionIds}, -1 when not there; guarded by that index. */
    int slot = -1;

    Session(long id, TransportSession transport, long nowMicros) {
        this.id = id;
        this.transport = transport;
        this.createdMicros = nowMicros;
        this.lastActivityMicros = nowMicros;
    }

    public long id() {
        return id;
    }

    public long createdMicros() {
        return createdMicros;
    }

    public long lastActivityMicros() {
        return lastActivityMicros;
    }

    void touch(long nowMicros) {
        lastActivityMicros = nowMicros;
    }

    public TransportSession transport() {
        return transport;
    }

    void bind(TransportSession instance) {
        transport = instance;
        transportGone = false;
    }

    public boolean transportGone() {
        return transportGone;
    }

    void markTransportGone() {
        transportGone = true;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public void timeoutSeconds(int seconds) {
        timeoutSeconds = seconds;
    }

    public Handle handle(long handleId) {
        return handles.get(handleId);
    }

    public Collection<Handle> handles() {
        return handles.values();
    }

    /** Adds the handle unless its id is taken; returns whether it was added. */
    boolean addHandle(Handle handle) {
        return handles.putIfAbsent(handle.handleId(), handle) == null;
    }

    boolean removeHandle(Handle handle) {
        return handles.remove(handle.handleId(), handle);
    }

    public boolean isDestroyed() {
        return destroyed.get();
    }

    /** Returns true for the one caller that gets to tear the session down. */
    boolean markDestroyed() {
        return destroyed.compareAndSet(false, true);
    }
}
