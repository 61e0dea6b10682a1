package io.portunus.transports.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class LongPollQueueTest {

    /** A poll whose connection is open or closed, and whose write succeeds or fails. */
    static final class FakePoller implements LongPollQueue.Poller {
        final boolean open;
        final boolean writeFails;
        final int max;
        final List<List<ObjectNode>> delivered = new ArrayList<>();
        int keepalives;

        FakePoller(boolean open, boolean writeFails, int max) {
            this.open = open;
            this.writeFails = writeFails;
            this.max = max;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public int maxEvents() {
            return max;
        }

        @Override
        public void complete(List<ObjectNode> events, Consumer<List<ObjectNode>> onFailure) {
            if (writeFails) {
                onFailure.accept(events);
            } else {
                delivered.add(events);
            }
        }

        @Override
        public void keepalive() {
            keepalives++;
        }
    }

    private static ObjectNode event(int n) {
        ObjectNode e = Json.object();
        e.put("janus", "event");
        e.put("n", n);
        return e;
    }

    @Test
    void eventsWaitForAPollAndMaxevBatchesThem() {
        LongPollQueue q = new LongPollQueue(1, 100);
        q.offer(event(1));
        q.offer(event(2));
        q.offer(event(3));
        FakePoller p = new FakePoller(true, false, 2);
        q.poll(p);
        assertThat(p.delivered).hasSize(1);
        assertThat(p.delivered.get(0)).extracting(e -> e.get("n").asInt()).containsExactly(1, 2);
        assertThat(q.queued()).isEqualTo(1);
    }

    @Test
    void anEventSkipsClosedPollsAndSurvivesAFailedWrite() {
        LongPollQueue q = new LongPollQueue(1, 100);
        FakePoller closed = new FakePoller(false, false, 1);
        FakePoller failing = new FakePoller(true, true, 1);
        q.poll(closed);
        q.poll(failing);
        q.offer(event(1));
        assertThat(closed.delivered).isEmpty();
        assertThat(q.queued()).as("the failed write put the event back").isEqualTo(1);
        FakePoller good = new FakePoller(true, false, 1);
        q.poll(good);
        assertThat(good.delivered.get(0).get(0).get("n").asInt()).isEqualTo(1);
    }

    @Test
    void expiredPollGetsAKeepaliveAndCloseReleasesWaitingPolls() {
        LongPollQueue q = new LongPollQueue(1, 100);
        FakePoller a = new FakePoller(true, false, 1);
        FakePoller b = new FakePoller(true, false, 1);
        q.poll(a);
        q.poll(b);
        q.expire(a);
        assertThat(a.keepalives).isEqualTo(1);
        q.close();
        assertThat(b.keepalives).isEqualTo(1);
        q.expire(b);
        assertThat(b.keepalives).as("answered once only").isEqualTo(1);
    }

    @Test
    void aSessionThatNeverPollsIsBounded() {
        LongPollQueue q = new LongPollQueue(1, 10);
        for (int i = 0; i < 25; i++) {
            q.offer(event(i));
        }
        assertThat(q.queued()).isEqualTo(10);
        FakePoller p = new FakePoller(true, false, 1);
        q.poll(p);
        assertThat(p.delivered.get(0).get(0).get("n").asInt()).as("oldest dropped first").isEqualTo(15);
    }
}
