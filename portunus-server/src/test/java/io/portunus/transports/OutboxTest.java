package io.portunus.transports;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {
    @Test
    void boundedDropsTheOldestAndCountsIt() {
        Outbox<Integer> box = new Outbox<>("test", 3);
        for (int i = 1; i <= 5; i++) {
            box.add(i);
        }
        assertThat(box.dropped()).isEqualTo(2);
        assertThat(box.drain()).containsExactly(3, 4, 5);
        assertThat(box.size()).isZero();
    }

    @Test
    void putBackGoesAheadOfNewerAndTakeWaitsInOrder() throws Exception {
        Outbox<String> box = new Outbox<>("test", 10);
        box.add("new");
        box.putBack(List.of("old-1", "old-2"));
        assertThat(box.take()).isEqualTo("old-1");
        assertThat(box.take()).isEqualTo("old-2");
        assertThat(box.take()).isEqualTo("new");
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return box.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(waiting).as("nothing to take yet").isNotDone();
        box.add("later");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("later");
    }
}
