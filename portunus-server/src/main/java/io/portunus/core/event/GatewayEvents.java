package io.portunus.core.event;

import io.portunus.core.Handle;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.TransportSession;

/** Builds the core's events from its sessions and handles, so that each emission point is one line. */
public final class GatewayEvents {

    private GatewayEvents() {
    }

    public static Origin origin(PluginHandle handle) {
        return handle == null ? Origin.NONE : Origin.handle(handle.sessionId(), handle.handleId(), handle.opaqueId());
    }

    public static Event.SessionEvent sessionCreated(long sessionId, TransportSession transport) {
        return Event.SessionEvent.created(sessionId, transport.transportName(), TransportIds.of(transport));
    }

    public static Event.SessionEvent sessionOver(long sessionId, boolean timeout) {
        return timeout ? Event.SessionEvent.timeout(sessionId) : Event.SessionEvent.destroyed(sessionId);
    }

    public static Event.HandleEvent attached(Handle handle) {
        return handleEvent("attached", handle);
    }

    public static Event.HandleEvent detached(Handle handle) {
        return handleEvent("detached", handle);
    }

    private static Event.HandleEvent handleEvent(String name, Handle handle) {
        return new Event.HandleEvent(origin(handle), name, handle.plugin().info().packageName(), handle.token());
    }
}
