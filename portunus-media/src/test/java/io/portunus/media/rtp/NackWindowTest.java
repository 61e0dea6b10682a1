package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NackWindowTest {
    @Test
    void minNackQueueUntilTheFirstRtt() {
        NackWindow w = new NackWindow();
        assertThat(w.windowMs(200)).isEqualTo(200);
        assertThat(w.windowMs(0)).isEqualTo(NackWindow.FLOOR_MS);
        assertThat(w.windowMs(5000)).isEqualTo(1000);
    }

    @Test
    void followsTheRttPlus100SmoothedAndClamped() {
        NackWindow w = new NackWindow();
        w.rtt(400);
        assertThat(w.windowMs(200)).as("first estimate taken as is").isEqualTo(500);
        w.rtt(0);
        assertThat(w.windowMs(200)).as("(7*500 + 100) / 8").isEqualTo(450);
        for (int i = 0; i < 100; i++) {
            w.rtt(0);
        }
        assertThat(w.windowMs(200)).as("never below min_nack_queue").isEqualTo(200);
        assertThat(w.windowMs(50)).as("settles at RTT + 100").isEqualTo(100);
        w.rtt(5000);
        for (int i = 0; i < 100; i++) {
            w.rtt(5000);
        }
        assertThat(w.windowMs(200)).as("never above 1 s").isBetween(990, 1000);
        w.rtt(-1);
        assertThat(w.windowMs(200)).as("no estimate: unchanged").isBetween(990, 1000);
    }
}
