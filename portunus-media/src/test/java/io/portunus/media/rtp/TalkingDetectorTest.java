package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TalkingDetectorTest {
    private static final int ID = 1;

    /** An Opus packet as Chromium sends it: one-byte extensions, the audio level (id 1) with the V flag. */
    static byte[] packet(int level) {
        byte[] p = new byte[12 + 4 + 4 + 20];
        p[0] = (byte) 0x90;
        p[1] = 111;
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1;
        p[16] = (byte) (ID << 4); // id 1, length 1
        p[17] = (byte) (0x80 | level);
        return p;
    }

    private static int feed(TalkingDetector d, int level, int packets) {
        int last = TalkingDetector.NO_CHANGE;
        for (int i = 0; i < packets; i++) {
            int change = d.packet(packet(level), 0, 40);
            if (change != TalkingDetector.NO_CHANGE) {
                last = change;
            }
        }
        return last;
    }

    @Test
    void readsTheLevelWithoutTheVoiceFlag() {
        assertThat(TalkingDetector.level(packet(37), 0, 40, ID)).isEqualTo(37);
        assertThat(TalkingDetector.level(packet(127), 0, 40, ID)).isEqualTo(127);
        assertThat(TalkingDetector.level(packet(37), 0, 40, 2)).isEqualTo(-1);
    }

    @Test
    void aLoudWindowStartsTalkingAndAQuietOneStopsIt() {
        TalkingDetector d = new TalkingDetector(ID, 100, 25);
        // 99 loud packets decide nothing yet: the window is 100 packets.
        assertThat(feed(d, 10, 99)).isEqualTo(TalkingDetector.NO_CHANGE);
        assertThat(d.talking()).isFalse();
        assertThat(d.lastLevel()).isEqualTo(10);
        assertThat(d.packet(packet(10), 0, 40)).isEqualTo(TalkingDetector.STARTED);
        assertThat(d.talking()).isTrue();
        assertThat(d.lastAverage()).isEqualTo(10f);
        // Still loud: no new event.
        assertThat(feed(d, 12, 100)).isEqualTo(TalkingDetector.NO_CHANGE);
        // Silence for a window: stopped, with the window's average.
        assertThat(feed(d, 127, 100)).isEqualTo(TalkingDetector.STOPPED);
        assertThat(d.talking()).isFalse();
        assertThat(d.lastAverage()).isEqualTo(127f);
        assertThat(d.changes()).isEqualTo(2);
        assertThat(d.packetsWithLevel()).isEqualTo(300);
    }

    @Test
    void theAverageDecidesAndAnAverageAtTheThresholdIsNotTalking() {
        TalkingDetector d = new TalkingDetector(ID, 4, 25);
        // 10, 10, 40, 40: average 25, not below the threshold.
        feed(d, 10, 2);
        assertThat(feed(d, 40, 2)).isEqualTo(TalkingDetector.NO_CHANGE);
        // 10, 10, 10, 60: average 22.5.
        feed(d, 10, 3);
        assertThat(d.packet(packet(60), 0, 40)).isEqualTo(TalkingDetector.STARTED);
        assertThat(d.lastAverage()).isEqualTo(22.5f);
    }

    @Test
    void packetsWithoutALevelAreCountedAndDoNotFillTheWindow() {
        TalkingDetector d = new TalkingDetector(ID, 2, 25);
        byte[] plain = new byte[40];
        plain[0] = (byte) 0x80;
        for (int i = 0; i < 5; i++) {
            assertThat(d.packet(plain, 0, 40)).isEqualTo(TalkingDetector.NO_CHANGE);
        }
        assertThat(d.packetsWithoutLevel()).isEqualTo(5);
        assertThat(d.packetsWithLevel()).isZero();
        assertThat(d.lastLevel()).isZero();
        assertThat(feed(d, 5, 2)).isEqualTo(TalkingDetector.STARTED);
    }
}
