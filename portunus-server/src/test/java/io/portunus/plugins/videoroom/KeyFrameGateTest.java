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
        assertThat(gate.due(t + WINDOW - 1, 0)).isFalse();
        assertThat(gate.due(t + WINDOW, 0)).isTrue();
        // Served: nothing pending any more.
        assertThat(gate.due(t + 3 * WINDOW, 0)).isFalse();
        assertThat(gate.requested()).isEqualTo(10);
        assertThat(gate.sent()).isEqualTo(2);
    }

    @Test
    void aStartingLegWaitsOnlyTheShortestWindowAndARunningSubscribersPliTheRoomsWindow() {
        KeyFrameGate gate = new KeyFrameGate();
        long roomWindow = KeyFrameGate.windowMicros(10);
        long floor = KeyFrameGate.FLOOR_MICROS;
        long t = 10_000_000;
        assertThat(gate.request(t, floor)).isTrue();
        // A running subscriber's PLI just after: served one room window later, not before.
        assertThat(gate.request(t + 1000, roomWindow)).isFalse();
        assertThat(gate.due(t + floor, 0)).isFalse();
        assertThat(gate.due(t + roomWindow, 0)).isTrue();
        // A new subscriber just after that key frame: served once the shortest window passed.
        t += roomWindow;
        assertThat(gate.request(t + 1000, roomWindow)).isFalse();
        assertThat(gate.request(t + 2000, floor)).isFalse();
        assertThat(gate.due(t + floor - 1, 0)).isFalse();
        assertThat(gate.due(t + floor, 0)).isTrue();
        // Both were served by it.
        assertThat(gate.due(t + 2 * roomWindow, 0)).isFalse();
        assertThat(gate.sent()).isEqualTo(3);
    }

    @Test
    void firFreqAsksPeriodically() {
        KeyFrameGate gate = new KeyFrameGate();
        long period = 10_000_000;
        long t = 50_000_000;
        assertThat(gate.due(t, period)).isTrue();
        assertThat(gate.due(t + period - 1, period)).isFalse();
        assertThat(gate.due(t + period, period)).isTrue();
    }

    @Test
    void theWindowStaysBetweenItsFloorAndCeiling() {
        assertThat(KeyFrameGate.windowMicros(0)).isEqualTo(KeyFrameGate.FLOOR_MICROS);
        assertThat(KeyFrameGate.windowMicros(10)).isEqualTo(KeyFrameGate.CEILING_MICROS);
    }
}
