package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a request decided to tell others, collected while the rooms are locked and sent after:
 * events to participants' handles, plugin events (type 64) and PeerConnections to close. No
 * call into the core is made while the lock is held.
 */
final class Outbox {
    private record Push(PluginHandle handle, String transaction, ObjectNode data, ObjectNode jsep) {
    }

    private record Notice(PluginHandle handle, ObjectNode event) {
    }

    private final List<Push> pushes = new ArrayList<>();
    private final List<Notice> notices = new ArrayList<>();
    private final List<PluginHandle> closing = new ArrayList<>();
    private final List<Consumer<PluginContext>> later = new ArrayList<>();

    /** An event without a transaction to the client of {@code handle}. */
    void push(PluginHandle handle, ObjectNode data) {
        pushes.add(new Push(handle, null, data, null));
    }

    /** The answer to an asynchronous request, with its transaction. */
    void reply(PluginHandle handle, String transaction, ObjectNode data) {
        pushes.add(new Push(handle, transaction, data, null));
    }

    /** The answer to an asynchronous request with a JSEP (our answer to a publisher, our offer to a subscriber). */
    void reply(PluginHandle handle, String transaction, ObjectNode data, ObjectNode jsep) {
        pushes.add(new Push(handle, transaction, data, jsep));
    }

    /** A plugin event for the event handlers; {@code handle} null for none (e.g. via the Admin API). */
    void notice(PluginHandle handle, ObjectNode event) {
        notices.add(new Notice(handle, event));
    }

    /** Work that calls into the core (a new offer), run after the events, outside the lock. */
    void later(Consumer<PluginContext> work) {
        later.add(work);
    }

    void closePc(PluginHandle handle) {
        closing.add(handle);
    }

    void deliver(PluginContext ctx, boolean eventsOn) {
        for (Push p : pushes) {
            ctx.pushEvent(p.handle(), p.transaction(), p.data(), p.jsep());
        }
        if (eventsOn && ctx.eventsEnabled()) {
            for (Notice n : notices) {
                ctx.notifyEvent(n.handle(), n.event());
            }
        }
        for (PluginHandle h : closing) {
            ctx.closePc(h);
        }
        for (Consumer<PluginContext> work : later) {
            work.accept(ctx);
        }
    }
}
