package io.portunus.transports.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.spi.TransportSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP transport's one transport instance: every Janus session created or claimed over
 * HTTP gets an event queue here, drained by long polls ({@code GET /janus/<session>}).
 * The queue is dropped when the session ends.
 */
final class LongPollQueues implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollQueues.class);
    private final Map<Long, LongPollQueue> queues = new ConcurrentHashMap<>();
    private final int maxQueued;

    LongPollQueues(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    LongPollQueue get(long sessionId) {
        return queues.get(sessionId);
    }

    @Override
    public void sendEvent(ObjectNode event) {
        long sessionId = event.path("session_id").asLong(0);
        LongPollQueue q = queues.get(sessionId);
        if (q == null) {
            LOG.debug("Dropping event for session {} with no HTTP queue: {}", sessionId, event.path("janus").asText());
            return;
        }
        q.offer(event);
    }

    @Override
    public void sessionCreated(long sessionId) {
        queues.put(sessionId, new LongPollQueue(sessionId, maxQueued));
    }

    @Override
    public void sessionClaimed(long sessionId) {
        queues.computeIfAbsent(sessionId, id -> new LongPollQueue(id, maxQueued));
    }

    @Override
    public void sessionOver(long sessionId, boolean timeout, boolean claimed) {
        LongPollQueue q = queues.remove(sessionId);
        if (q != null && claimed) {
            // On claim, pending polls of the old queue get a keepalive (transports.md §1.3, 8).
            // Not on destroy: answered at once, a poll raced the destroy's own reply, and
            // janus.js, seeing the keepalive first, polled again, got 404 four times and
            // reported "Lost connection" (seen in CI). Left alone, as in Janus, such a poll
            // ends with a keepalive when its 30 s are up; a timed-out session's "timeout"
            // event, sent before this, still completes it at once.
            q.close();
        }
    }

    @Override
    public String transportName() {
        return HttpTransport.PACKAGE;
    }

    int size() {
        return queues.size();
    }
}
