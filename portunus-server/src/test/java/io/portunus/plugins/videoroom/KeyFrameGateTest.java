package io.portunus.plugins.videoroom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFrameGateTest {
    private static final long WINDOW = KeyFrameGate.windowMicros(0);

    @Test
    void aBurstOfRequestsCostsOneAndTheLateOnesAreServedWhenTheWindowOpens() {
        KeyFrameGate gate = new KeyFrameGate();
        long t = 10_000_000;
        assertThat(gate.request(t, WINDOW)).isTrue();
        for (int i = 1; i < 10; i++) {
            assertThat(gate.request(t + i * 1000, WINDOW)).isFalse();
        }
        assertThat(gate.due(t + WINDOW - 1, WINDOW, 0)).isFalse();
        assertThat(gate.due(t + WINDOW, WINDOW, 0)).isTrue();
        // Served: nothing pending any more.
        assertThat(gate.due(t + 3 * WINDOW, WINDOW, 0)).isFalse();
        assertThat(gate.requested()).isEqualTo(10);
        assertThat(gate.sent()).isEqualTo(2);
    }

    @Test
    void firFreqAsksPeriodically() {
        KeyFrameGate gate = new KeyFrameGate();
        long period = 10_000_000;
        long t = 50_000_000;
        assertThat(gate.due(t, KeyFrameGate.windowMicros(10), period)).isTrue();
        assertThat(gate.due(t + period - 1, KeyFrameGate.windowMicros(10), period)).isFalse();
        assertThat(gate.due(t + period, KeyFrameGate.windowMicros(10), period)).isTrue();
    }

    @Test
    void theWindowStaysBetweenItsFloorAndCeiling() {
        assertThat(KeyFrameGate.windowMicros(0)).isEqualTo(KeyFrameGate.FLOOR_MICROS);
        assertThat(KeyFrameGate.windowMicros(10)).isEqualTo(KeyFrameGate.CEILING_MICROS);
    }
}
