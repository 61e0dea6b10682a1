package io.portunus.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.Session;
import io.portunus.core.event.Event;
import io.portunus.core.event.EventType;
import io.portunus.core.event.MediaEvent;
import io.portunus.core.event.MediaStats;
import io.portunus.core.event.Origin;
import io.portunus.core.event.WebRtcEvent;
import io.portunus.events.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The dashboard's subscriber to the event bus: it keeps a {@link HandleRecord} per live handle
 * (timeline, states, plot samples), moves it into the {@link CallHistory} when the handle is
 * detached, and hands every event to the {@link LiveFeed}. It runs on the emitting threads, so
 * it only appends to small bounded structures; the one heavier step, a {@code handle_info}
 * snapshot, happens once per call (at its hangup and just before its detach).
 */
final class CallRecorder implements EventBus.EventListener {
    private static final Logger LOG = LoggerFactory.getLogger(CallRecorder.class);

    private final DashboardSettings settings;
    private final Gateway gateway;
    private final Function<Handle, ObjectNode> handleInfo;
    private final CallHistory history;
    private final LiveFeed feed;
    private final ConcurrentHashMap<Long, HandleRecord> live = new ConcurrentHashMap<>();

    CallRecorder(DashboardSettings settings, Gateway gateway, Function<Handle, ObjectNode> handleInfo,
                 CallHistory history, LiveFeed feed) {
        this.settings = settings;
        this.gateway = gateway;
        this.handleInfo = handleInfo;
        this.history = history;
        this.feed = feed;
    }

    /**
     * Everything but transport events: those come with every HTTP request (the dashboard's own
     * polling included), and building one per request would cost the request path for nothing.
     */
    @Override
    public boolean wants(EventType type) {
        return type != EventType.TRANSPORT;
    }

    @Override
    public void onEvent(Event event, long timestampMicros) {
        feed.publish(event, timestampMicros);
        Origin origin = event.origin();
        if (origin.handleId() <= 0) {
            return;
        }
        if (event instanceof Event.HandleEvent h) {
            handleEvent(h, timestampMicros);
            return;
        }
        HandleRecord record = live.get(origin.handleId());
        if (record == null) {
            // A late event of a detached handle: the hangup of a detach comes after "detached".
            record = history.find(origin.handleId());
            if (record == null) {
                return;
            }
        }
        switch (event) {
            case MediaEvent.Stats s -> record.stats(timestampMicros, s.stats());
            case MediaEvent.CombinedStats s -> {
                for (MediaStats m : s.stats()) {
                    record.stats(timestampMicros, m);
                }
            }
            case WebRtcEvent.IceState s -> {
                record.iceState(s.state());
                record.add(timestampMicros, event);
            }
            case WebRtcEvent.DtlsState s -> {
                record.dtlsState(s.state());
                record.add(timestampMicros, event);
            }
            case WebRtcEvent.Connection c -> {
                if (c.connection().equals("hangup") && record.endedMicros() == 0) {
                    snapshot(record, liveHandle(origin));
                }
                record.connection(c.connection(), c.reason());
                record.add(timestampMicros, event);
            }
            default -> record.add(timestampMicros, event);
        }
    }

    private void handleEvent(Event.HandleEvent h, long timestampMicros) {
        long id = h.origin().handleId();
        if (h.name().equals("attached")) {
            HandleRecord record = new HandleRecord(h.origin().sessionId(), id, settings.timelineEvents(), settings.plotSeconds());
            record.attached(timestampMicros, h.plugin(), h.origin().opaqueId());
            record.add(timestampMicros, h);
            live.put(id, record);
            return;
        }
        HandleRecord record = live.remove(id);
        if (record != null) {
            record.add(timestampMicros, h);
            record.ended(timestampMicros);
            history.add(record);
        }
    }

    /** Just before a detach, on the detaching thread, while the handle still has its PeerConnection. */
    void beforeDetach(Handle handle) {
        HandleRecord record = live.get(handle.handleId());
        if (record != null) {
            snapshot(record, handle);
        }
    }

    private void snapshot(HandleRecord record, Handle handle) {
        if (handle == null) {
            return;
        }
        try {
            record.handleInfo(handleInfo.apply(handle));
        } catch (RuntimeException e) {
            LOG.debug("No handle_info snapshot of handle {}: {}", handle.handleId(), e.toString());
        }
    }

    private Handle liveHandle(Origin origin) {
        Session session = gateway.session(origin.sessionId());
        return session == null ? null : session.handle(origin.handleId());
    }

    HandleRecord live(long handleId) {
        return live.get(handleId);
    }

    Collection<HandleRecord> liveRecords() {
        return live.values();
    }

    CallHistory history() {
        return history;
    }
}
