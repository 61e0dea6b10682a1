package io.portunus.dashboard;

import io.portunus.core.event.Event;
import io.portunus.core.event.Origin;
import io.portunus.core.event.WebRtcEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The live feed is bounded per browser: a slow browser loses its own updates, counted, and slows nothing. */
class LiveFeedTest {
    private static final Event EVENT = new WebRtcEvent.IceState(Origin.handle(1, 2, null), "connected", 1, 1);

    private static byte[] line(int i) {
        return ("{\"n\":" + i + "}\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSlowBrowserLosesOnlyItsOwnUpdatesAndIsToldHowMany() {
        LiveFeed feed = new LiveFeed(100, 10, (e, t) -> new byte[0]);
        FeedQueue slow = feed.subscribe();
        FeedQueue fast = feed.subscribe();
        List<byte[]> fastGot = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            feed.broadcast(line(i));
            for (byte[] l = fast.next(); l != null; l = fast.next()) {
                fastGot.add(l);
            }
        }
        assertThat(fastGot).hasSize(1000);
        assertThat(fast.dropped()).isZero();
        assertThat(slow.waiting()).isEqualTo(100);
        assertThat(slow.dropped()).isEqualTo(900);
        // When the slow browser reads again, it first learns how much it lost, then gets the oldest kept lines.
        assertThat(new String(slow.next(), StandardCharsets.US_ASCII)).isEqualTo("{\"feed\":{\"dropped\":900}}\n");
        assertThat(new String(slow.next(), StandardCharsets.US_ASCII)).isEqualTo("{\"n\":0}\n");
        assertThat(feed.stats().get("browser_dropped").asLong()).isEqualTo(900);
    }

    @Test
    void oneWakeUpPerBurstAndNoneLost() {
        LiveFeed feed = new LiveFeed(1000, 10, (e, t) -> new byte[0]);
        FeedQueue q = feed.subscribe();
        AtomicInteger wakes = new AtomicInteger();
        q.open(wakes::incrementAndGet);
        for (int i = 0; i < 50; i++) {
            q.offer(line(i));
        }
        assertThat(wakes.get()).isEqualTo(1);
        int read = 0;
        while (q.next() != null) {
            read++;
        }
        assertThat(read).isEqualTo(50);
        q.offer(line(50));
        assertThat(wakes.get()).as("a line after the queue ran dry wakes the writer again").isEqualTo(2);
    }

    @Test
    void nothingIsBuiltWhileNoBrowserListens() {
        AtomicInteger serialised = new AtomicInteger();
        LiveFeed feed = new LiveFeed(10, 10, (e, t) -> {
            serialised.incrementAndGet();
            return new byte[0];
        });
        feed.start();
        try {
            for (int i = 0; i < 1000; i++) {
                feed.publish(EVENT, i);
            }
            assertThat(feed.stats().get("published").asLong()).isZero();
            assertThat(serialised.get()).isZero();
        } finally {
            feed.close();
        }
    }

    /**
     * A browser whose connection drains on every wake-up, as the HTTP response does on its loop,
     * and events a millisecond apart (media stats events come spread out like this): they reach
     * the browser in a wake-up or two per batch, not one per event.
     */
    @Test
    void spreadOutEventsWakeEachBrowserOncePerBatch() throws Exception {
        LiveFeed feed = new LiveFeed(1000, 10, (e, t) -> "{\"type\":16}".getBytes(StandardCharsets.US_ASCII));
        ExecutorService connectionLoop = Executors.newSingleThreadExecutor();
        feed.start();
        try {
            FeedQueue browser = feed.subscribe();
            AtomicInteger wakes = new AtomicInteger();
            AtomicInteger received = new AtomicInteger();
            browser.open(() -> connectionLoop.execute(() -> {
                wakes.incrementAndGet();
                while (browser.next() != null) {
                    received.incrementAndGet();
                }
            }));
            int events = 50;
            for (int i = 0; i < events; i++) {
                feed.publish(EVENT, i);
                LockSupport.parkNanos(1_000_000);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.get() < events && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(received.get()).isEqualTo(events);
            assertThat(feed.stats().get("published").asLong()).isEqualTo(events);
            // 50 ms of events is one or two batches of 100 ms (a few more on a loaded machine,
            // where the pauses stretch); without batching it was a wake-up per event.
            assertThat(wakes.get()).as("wake-ups for %d events", events).isLessThanOrEqualTo(events / 4);
        } finally {
            feed.close();
            connectionLoop.shutdownNow();
        }
    }

    @Test
    void browsersAreCapped() {
        LiveFeed feed = new LiveFeed(10, 2, (e, t) -> new byte[0]);
        FeedQueue a = feed.subscribe();
        assertThat(feed.subscribe()).isNotNull();
        assertThat(feed.subscribe()).isNull();
        a.closed();
        assertThat(feed.browsers()).isEqualTo(1);
        assertThat(feed.subscribe()).isNotNull();
    }

    /**
     * A hundred browsers that never read: the emitting thread's cost per event stays that of
     * one queue offer (the fan-out runs on the feed's thread), and every browser's queue stays
     * at its bound.
     */
    @Test
    void aHundredStuckBrowsersNeverSlowTheEmitter() throws Exception {
        LiveFeed feed = new LiveFeed(50, 200, (e, t) -> "{\"type\":16}".getBytes(StandardCharsets.US_ASCII));
        feed.start();
        try {
            List<FeedQueue> browsers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                browsers.add(feed.subscribe());
            }
            int events = 200_000;
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                feed.publish(EVENT, i);
            }
            long nanosPerEvent = (System.nanoTime() - start) / events;
            System.out.printf("[dashboard] publish with 100 stuck browsers: %d ns per event%n", nanosPerEvent);
            assertThat(nanosPerEvent).as("ns per publish").isLessThan(5_000);
            long deadline = System.currentTimeMillis() + 10_000;
            while (feed.stats().get("published").asLong() + feed.stats().get("intake_dropped").asLong() < events
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            for (FeedQueue b : browsers) {
                assertThat(b.waiting()).isEqualTo(50);
            }
            long published = feed.stats().get("published").asLong();
            assertThat(browsers.get(0).dropped()).isEqualTo(published - 50);
        } finally {
            feed.close();
        }
    }
}
