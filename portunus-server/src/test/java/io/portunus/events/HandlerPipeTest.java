package io.portunus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.Event;
import io.portunus.core.event.EventType;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher: one event serialised once for all, never blocking, drops counted. */
class HandlerPipeTest {

    /** A handler whose deliveries wait on a latch, or fail, as the test says. */
    static final class Probe implements EventHandler {
        final List<List<SerializedEvent>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean block;
        volatile boolean fail;
        volatile int batch = 100;
        final int mask;
        final String name;

        Probe(String name, int mask) {
            this.name = name;
            this.mask = mask;
        }

        @Override
        public ModuleInfo info() {
            return new ModuleInfo(name, name, "", "", 1, "1", List.of());
        }

        @Override
        public boolean init(ConfigGroup config, EventHandlerContext context) {
            return true;
        }

        @Override
        public int mask() {
            return mask;
        }

        @Override
        public int maxBatch() {
            return batch;
        }

        @Override
        public void deliver(List<SerializedEvent> batch) throws Exception {
            if (block) {
                release.await();
            }
            if (fail) {
                throw new IOException("backend says no");
            }
            batches.add(batch);
        }

        @Override
        public ObjectNode handleRequest(JsonNode request) {
            return null;
        }

        @Override
        public void destroy() {
        }

        int delivered() {
            return batches.stream().mapToInt(List::size).sum();
        }
    }

    @Test
    void aBlockedHandlerNeverBlocksEmitAndItsDropsAreCounted() throws Exception {
        Probe stuck = new Probe("stuck", EventType.ALL);
        stuck.block = true;
        stuck.batch = 1;
        Probe fine = new Probe("fine", EventType.SESSION.bit());
        EventBus bus = new EventBus(true, "T", () -> 0, false);
        HandlerPipe stuckPipe = new HandlerPipe(stuck, "T", 10);
        HandlerPipe finePipe = new HandlerPipe(fine, "T", 1000);
        stuckPipe.start();
        finePipe.start();
        bus.add(stuckPipe);
        bus.add(finePipe);
        for (int i = 0; i < 100; i++) {
            bus.emit(Event.SessionEvent.created(i + 1, "t", "1"));
        }
        bus.emit(new Event.CoreShutdown(0));
        waitUntil(() -> fine.delivered() >= 100, 5);
        assertThat(fine.delivered()).as("the core event is not in this mask").isEqualTo(100);
        // At most one event is stuck in deliver, up to 10 wait in the queue, the rest were dropped and counted.
        ObjectNode stats = stuckPipe.stats();
        assertThat(stats.path("offered").asLong()).isEqualTo(101);
        assertThat(stats.path("delivered").asLong()).isZero();
        assertThat(stats.path("dropped").asLong() + stats.path("queued").asLong() + stats.path("in_delivery").asLong())
                .isEqualTo(101);
        assertThat(stats.path("queued").asLong()).isBetween(0L, 10L);
        assertThat(stats.path("in_delivery").asLong()).isBetween(0L, 1L);
        assertThat(stats.path("dropped").asLong()).isGreaterThanOrEqualTo(90);
        // The same bytes went to both handlers: serialised once.
        stuck.release.countDown();
        waitUntil(() -> stuck.delivered() + stuckPipe.dropped() >= 101, 5);
        assertThat(stuck.delivered() + stuckPipe.dropped()).isEqualTo(101);
        assertThat(stuck.batches.getFirst().getFirst().json()).isSameAs(fine.batches.getFirst().getFirst().json());
        bus.close(1000);
    }

    /**
     * With sequence numbers on, a handler gets events in their {@code seq} order even when many
     * threads emit at once (a plugin's thread and a request's, as for one session in Kafka).
     */
    @Test
    void eventsEmittedFromManyThreadsReachTheHandlerInSequenceOrder() throws Exception {
        Probe probe = new Probe("ordered", EventType.ALL);
        probe.batch = 7;
        EventBus bus = new EventBus(true, "T", () -> 0, true);
        HandlerPipe pipe = new HandlerPipe(probe, "T", 100_000);
        pipe.start();
        bus.add(pipe);
        int threads = 8;
        int each = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> emitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long session = t + 1;
            Thread emitter = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    bus.emit(Event.SessionEvent.created(session, "t", "1"));
                }
            });
            emitter.start();
            emitters.add(emitter);
        }
        go.countDown();
        for (Thread emitter : emitters) {
            emitter.join();
        }
        waitUntil(() -> probe.delivered() >= threads * each, 10);
        List<Long> seqs = probe.batches.stream().flatMap(List::stream).map(SerializedEvent::seq).toList();
        assertThat(seqs).hasSize(threads * each);
        for (int i = 0; i < seqs.size(); i++) {
            if (seqs.get(i) != i) {
                throw new AssertionError("event " + i + " delivered has seq " + seqs.get(i) + ": out of order");
            }
        }
        bus.close(1000);
    }

    /** A backend that refuses keeps the events queued (none dropped) and gets them, in order, once it takes them. */
    @Test
    void aFailedBatchIsKeptAndRetriedUntilTheBackendTakesIt() throws Exception {
        Probe failing = new Probe("failing", EventType.ALL);
        failing.fail = true;
        HandlerPipe pipe = new HandlerPipe(failing, "T", 100);
        pipe.start();
        EventBus bus = new EventBus(true, "T", () -> 0, true);
        bus.add(pipe);
        for (int i = 0; i < 5; i++) {
            bus.emit(Event.SessionEvent.destroyed(i + 1));
        }
        waitUntil(() -> pipe.stats().path("failed_attempts").asLong() >= 2, 5);
        assertThat(pipe.stats().path("failed_attempts").asLong()).as("retried").isGreaterThanOrEqualTo(2);
        assertThat(pipe.dropped()).isZero();
        assertThat(pipe.delivered()).isZero();
        failing.fail = false;
        waitUntil(() -> pipe.delivered() >= 5, 5);
        assertThat(pipe.delivered()).isEqualTo(5);
        assertThat(pipe.dropped()).isZero();
        bus.close(100);
    }

    @Test
    void noHandlerInterestedMeansNoWork() {
        Probe core = new Probe("core", EventType.CORE.bit());
        HandlerPipe pipe = new HandlerPipe(core, "T", 10);
        EventBus bus = new EventBus(true, "T", () -> 0, false);
        bus.add(pipe);
        assertThat(bus.wants(EventType.SESSION)).isFalse();
        assertThat(bus.wants(EventType.CORE)).isTrue();
        bus.emit(Event.SessionEvent.destroyed(1));
        assertThat(pipe.stats().path("offered").asLong()).isZero();
        assertThat(EventBus.disabled().enabled()).isFalse();
    }

    /** Waits (polling; the pipes' delivery threads are real) until {@code done} or {@code seconds} pass. */
    private static void waitUntil(BooleanSupplier done, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
